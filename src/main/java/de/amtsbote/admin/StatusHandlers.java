package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.http.Router;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.ServerStatsStore;
import de.amtsbote.util.Json;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /_amtsbote/admin/v1/status}: what the console's status page shows. {@code ldap} is null unless a
 * directory component plugs in its status with {@link #ldapStatus(Supplier)}
 * ({@code {"enabled":true,"last_sync_ts","last_result"}}).
 */
public final class StatusHandlers implements Handlers {
    private final String serverName;
    private final Database.Dialect dialect;
    private final ServerStatsStore stats;
    private final long startedMs;
    private final LongSupplier clock;
    private volatile Supplier<ObjectNode> ldapStatus = () -> null;

    public StatusHandlers(String serverName, Database.Dialect dialect, ServerStatsStore stats, long startedMs,
                          LongSupplier clock) {
        this.serverName = serverName;
        this.dialect = dialect;
        this.stats = stats;
        this.startedMs = startedMs;
        this.clock = clock;
    }

    /** Where the LDAP component reports its state; a supplier returning null shows {@code "ldap": null}. */
    public void ldapStatus(Supplier<ObjectNode> supplier) { this.ldapStatus = supplier; }

    /** The server's version from the jar manifest; "dev" when run from the build directory. */
    static String version() {
        String v = StatusHandlers.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public void register(Router r) {
        r.add("GET", "/_amtsbote/admin/v1/status", ADMIN, req -> {
            ObjectNode out = Json.object();
            out.put("server_name", serverName);
            out.put("version", version());
            out.put("uptime_ms", Math.max(0, clock.getAsLong() - startedMs));
            out.put("database", dialect == Database.Dialect.SQLITE ? "sqlite" : "postgresql");
            out.put("users", stats.activeUsers());
            out.put("rooms", stats.rooms());
            ObjectNode ldap = ldapStatus.get();
            out.set("ldap", ldap == null ? NullNode.getInstance() : ldap);
            return out;
        });
    }
}
