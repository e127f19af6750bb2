package de.amtsbote.storage;

import java.util.List;

/**
 * The audit log's rows (table {@code audit_log}). Append-only: there is deliberately no update or delete. The
 * hash of a new entry is computed by the caller's {@link Chain} inside the write, from the head the write sees,
 * so entries always chain onto the real last entry.
 */
public interface AuditStore {
    /** One stored entry; {@code details} is canonical JSON text, {@code ip} and {@code target} may be null. */
    record Entry(long seq, long ts, String actor, String ip, String action, String target, String details,
                 String prevHash, String hash) {}

    /** What an admin act contributes; seq, prev_hash and hash are added on append. */
    record Draft(long ts, String actor, String ip, String action, String target, String details) {}

    /** Computes an entry's hash from its seq, the previous entry's hash and its fields. */
    @FunctionalInterface
    interface Chain {
        String hash(long seq, String prevHash, Draft draft);
    }

    /** Exact-match filters for listing; null = any. */
    record Filter(String action, String actor, String target) {}

    /**
     * Appends after the current last entry (prev_hash = its hash, or {@code genesis} for the first) and waits
     * until the entry is durable. Fails with StorageException if another writer appended the same seq at the
     * same time (the caller retries).
     */
    Entry append(Draft draft, String genesis, Chain chain);

    /** Entries with seq <= fromSeq (null = from the newest) matching the filter, newest first, at most limit. */
    List<Entry> newestFirst(Long fromSeq, Filter filter, int limit);

    /** Entries with seq > afterSeq in ascending seq order, at most limit (for verifying and exporting in pages). */
    List<Entry> ascending(long afterSeq, int limit);
}
