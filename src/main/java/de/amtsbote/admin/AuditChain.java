package de.amtsbote.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.CanonicalJson;
import de.amtsbote.storage.AuditStore;
import de.amtsbote.util.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The hash chain of the audit log (pure code). An entry's hash is the SHA-256 (lower-case hex) of the canonical
 * JSON (Matrix canonical JSON: sorted keys, no spaces, UTF-8) of the object
 * {@code {"action","actor","details","ip","prev_hash","seq","target","ts"}}, where details is the entry's
 * details object and ip/target may be null. The first entry's prev_hash is {@link #GENESIS}. So changing any
 * field, removing or reordering entries, or editing a hash breaks the chain at that entry; verifying needs
 * nothing but the rows (an exported JSON file can be checked the same way).
 */
public final class AuditChain {
    /** prev_hash of entry 1: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    /** The canonical bytes the hash is computed over. */
    static byte[] canonical(long seq, String prevHash, AuditStore.Draft d) {
        ObjectNode o = Json.object();
        o.put("seq", seq);
        o.put("ts", d.ts());
        o.put("actor", d.actor());
        o.put("ip", d.ip());
        o.put("action", d.action());
        o.put("target", d.target());
        o.set("details", Json.parse(d.details()));
        o.put("prev_hash", prevHash);
        return CanonicalJson.encode(o).getBytes(StandardCharsets.UTF_8);
    }

    public static String hash(long seq, String prevHash, AuditStore.Draft d) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical(seq, prevHash, d)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    /** The result of a verification: {@code firstBrokenSeq}/{@code reason} only when not ok. */
    public record Verification(boolean ok, long entries, Long firstBrokenSeq, String reason) {
        public ObjectNode json() {
            ObjectNode o = Json.object().put("ok", ok).put("entries", entries);
            if (!ok) o.put("first_broken_seq", firstBrokenSeq).put("reason", reason);
            return o;
        }
    }

    /**
     * Walks the whole log in seq order, page by page ({@code pages.apply(afterSeq)} gives the next entries
     * after afterSeq, empty at the end), and reports the first broken link: a missing seq, a prev_hash that is
     * not the previous entry's hash, or a hash that does not match the entry's contents. {@code entries}
     * counts every row present, also after a break.
     */
    public static Verification verify(LongFunction<List<AuditStore.Entry>> pages) {
        long expected = 1;
        String prev = GENESIS;
        long count = 0;
        Long broken = null;
        String reason = null;
        long after = 0;
        while (true) {
            List<AuditStore.Entry> page = pages.apply(after);
            if (page.isEmpty()) break;
            for (AuditStore.Entry e : page) {
                count++;
                after = e.seq();
                if (broken != null) continue;
                String problem = problem(e, expected, prev);
                if (problem != null) {
                    // A gap is reported at the first missing seq; anything else at the entry itself.
                    broken = e.seq() > expected ? expected : e.seq();
                    reason = problem;
                }
                expected = e.seq() + 1;
                prev = e.hash();
            }
        }
        return broken == null ? new Verification(true, count, null, null) : new Verification(false, count, broken, reason);
    }

    private static String problem(AuditStore.Entry e, long expected, String prev) {
        if (e.seq() != expected) {
            return e.seq() > expected
                    ? "missing seq: entry " + expected + (e.seq() > expected + 1 ? " to " + (e.seq() - 1) : "")
                            + " is not in the log (next present entry is " + e.seq() + ")"
                    : "seq out of order: entry " + e.seq() + " after " + (expected - 1);
        }
        if (!prev.equals(e.prevHash())) {
            return "prev_hash mismatch: entry " + e.seq() + " does not point to the hash of entry " + (e.seq() - 1);
        }
        JsonNode details;
        try {
            details = Json.parse(e.details());
        } catch (RuntimeException ex) {
            return "hash mismatch: entry " + e.seq() + " has details that are not valid JSON";
        }
        String canonicalDetails;
        try {
            canonicalDetails = CanonicalJson.encode(details);
        } catch (IllegalArgumentException ex) {
            return "hash mismatch: entry " + e.seq() + " has details that are not canonical JSON";
        }
        if (!canonicalDetails.equals(e.details())) {
            return "hash mismatch: entry " + e.seq() + " has details changed after writing (not in canonical form)";
        }
        String computed = hash(e.seq(), e.prevHash(),
                new AuditStore.Draft(e.ts(), e.actor(), e.ip(), e.action(), e.target(), e.details()));
        if (!computed.equals(e.hash())) {
            return "hash mismatch: the contents of entry " + e.seq() + " do not match its stored hash";
        }
        return null;
    }
}
