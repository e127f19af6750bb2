-- Server-side key backups (spec "Server-side key backups"): versions per user, numbered 1, 2, ... per user.
-- A deleted version keeps its row (deleted = 1) so its number is never handed out again and a second DELETE
-- still answers 200; its keys are removed. etag counts changes of the version's keys.
CREATE TABLE key_backup_versions (
    user_id        TEXT NOT NULL,
    version        BIGINT NOT NULL,
    algorithm      TEXT NOT NULL,
    auth_data      TEXT NOT NULL,
    etag           BIGINT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, version)
);

-- One encrypted megolm session key per (user, version, room, session); session_data is opaque to us.
CREATE TABLE key_backup_sessions (
    user_id             TEXT NOT NULL,
    version             BIGINT NOT NULL,
    room_id             TEXT NOT NULL,
    session_id          TEXT NOT NULL,
    first_message_index BIGINT NOT NULL,
    forwarded_count     BIGINT NOT NULL,
    is_verified         INTEGER NOT NULL,
    session_data        TEXT NOT NULL,
    PRIMARY KEY (user_id, version, room_id, session_id)
);

-- HTTP pushers (POST /pushers/set): where to send push notifications for a user. The device and the SHA-256
-- of the access token that created a pusher are kept so it can be removed with its session. failing_since is
-- the time of the first failed delivery in a row (NULL while deliveries succeed).
CREATE TABLE pushers (
    user_id             TEXT NOT NULL,
    app_id              TEXT NOT NULL,
    pushkey             TEXT NOT NULL,
    kind                TEXT NOT NULL,
    app_display_name    TEXT NOT NULL,
    device_display_name TEXT NOT NULL,
    profile_tag         TEXT,
    lang                TEXT NOT NULL,
    data                TEXT NOT NULL,
    device_id           TEXT,
    token_hash          TEXT,
    pushkey_ts          BIGINT NOT NULL,
    failing_since       BIGINT,
    PRIMARY KEY (user_id, app_id, pushkey)
);
CREATE INDEX pushers_app_pushkey ON pushers (app_id, pushkey);
