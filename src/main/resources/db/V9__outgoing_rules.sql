-- Outgoing rules: a message in the room that matches (regex pattern or command word) is POSTed, signed with
-- HMAC-SHA256, to the rule's URL; the answer is posted back by the bot. The secret is stored as it is because
-- the server needs it to sign every call; it is shown once at creation and never returned again.
CREATE TABLE outgoing_rules (
    id           TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    pattern      TEXT NOT NULL,
    url          TEXT NOT NULL,
    bot_user_id  TEXT NOT NULL,
    secret       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_ts   BIGINT NOT NULL,
    UNIQUE (room_id, name)
);

-- Users the server created as bots for webhooks and outgoing rules. They stay bots after their last hook or
-- rule is deleted, so an admin can reuse the name (no human account can be taken over this way).
CREATE TABLE integration_bots (
    user_id     TEXT PRIMARY KEY,
    created_ts  BIGINT NOT NULL
);
INSERT INTO integration_bots (user_id, created_ts) SELECT bot_user_id, MIN(created_ts) FROM webhooks GROUP BY bot_user_id;
