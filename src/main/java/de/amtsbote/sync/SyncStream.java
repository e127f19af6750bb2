package de.amtsbote.sync;

/**
 * One kind of thing /sync delivers (room timelines and state, account data, receipts, typing, to-device
 * messages, presence). Each stream knows how to fill its part of a first sync, its part of an incremental one,
 * and which position its part of next_batch moves to. SyncService asks every stream in turn; a stream writes
 * only its own sections of the response.
 */
public interface SyncStream {
    /**
     * Sets this stream's part of next_batch to its current position, before anything is read: whatever is
     * read afterwards is bounded by this position, so nothing committed later is skipped by the next sync.
     */
    default void advance(SyncRequest req, SyncResponse resp) { }

    /** Everything the client needs on a first (or full_state) sync. True if anything was added. */
    boolean initial(SyncRequest req, SyncResponse resp);

    /** What changed since req.since(). True if anything was added (an empty answer keeps waiting). */
    boolean incremental(SyncRequest req, SyncResponse resp);
}
