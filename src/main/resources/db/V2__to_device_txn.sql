-- Idempotency of PUT /sendToDevice/{eventType}/{txnId}: a retried request from the same device must not
-- deliver its messages twice. Rows older than a day are pruned when the device sends again.
CREATE TABLE to_device_txns (
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    txn_id         TEXT NOT NULL,
    created_ts     BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_id, txn_id)
);
