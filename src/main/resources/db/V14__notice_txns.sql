-- Idempotency of PUT /_amtsbote/admin/v1/server_notices/{txnId}: the first answer per admin and transaction
-- id, so a retried bulk notice (double click, network retry) is answered again instead of sent again.
CREATE TABLE server_notice_txns (
    admin_user_id  TEXT NOT NULL,
    txn_id         TEXT NOT NULL,
    sent           INTEGER NOT NULL,
    created_ts     BIGINT NOT NULL,
    PRIMARY KEY (admin_user_id, txn_id)
);
