package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** Which accounts come from the LDAP directory, and the room memberships the directory sync made. */
public interface LdapStore {
    record LinkedUser(String userId, String dn, boolean lockedBySync, boolean adminGranted) {}

    record RoomMember(String roomId, String userId, String groupDn) {}

    Optional<LinkedUser> linked(String userId);

    List<LinkedUser> allLinked();

    /** Marks the (existing) account as a directory account with its entry's DN; updates the DN if linked. */
    void link(String userId, String dn, long ts);

    /**
     * Remembers whether the account's current lock is the sync's (only those the sync unlocks again). The lock
     * itself is users.UserModeration's; any lock or unlock by an admin clears this mark.
     */
    void setLockedBySync(String userId, boolean locked);

    /** Sets the account's admin flag, remembering that the sync granted it, in one write. */
    void setAdminGranted(String userId, boolean granted);

    List<RoomMember> roomMembers();

    void addRoomMember(RoomMember member, long ts);

    void removeRoomMember(String roomId, String userId);
}
