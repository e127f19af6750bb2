package de.amtsbote.ldap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.admin.AdminAudit;
import de.amtsbote.config.LdapConfig;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.LdapStore;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.UserModeration;
import de.amtsbote.util.Json;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * LDAP / Active Directory as one component: when ldap.enabled, directory users sign in with their directory
 * password ({@link LdapAuth} hooked into {@link Accounts}) and {@link LdapSync} runs every
 * ldap.sync_interval_minutes on a virtual thread (and when an admin asks). Guide: docs/ldap.md.
 */
public final class Ldap implements AutoCloseable {
    private final LdapSync sync;
    private final ScheduledExecutorService scheduler;

    private Ldap(LdapSync sync, ScheduledExecutorService scheduler) {
        this.sync = sync;
        this.scheduler = scheduler;
    }

    /** Wires sign-in and the scheduled sync if the config switches LDAP on; otherwise a switched-off component. */
    public static Ldap create(LdapConfig config, LdapStore store, Accounts accounts, UserModeration moderation,
                              RoomActions actions, AdminAudit audit, LongSupplier clock) {
        if (!config.enabled()) return new Ldap(null, null);
        LdapDirectory directory = new LdapDirectory(config);
        LdapAccounts ldapAccounts = new LdapAccounts(accounts, moderation, store, actions, audit, clock);
        // Any lock or unlock (an admin's, or the sync's own just before it marks it) makes the lock not the sync's.
        moderation.onLockChanged(userId -> store.setLockedBySync(userId, false));
        accounts.setExternalAuth(new LdapAuth(directory, ldapAccounts));
        LdapSync sync = new LdapSync(config, directory, ldapAccounts,
                new GroupRooms(config.groupRooms(), actions, store, audit, clock), audit, clock);
        ScheduledExecutorService scheduler = null;
        if (config.syncIntervalMinutes() > 0) {
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("ldap-sync").factory());
            // The first sync a minute after start, so a restart loop cannot hammer the directory.
            scheduler.scheduleWithFixedDelay(sync::run, 1, config.syncIntervalMinutes(), TimeUnit.MINUTES);
        }
        return new Ldap(sync, scheduler);
    }

    public boolean enabled() { return sync != null; }

    /** The sync, or null when LDAP is switched off. */
    public LdapSync sync() { return sync; }

    /** {"enabled", "last_sync_ts", "last_result"} for GET /_amtsbote/admin/v1/ldap and the server status. */
    public ObjectNode status() {
        ObjectNode out = Json.object();
        out.put("enabled", enabled());
        if (sync != null && sync.lastSyncTs() != null) out.put("last_sync_ts", sync.lastSyncTs());
        else out.putNull("last_sync_ts");
        ObjectNode last = sync == null ? null : sync.lastResult();
        if (last != null) out.set("last_result", last);
        else out.putNull("last_result");
        return out;
    }

    @Override
    public void close() {
        if (scheduler != null) scheduler.shutdownNow();
    }
}
