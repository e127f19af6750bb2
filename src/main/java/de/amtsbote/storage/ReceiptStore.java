package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** Read receipts (m.read, m.read.private) and the fully-read marker's partner data. */
public interface ReceiptStore {
    record Receipt(String roomId, String type, String userId, String threadId, String eventId, long eventPos,
                   long ts, long streamPos) {}

    /**
     * Stores a receipt unless the user already has one for a later event (receipts only move forward).
     * Returns the receipt's stream position, or -1 if not stored. onStored gets the position once committed
     * (before it is published: for in-memory hints only); afterCommit runs once it is published.
     */
    long put(Receipt r, java.util.function.LongConsumer onStored, Runnable afterCommit);

    /** Receipts of a room with after < stream_pos <= upTo. */
    List<Receipt> since(String roomId, long after, long upTo);

    /** The newest receipt stream position in the room (0 if none). */
    long lastPos(String roomId);

    /** The user's newest read position in the room (m.read or m.read.private, main timeline or unthreaded). */
    Optional<Long> readPosition(String roomId, String userId);
}
