-- Incoming webhooks (/_amtsbote/hooks/v1/{id}/{secret}): the secret is kept only as its SHA-256 hex.
CREATE TABLE webhooks (
    id           TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    format       TEXT NOT NULL,
    bot_user_id  TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_ts   BIGINT NOT NULL
);

-- The open outage per alert (PRTG: device + sensor; Alertmanager: fingerprint): the event that started the
-- thread later messages of the same alert reply to. Removed when the alert recovers.
CREATE TABLE webhook_open_alerts (
    hook_id          TEXT NOT NULL,
    alert_key        TEXT NOT NULL,
    outage_event_id  TEXT NOT NULL,
    PRIMARY KEY (hook_id, alert_key)
);

-- Bot accounts created by admins for scripts; their access tokens are the devices of the user.
CREATE TABLE bot_users (
    user_id     TEXT PRIMARY KEY,
    created_by  TEXT NOT NULL,
    created_ts  BIGINT NOT NULL
);
