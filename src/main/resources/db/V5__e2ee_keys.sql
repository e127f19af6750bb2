-- End-to-end encryption keys (client-server API "End-to-End Encryption"). The server only stores and hands
-- out public keys and signatures; it never sees private keys or message keys.

-- One row per device that uploaded identity keys: the signed device_keys object as uploaded.
CREATE TABLE e2e_device_keys (
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    json           TEXT NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- Unclaimed one-time keys; a claim deletes its row in the same write, so no key is handed out twice.
-- uploaded_ts orders them (oldest first) as /keys/claim asks.
CREATE TABLE e2e_one_time_keys (
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    algorithm      TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    json           TEXT NOT NULL,
    uploaded_ts    BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_id, algorithm, key_id)
);

-- At most one fallback key per device and algorithm; used once it was handed out by a claim.
CREATE TABLE e2e_fallback_keys (
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    algorithm      TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    json           TEXT NOT NULL,
    used           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, device_id, algorithm)
);

-- Cross-signing keys: key_type is master, self_signing or user_signing; public_key is the unpadded base64
-- ed25519 key (the key id other signatures refer to).
CREATE TABLE e2e_cross_signing_keys (
    user_id        TEXT NOT NULL,
    key_type       TEXT NOT NULL,
    public_key     TEXT NOT NULL,
    json           TEXT NOT NULL,
    PRIMARY KEY (user_id, key_type)
);

-- Signatures uploaded through /keys/signatures/upload, merged into the keys when they are queried.
-- target_key_id is a device id or a cross-signing public key; signer_key_id is e.g. ed25519:<public key>.
CREATE TABLE e2e_signatures (
    signer_user_id TEXT NOT NULL,
    signer_key_id  TEXT NOT NULL,
    target_user_id TEXT NOT NULL,
    target_key_id  TEXT NOT NULL,
    signature      TEXT NOT NULL,
    PRIMARY KEY (target_user_id, target_key_id, signer_user_id, signer_key_id)
);

-- The device-list change stream: a user's devices or cross-signing keys changed at stream_pos (a position of
-- the server-wide stream, so /keys/changes and /sync tokens compare with it).
CREATE TABLE device_list_changes (
    stream_pos     BIGINT PRIMARY KEY,
    user_id        TEXT NOT NULL
);
CREATE INDEX device_list_changes_user ON device_list_changes (user_id, stream_pos);
