-- Registration tokens (m.login.registration_token, Synapse's admin API): pending counts uses in progress, so a
-- token with uses_allowed = 1 cannot be spent twice by concurrent sign-ups; completed counts finished ones.
CREATE TABLE registration_tokens (
    token         TEXT PRIMARY KEY,
    uses_allowed  INTEGER,
    pending       INTEGER NOT NULL DEFAULT 0,
    completed     INTEGER NOT NULL DEFAULT 0,
    expiry_time   BIGINT,
    created_ts    BIGINT NOT NULL
);

-- Rooms an admin blocked (no one may join them again); a room id may be blocked before it is known here.
CREATE TABLE blocked_rooms (
    room_id     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    blocked_ts  BIGINT NOT NULL
);

-- The one server notices room per user.
CREATE TABLE server_notice_rooms (
    user_id  TEXT PRIMARY KEY,
    room_id  TEXT NOT NULL
);
