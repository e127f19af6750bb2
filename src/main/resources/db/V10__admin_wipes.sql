-- Account moderation by admins (issue 9): lock, erase, remote wipe of a device, and the client each device
-- last used. One file for the users part of the admin console.

-- locked: the account keeps its sessions but every request is refused with M_USER_LOCKED until unlocked.
-- erased: deactivated with erasure (display name and avatar removed), as Synapse's "erased" flag.
ALTER TABLE users ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;

-- The User-Agent of a device's latest request (for whois and the device list), written with last_seen_*.
ALTER TABLE devices ADD COLUMN last_seen_user_agent TEXT;

-- A remote wipe: the device was signed out by an admin so that its app deletes its local data.
-- confirmed_ts: when the device next presented its old token (and was told so).
CREATE TABLE admin_wipes (
    wipe_id       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    requested_ts  BIGINT NOT NULL,
    requested_by  TEXT NOT NULL,
    confirmed_ts  BIGINT
);
CREATE INDEX admin_wipes_user ON admin_wipes (user_id, requested_ts);

-- The SHA-256 of each access token the wiped device had, so its next request is recognised.
CREATE TABLE admin_wipe_tokens (
    token_hash  TEXT PRIMARY KEY,
    wipe_id     TEXT NOT NULL
);
