package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What admins see and change of accounts beyond sign-in: listing with filters, admin flag, lock, deactivation. */
public interface UserAdminStore {
    /** An account as the admin API shows it; lastSeenTs is the newest of its devices' (null if none). */
    record AdminUser(AccountStore.User user, boolean locked, boolean erased, Long lastSeenTs) {}

    /** Sort keys of the user list (Synapse's order_by values that mean something here). */
    enum Order { NAME, ADMIN, DEACTIVATED, DISPLAYNAME, AVATAR_URL, CREATION_TS, LAST_SEEN_TS, LOCKED }

    /**
     * A page of the user list. name: part of the localpart or display name (case-insensitive), else
     * userIdPart: part of the user id; admins: null = both; then the order (ties by user id) and the offset.
     */
    record Query(String name, String userIdPart, Boolean admins, boolean includeDeactivated,
                 boolean includeLocked, Order order, boolean backwards, int from, int limit) {}

    record Page(List<AdminUser> users, long total) {}

    Page list(Query query);

    Optional<AdminUser> user(String userId);

    Set<String> lockedUsers();

    void setLocked(String userId, boolean locked);

    void setAdmin(String userId, boolean admin);

    /**
     * Marks the account deactivated and removes its password; with erase also its display name and avatar,
     * and marks it erased. Its devices and tokens are removed separately (through the accounts component).
     */
    void deactivate(String userId, boolean erase);

    /**
     * Deletes what the account kept for its own use, in one transaction: account data (global and per room,
     * incl. push rules and the ignore list), filters, cross-signing keys and every signature made by or for
     * the user, key backups (version rows stay, marked deleted and emptied, so a number is never reused),
     * pending to-device messages and their transaction ids, and any pushers left over. Device keys go with the
     * devices (Accounts.logoutAll through the key store, which caches counts). Room
     * events and memberships stay (they belong to the rooms' history).
     */
    void deletePersonalData(String userId);

    /** Reactivates an account (Synapse: PUT v2/users with deactivated false); it needs a new password to sign in. */
    void reactivate(String userId);
}
