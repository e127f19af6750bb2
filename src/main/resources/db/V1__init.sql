-- Amtsbote schema, version 1. Written in the SQL that SQLite and PostgreSQL both accept, so one file serves
-- both; a later version that needs dialect-specific SQL adds V<n>__name.sqlite.sql / .postgresql.sql.
-- Every row that clients see through /sync carries a stream_pos from the single server-wide stream counter.

CREATE TABLE users (
    user_id        TEXT PRIMARY KEY,
    password_hash  TEXT,
    is_admin       INTEGER NOT NULL DEFAULT 0,
    deactivated    INTEGER NOT NULL DEFAULT 0,
    displayname    TEXT,
    avatar_url     TEXT,
    created_ts     BIGINT NOT NULL
);

CREATE TABLE devices (
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    display_name   TEXT,
    last_seen_ts   BIGINT,
    last_seen_ip   TEXT,
    created_ts     BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- Only a SHA-256 of each access token is stored, so a database leak does not leak sessions.
CREATE TABLE access_tokens (
    token_hash     TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    created_ts     BIGINT NOT NULL
);
CREATE INDEX access_tokens_device ON access_tokens (user_id, device_id);

CREATE TABLE rooms (
    room_id        TEXT PRIMARY KEY,
    room_version   TEXT NOT NULL,
    creator        TEXT NOT NULL,
    created_ts     BIGINT NOT NULL,
    is_public      INTEGER NOT NULL DEFAULT 0
);

-- Every event, as the full signed PDU. redacted_by marks redactions; the original JSON stays for audits and
-- is pruned when served.
CREATE TABLE events (
    stream_pos     BIGINT PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE,
    room_id        TEXT NOT NULL,
    type           TEXT NOT NULL,
    state_key      TEXT,
    sender         TEXT NOT NULL,
    origin_ts      BIGINT NOT NULL,
    depth          BIGINT NOT NULL,
    relates_to     TEXT,
    rel_type       TEXT,
    redacted_by    TEXT,
    txn_device     TEXT,
    txn_id         TEXT,
    json           TEXT NOT NULL
);
CREATE INDEX events_room_pos ON events (room_id, stream_pos);
CREATE INDEX events_room_state ON events (room_id, type, state_key, stream_pos);
CREATE INDEX events_relates ON events (relates_to, rel_type);
-- Idempotency of PUT /send/{txnId}: a transaction id is scoped to the device that sent it. Events without a
-- transaction have NULLs here, which unique indexes treat as distinct in both databases.
CREATE UNIQUE INDEX events_txn ON events (sender, txn_device, txn_id);

-- The current state of each room: one row per (type, state_key).
CREATE TABLE current_state (
    room_id        TEXT NOT NULL,
    type           TEXT NOT NULL,
    state_key      TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    stream_pos     BIGINT NOT NULL,
    membership     TEXT,
    PRIMARY KEY (room_id, type, state_key)
);
CREATE INDEX current_state_member ON current_state (state_key, type, membership);

-- Which events notify whom (from push rules at send time): one row per event with the notified and the
-- highlighted users as ' @a:x @b:x ' lists, so a message to a room of 50 costs one row, not 50.
-- Unread counts are counted from here (rarely: they are kept in memory once counted).
CREATE TABLE event_notifications (
    stream_pos     BIGINT PRIMARY KEY,
    room_id        TEXT NOT NULL,
    notify         TEXT NOT NULL,
    highlight      TEXT NOT NULL
);
CREATE INDEX event_notifications_room ON event_notifications (room_id, stream_pos);

CREATE TABLE receipts (
    room_id        TEXT NOT NULL,
    receipt_type   TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    thread_id      TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    event_pos      BIGINT NOT NULL,
    ts             BIGINT NOT NULL,
    stream_pos     BIGINT NOT NULL,
    PRIMARY KEY (room_id, receipt_type, user_id, thread_id)
);
CREATE INDEX receipts_pos ON receipts (room_id, stream_pos);

-- Account data; room_id is '' for global account data.
CREATE TABLE account_data (
    user_id        TEXT NOT NULL,
    room_id        TEXT NOT NULL,
    type           TEXT NOT NULL,
    content        TEXT NOT NULL,
    stream_pos     BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, type)
);
CREATE INDEX account_data_pos ON account_data (user_id, stream_pos);

CREATE TABLE to_device (
    stream_pos     BIGINT PRIMARY KEY,
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    sender         TEXT NOT NULL,
    type           TEXT NOT NULL,
    content        TEXT NOT NULL
);
CREATE INDEX to_device_target ON to_device (user_id, device_id, stream_pos);

CREATE TABLE filters (
    user_id        TEXT NOT NULL,
    filter_id      TEXT NOT NULL,
    json           TEXT NOT NULL,
    PRIMARY KEY (user_id, filter_id)
);

CREATE TABLE push_rules (
    user_id        TEXT PRIMARY KEY,
    json           TEXT NOT NULL
);

CREATE TABLE room_aliases (
    alias          TEXT PRIMARY KEY,
    room_id        TEXT NOT NULL,
    creator        TEXT NOT NULL
);

CREATE TABLE media (
    media_id       TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL,
    content_type   TEXT,
    file_name      TEXT,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    created_ts     BIGINT NOT NULL
);
