-- Application services: how far each service's event stream has been turned into transactions, and the
-- transactions built but not yet acknowledged. A transaction is built once and resent unchanged until the
-- service answers 2xx (same txn id, same body), so the queue survives restarts and keeps its order.
CREATE TABLE appservice_streams (
    as_id        TEXT PRIMARY KEY,
    stream_pos   BIGINT NOT NULL,
    last_txn_id  BIGINT NOT NULL
);

CREATE TABLE appservice_txns (
    as_id       TEXT NOT NULL,
    txn_id      BIGINT NOT NULL,
    body        TEXT NOT NULL,
    created_ts  BIGINT NOT NULL,
    PRIMARY KEY (as_id, txn_id)
);
