package de.amtsbote.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.Req;
import de.amtsbote.rooms.CanonicalJson;
import de.amtsbote.storage.AuditStore;
import de.amtsbote.storage.StorageException;
import de.amtsbote.util.Json;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit log of administrative acts: the real {@link AdminAudit}. Each act becomes one hash-chained entry
 * (see {@link AuditChain}), appended on the database's single writer and durable before {@link #record}
 * returns, so the admin is answered only once the act is on record.
 *
 * <p>If recording fails (database gone), the act itself has already happened: answering 500 would make the
 * admin retry an act that succeeded (a second bot token, a second webhook). So a failed record is logged at
 * SEVERE with who/what/target and the admin still gets the act's answer. Every entry is also written to the
 * server log with its seq and hash, an independent copy that shows if the newest entries were cut off.
 */
public final class AuditLog implements AdminAudit {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int APPEND_TRIES = 10;
    static final int MAX_PAGE = 1000;

    private final AuditStore store;
    private final LongSupplier clock;

    public AuditLog(AuditStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void record(Req req, String action, String target, ObjectNode details) {
        append(actorOf(req), req.remoteAddress(), action, target, details);
    }

    /**
     * The signed-in admin; a request without a session (an endpoint authorised otherwise, e.g. by a shared
     * secret) is recorded as "anonymous" rather than failing after its act.
     */
    private static String actorOf(Req req) {
        try {
            return req.userId();
        } catch (de.amtsbote.http.MatrixException e) {
            return "anonymous";
        }
    }

    @Override
    public void recordSystem(String actor, String action, String target, ObjectNode details) {
        append(actor, null, action, target, details);
    }

    private void append(String actor, String ip, String action, String target, ObjectNode details) {
        AuditStore.Draft draft = new AuditStore.Draft(clock.getAsLong(), actor, ip, action, target,
                CanonicalJson.encode(withoutSecrets(details)));
        for (int attempt = 1; ; attempt++) {
            try {
                AuditStore.Entry e = store.append(draft, AuditChain.GENESIS, AuditChain::hash);
                LOG.info(() -> "audit #" + e.seq() + " " + action + " by " + actor + " on " + (target == null ? "-" : target) + " hash " + e.hash());
                return;
            } catch (StorageException | IllegalStateException e) {
                // A clash on seq means another process (the CLI) appended at the same moment: retry on the new head.
                if (attempt < APPEND_TRIES) {
                    pause(attempt);
                    continue;
                }
                LOG.log(Level.SEVERE, "AUDIT LOG WRITE FAILED: " + action + " by " + actor + " on " + target
                        + " happened but is NOT in the audit log", e);
                return;
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(10, 20L * attempt + 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keys whose values never go into the log, whatever a handler passes. */
    private static boolean secretKey(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.equals("access_token") || k.equals("refresh_token");
    }

    /**
     * A copy of details without secret values (replaced by "[removed]") and with fractional numbers as text,
     * which canonical JSON cannot hold.
     */
    static ObjectNode withoutSecrets(ObjectNode details) {
        if (details == null) return Json.object();
        return (ObjectNode) clean(details);
    }

    private static JsonNode clean(JsonNode n) {
        if (n.isObject()) {
            ObjectNode out = Json.object();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                out.set(e.getKey(), secretKey(e.getKey()) ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode("[removed]") : clean(e.getValue()));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = Json.array();
            for (JsonNode c : n) out.add(clean(c));
            return out;
        }
        if (n.isNumber() && !n.isIntegralNumber()) return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(n.asText());
        if (n.isIntegralNumber() && n.bigIntegerValue().abs().compareTo(java.math.BigInteger.valueOf(CanonicalJson.MAX_SAFE_INTEGER)) > 0) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(n.asText());
        }
        return n;
    }

    /** One page, newest first, and where the next page starts (null = no more). */
    public record Page(List<AuditStore.Entry> entries, Long nextFrom) {}

    public Page page(Long fromSeq, AuditStore.Filter filter, int limit) {
        List<AuditStore.Entry> rows = store.newestFirst(fromSeq, filter, limit + 1);
        if (rows.size() <= limit) return new Page(rows, null);
        return new Page(rows.subList(0, limit), rows.get(limit).seq());
    }

    /** Checks the whole chain; see {@link AuditChain#verify}. */
    public AuditChain.Verification verify() {
        return AuditChain.verify(after -> store.ascending(after, MAX_PAGE));
    }

    /** All entries in chain order, page by page, for exports. */
    public void forEach(java.util.function.Consumer<AuditStore.Entry> each) {
        long after = 0;
        while (true) {
            List<AuditStore.Entry> page = store.ascending(after, MAX_PAGE);
            if (page.isEmpty()) return;
            for (AuditStore.Entry e : page) each.accept(e);
            after = page.getLast().seq();
        }
    }

    /** An entry as the admin API shows it (details as a JSON object). */
    public static ObjectNode json(AuditStore.Entry e) {
        ObjectNode o = Json.object();
        o.put("seq", e.seq());
        o.put("ts", e.ts());
        o.put("actor", e.actor());
        o.put("ip", e.ip());
        o.put("action", e.action());
        o.put("target", e.target());
        JsonNode details;
        try {
            details = Json.parse(e.details());
        } catch (RuntimeException ex) {
            details = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(e.details()); // a tampered row still shows what is stored
        }
        o.set("details", details);
        o.put("prev_hash", e.prevHash());
        o.put("hash", e.hash());
        return o;
    }
}
