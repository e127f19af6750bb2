-- The audit log of administrative acts: append-only, hash-chained (admin.AuditChain). The code has no update or
-- delete for it. seq is 1, 2, 3, ... without gaps; prev_hash is the previous entry's hash (a fixed genesis value
-- for seq 1), so a second writer (the CLI while the server runs) cannot fork the chain: the clash fails the
-- insert and the write is retried on the new head. details is canonical JSON without secrets.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    ts         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    ip         TEXT,
    action     TEXT NOT NULL,
    target     TEXT,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_target ON audit_log (target, seq);
