-- Accounts that come from the LDAP directory / Active Directory: they sign in with the directory password
-- (no usable local password) and the sync keeps them in step. locked_by_sync: the sync locked the account
-- (users.locked) because its entry disappeared or was disabled, and unlocks it when the entry comes back; an
-- admin's lock or unlock clears the mark. admin_granted: the sync made the user an admin through
-- ldap.admin_group_dn (taken back only then).
CREATE TABLE ldap_users (
    user_id         TEXT PRIMARY KEY,
    dn              TEXT NOT NULL,
    locked_by_sync  INTEGER NOT NULL DEFAULT 0,
    admin_granted   INTEGER NOT NULL DEFAULT 0,
    linked_ts       BIGINT NOT NULL
);

-- Room memberships the sync made for ldap.group_rooms; only these are removed when the user leaves the group.
CREATE TABLE ldap_room_members (
    room_id   TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    group_dn  TEXT NOT NULL,
    added_ts  BIGINT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
