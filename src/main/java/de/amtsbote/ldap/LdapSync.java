package de.amtsbote.ldap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.admin.AdminAudit;
import de.amtsbote.config.LdapConfig;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.LdapStore;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Keeps directory accounts in step with the directory: creates accounts for new entries, takes over display
 * names, locks accounts whose entry disappeared or is disabled (and unlocks them when they come back), grants
 * and takes back the admin flag of ldap.admin_group_dn, and keeps group members in their mapped rooms.
 *
 * <p>Locking is the spec's account lock ({@link de.amtsbote.users.UserModeration}): sessions stay, every request
 * is refused with M_USER_LOCKED until unlocked. The sync unlocks only its own locks: an account an admin locked
 * or unlocked is the admin's (an admin's lock stays however the directory looks), deactivated accounts are
 * left alone.
 *
 * <p>The directory is read completely before anything changes, so an unreachable directory changes nothing.
 * A sync that would lock more than ldap.max_lock_percent of the directory accounts (or any account while the
 * directory returned nobody) is refused as a whole. Every change is recorded in the audit log as "ldap-sync".
 */
public final class LdapSync {
    private static final Logger LOG = Logger.getLogger(LdapSync.class.getName());
    static final String ACTOR = "ldap-sync";

    private final LdapConfig config;
    private final LdapDirectory directory;
    private final LdapAccounts accounts;
    private final GroupRooms groupRooms;
    private final AdminAudit audit;
    private final LongSupplier clock;
    private final ReentrantLock running = new ReentrantLock();
    private volatile Long lastSyncTs;
    private volatile ObjectNode lastResult;

    LdapSync(LdapConfig config, LdapDirectory directory, LdapAccounts accounts, GroupRooms groupRooms, AdminAudit audit,
             LongSupplier clock) {
        this.config = config;
        this.directory = directory;
        this.accounts = accounts;
        this.groupRooms = groupRooms;
        this.audit = audit;
        this.clock = clock;
    }

    public Long lastSyncTs() { return lastSyncTs; }

    public ObjectNode lastResult() { return lastResult == null ? null : lastResult.deepCopy(); }

    /** Runs one sync (one at a time; a second caller waits and then syncs again) and returns its result. */
    public ObjectNode run() {
        running.lock();
        try {
            long started = clock.getAsLong();
            ObjectNode result = Json.object();
            result.put("started_ts", started);
            try {
                sync(result);
            } catch (DirectoryException e) {
                result.removeAll();
                result.put("started_ts", started);
                result.put("ok", false);
                result.put("error", "Directory not readable, nothing was changed: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "LDAP sync failed", e);
                result.put("ok", false);
                // The lists filled so far stay: they are the changes that did happen.
                result.put("error", "The sync stopped with an internal error after the changes listed here; see the server log.");
            }
            result.put("started_ts", started);
            result.put("finished_ts", clock.getAsLong());
            lastSyncTs = started;
            lastResult = result;
            LOG.info("LDAP sync: " + summary(result));
            return result.deepCopy();
        } finally {
            running.unlock();
        }
    }

    private void sync(ObjectNode result) {
        Set<String> groups = new LinkedHashSet<>();
        if (config.adminGroupDn() != null) groups.add(config.adminGroupDn());
        config.groupRooms().forEach(g -> groups.add(g.groupDn()));
        LdapDirectory.Snapshot snap = directory.snapshot(groups);

        result.put("directory_users", snap.users().size());
        // Filled in as the changes happen, so a sync stopped by an unexpected error still lists what it did.
        ArrayNode created = result.putArray("created"), updated = result.putArray("updated");
        ArrayNode locked = result.putArray("locked"), unlocked = result.putArray("unlocked");
        ArrayNode admins = result.putArray("admin_granted"), notAdmins = result.putArray("admin_revoked");
        ArrayNode joined = result.putArray("joined"), kicked = result.putArray("kicked");
        ArrayNode skipped = result.putArray("skipped"), errors = result.putArray("errors");
        snap.groupErrors().values().forEach(errors::add);

        // Usable entries by user name; entries whose name cannot be a Matrix user name, or appear twice, are skipped.
        Map<String, DirectoryUser> byName = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (DirectoryUser u : snap.users()) {
            if (u.localpart() == null) {
                skip(skipped, u.rawName(), u.dn(), "the user name is not usable in Matrix (only a-z, 0-9 and . _ = - / +)");
            } else if (byName.putIfAbsent(u.localpart(), u) != null) {
                duplicates.add(u.localpart());
            }
        }
        for (String d : duplicates) {
            skip(skipped, d, byName.remove(d).dn(), "several directory entries have this user name");
        }

        // Plan the locks first: the safety check must see them all before anything is applied.
        List<LdapStore.LinkedUser> linked = accounts.store().allLinked();
        Map<String, AccountStore.User> localByUser = new HashMap<>();
        int active = 0;
        List<LdapStore.LinkedUser> toLock = new java.util.ArrayList<>();
        for (LdapStore.LinkedUser l : linked) {
            AccountStore.User local = accounts.accounts().user(l.userId()).orElse(null);
            if (local == null) continue;
            localByUser.put(l.userId(), local);
            if (local.deactivated() || accounts.moderation().isLocked(l.userId())) continue;
            active++;
            DirectoryUser entry = byName.get(localpart(l.userId()));
            if (entry == null || entry.disabled()) toLock.add(l);
        }
        if (!toLock.isEmpty() && (snap.users().isEmpty() || toLock.size() * 100L > (long) config.maxLockPercent() * active)) {
            result.removeAll();
            result.put("ok", false);
            result.put("refused", true);
            result.put("would_lock", toLock.size());
            result.put("active_directory_accounts", active);
            result.put("directory_users", snap.users().size());
            result.put("error", "Refused: this sync would lock " + toLock.size() + " of " + active
                    + " directory accounts, more than ldap.max_lock_percent (" + config.maxLockPercent()
                    + "%) allows. Nothing was changed. Check ldap.base_dn and ldap.user_filter; if the accounts "
                    + "really are gone, raise ldap.max_lock_percent for one sync.");
            return;
        }

        for (LdapStore.LinkedUser l : toLock) {
            // Locked first, then marked as the sync's (the lock itself clears the mark); stopped in between,
            // the account stays locked and waits for an admin: never the other way round.
            accounts.moderation().setLocked(l.userId(), true);
            accounts.store().setLockedBySync(l.userId(), true);
            DirectoryUser entry = byName.get(localpart(l.userId()));
            ObjectNode d = Json.object();
            d.put("reason", entry == null ? "not in the directory any more" : "disabled in the directory");
            audit.recordSystem(ACTOR, "user.lock", l.userId(), d);
            locked.add(l.userId());
        }

        Map<String, LdapStore.LinkedUser> linkedById = new HashMap<>();
        linked.forEach(l -> linkedById.put(l.userId(), l));
        Map<String, String> enabledByDn = new HashMap<>();
        for (DirectoryUser u : byName.values()) {
            if (u.disabled()) continue;
            String userId = accounts.accounts().userId(u.localpart());
            AccountStore.User local = localByUser.get(userId);
            try {
                if (!linkedById.containsKey(userId)) {
                    if (accounts.accounts().user(userId).isPresent() || !accounts.create(u, ACTOR)) {
                        skip(skipped, userId, u.dn(), "an account with this name was created in Amtsbote, not from the directory; left alone");
                        continue;
                    }
                    created.add(userId);
                } else if (local != null) {
                    LdapStore.LinkedUser l = linkedById.get(userId);
                    if (!l.dn().equals(u.dn())) accounts.store().link(userId, u.dn(), clock.getAsLong());
                    if (local.deactivated()) continue; // deactivated by an admin: the sync does not undo that
                    if (l.lockedBySync() && accounts.moderation().isLocked(userId)) {
                        accounts.moderation().setLocked(userId, false); // also clears the mark
                        audit.recordSystem(ACTOR, "user.unlock", userId, Json.object().put("reason", "enabled in the directory again"));
                        unlocked.add(userId);
                    }
                    // Locked by an admin: stays locked, but keeps its name and rooms like any directory member
                    // (a lock takes nothing away).
                    if (accounts.updateDisplayname(local, u, ACTOR)) updated.add(userId);
                }
                enabledByDn.put(u.dn(), userId);
            } catch (MatrixException e) {
                errors.add(userId + ": " + e.getMessage());
            }
        }

        if (config.adminGroupDn() != null) {
            Set<String> members = snap.groupMembers().get(LdapDirectory.normalize(config.adminGroupDn()));
            if (members != null) syncAdmins(members, enabledByDn, admins, notAdmins);
        }
        groupRooms.sync(snap, enabledByDn, joined, kicked, errors);
        result.put("ok", errors.isEmpty());
    }

    private void syncAdmins(Set<String> memberDns, Map<String, String> enabledByDn, ArrayNode granted, ArrayNode revoked) {
        Set<String> wanted = new HashSet<>();
        memberDns.forEach(dn -> {
            String userId = enabledByDn.get(dn);
            if (userId != null) wanted.add(userId);
        });
        for (LdapStore.LinkedUser l : accounts.store().allLinked()) {
            AccountStore.User local = accounts.accounts().user(l.userId()).orElse(null);
            if (local == null) continue;
            boolean want = wanted.contains(l.userId()) && !local.deactivated();
            if (want && !local.admin()) {
                accounts.store().setAdminGranted(l.userId(), true);
                audit.recordSystem(ACTOR, "user.admin.grant", l.userId(), Json.object().put("group", config.adminGroupDn()));
                granted.add(l.userId());
            } else if (!want && l.adminGranted()) {
                // Only an admin flag the sync gave is taken back; admins made by hand stay admins.
                accounts.store().setAdminGranted(l.userId(), false);
                audit.recordSystem(ACTOR, "user.admin.revoke", l.userId(), Json.object().put("group", config.adminGroupDn()));
                revoked.add(l.userId());
            }
        }
    }

    private static void skip(ArrayNode skipped, String user, String dn, String reason) {
        ObjectNode o = skipped.addObject();
        o.put("user", user);
        o.put("dn", dn);
        o.put("reason", reason);
    }

    private static String localpart(String userId) { return userId.substring(1, userId.indexOf(':')); }

    private static String summary(ObjectNode r) {
        if (!r.path("ok").asBoolean() && r.has("error")) return r.get("error").asText();
        return "created " + r.path("created").size() + ", updated " + r.path("updated").size() + ", locked "
                + r.path("locked").size() + ", unlocked " + r.path("unlocked").size() + ", joined "
                + r.path("joined").size() + ", kicked " + r.path("kicked").size() + ", errors " + r.path("errors").size();
    }
}
