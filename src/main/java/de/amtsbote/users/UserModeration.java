package de.amtsbote.users;

import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Session;
import de.amtsbote.storage.DeviceWipeStore;
import de.amtsbote.storage.UserAdminStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What an admin does to accounts beyond creating them: lock and unlock, deactivate (and erase), make admin,
 * reset passwords, and remotely wipe a device.
 *
 * <p>Lock (spec: account locking): the account's sessions stay valid, but every request except logout is
 * refused with 401 M_USER_LOCKED (soft_logout true) and sign-in is refused, until unlocked. Waiting long-polls
 * are woken at once. Wipe: the device and its keys are deleted, so its token answers 401 M_UNKNOWN_TOKEN with
 * soft_logout false (apps then delete their local data); the token's hash is kept, so the device's next
 * request is recognised, answered with {@code de.amtsbote.wiped: true} and recorded as the confirmation.
 * Locks and wiped tokens are held in memory: checked on every request, they must cost no query.
 */
public final class UserModeration {
    private final Accounts accounts;
    private final UserAdminStore store;
    private final DeviceWipeStore wipes;
    private final LongSupplier clock;
    private final Set<String> locked = ConcurrentHashMap.newKeySet();
    /** token hash -> wipe id, for every token of a wiped device. */
    private final Map<String, String> wipedTokens = new ConcurrentHashMap<>();
    private final Set<String> confirmedWipes = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> leaveAllRooms = userId -> {};
    private volatile Consumer<String> profileChanged = userId -> {};
    private volatile Consumer<String> lockChanged = userId -> {};
    private final List<Consumer<String>> dataDeletedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public UserModeration(Accounts accounts, UserAdminStore store, DeviceWipeStore wipes, LongSupplier clock) {
        this.accounts = accounts;
        this.store = store;
        this.wipes = wipes;
        this.clock = clock;
        locked.addAll(store.lockedUsers());
        wipedTokens.putAll(wipes.tokenHashes());
        confirmedWipes.addAll(wipes.confirmedIds());
        accounts.setModeration(locked::contains, this::wipedTokenPresented);
    }

    /** How a deactivated user leaves their rooms, and how a changed profile reaches the member events. */
    public void setRoomHooks(Consumer<String> leaveAllRooms, Consumer<String> profileChanged) {
        this.leaveAllRooms = leaveAllRooms;
        this.profileChanged = profileChanged;
    }

    /** Told of every lock and unlock, after it was stored (the LDAP sync learns that an admin took a lock over). */
    public void onLockChanged(Consumer<String> lockChanged) { this.lockChanged = lockChanged; }

    public UserAdminStore store() { return store; }

    public Accounts accounts() { return accounts; }

    public boolean isLocked(String userId) { return locked.contains(userId); }

    /** Locks or unlocks; a lock ends the user's waiting long-polls at once. */
    public void setLocked(String userId, boolean lock) {
        store.setLocked(userId, lock);
        if (lock) {
            locked.add(userId);
            accounts.wakeSessions(userId);
        } else {
            locked.remove(userId);
        }
        lockChanged.accept(userId);
    }

    public void setAdmin(String userId, boolean admin) { store.setAdmin(userId, admin); }

    /**
     * Told the user id after their personal data was deleted (on deactivation and reactivation), so that what
     * is held in memory goes too: cached push rules and ignore list, presence (set offline).
     */
    public void onPersonalDataDeleted(Consumer<String> listener) { dataDeletedListeners.add(listener); }

    /**
     * Deactivates (Synapse's admin API and its list): no more sign-in (password removed); all devices, tokens,
     * device keys and pushers deleted; the user's personal data deleted (account data incl. push rules and the
     * ignore list, filters, cross-signing keys and signatures by or for them, key backups, pending to-device
     * messages, see {@link UserAdminStore#deletePersonalData}); the user leaves every room and rejects every
     * pending invite (and withdraws knocks). Messages stay in the rooms. With erase also display name and
     * avatar are removed and the account is marked erased. This is the one way an account is deactivated.
     */
    public void deactivate(String userId, boolean erase) {
        store.deactivate(userId, erase);
        store.deletePersonalData(userId);
        accounts.logoutAll(userId); // after the keys are gone: its device-list change tells others to re-query
        leaveAllRooms.accept(userId);
        if (erase) profileChanged.accept(userId);
        dataDeletedListeners.forEach(l -> l.accept(userId));
    }

    /**
     * Reactivates with a new password (a deactivated account has none). The account starts empty: personal
     * data is deleted again, for accounts deactivated before deactivation deleted it.
     */
    public void reactivate(String userId, String password) {
        store.deletePersonalData(userId);
        dataDeletedListeners.forEach(l -> l.accept(userId));
        setPassword(userId, password, false, null);
        store.reactivate(userId);
    }

    /**
     * Sets a password; logoutDevices signs out every device of the user except the admin's own current one
     * when admins reset their own password (as Synapse does).
     */
    public void setPassword(String userId, String password, boolean logoutDevices, Session caller) {
        String keep = caller != null && caller.userId().equals(userId) ? caller.deviceId() : null;
        accounts.changePassword(userId, password, logoutDevices, new Session(userId, keep, "", false));
    }

    public void setProfile(String userId, String displayname, String avatarUrl) {
        accounts.store().setProfile(userId, displayname, avatarUrl);
        profileChanged.accept(userId);
    }

    /** Wipes a device: recorded first (with its token hashes), then deleted with its keys. 404 if unknown. */
    public void wipe(String userId, String deviceId, String requestedBy) {
        if (accounts.store().device(userId, deviceId).isEmpty()) throw MatrixException.notFound("No such device");
        String wipeId = Tokens.random(12);
        List<String> hashes = wipes.add(new DeviceWipeStore.Wipe(wipeId, userId, deviceId, clock.getAsLong(),
                requestedBy, null));
        for (String h : hashes) wipedTokens.put(h, wipeId);
        accounts.deleteDevice(userId, deviceId);
    }

    public List<DeviceWipeStore.Wipe> wipes(String userId) { return wipes.forUser(userId); }

    /** A token that is no longer valid was presented: if it was wiped, the first time confirms the wipe. */
    private boolean wipedTokenPresented(String tokenHash) {
        String wipeId = wipedTokens.get(tokenHash);
        if (wipeId == null) return false;
        if (confirmedWipes.add(wipeId)) wipes.confirm(wipeId, clock.getAsLong());
        return true;
    }
}
