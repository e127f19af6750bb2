package de.amtsbote.sync;

import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.ReceiptStore;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Unread notification and highlight counts per user and room, as /sync reports them. Counted once from the
 * database (notifications after the user's read receipt), then kept current in memory as events arrive, so a
 * busy room does not cost a count query per /sync.
 */
public final class UnreadCounts {
    /** Counts as of stream position asOf; increments for positions <= asOf are already included. */
    private record Entry(int notifications, int highlights, long asOf) {}

    private final EventStore events;
    private final ReceiptStore receipts;
    private final LongSupplier committedPos;
    private final ConcurrentHashMap<String, Entry> counts = new ConcurrentHashMap<>();

    public UnreadCounts(EventStore events, ReceiptStore receipts, LongSupplier committedPos) {
        this.events = events;
        this.receipts = receipts;
        this.committedPos = committedPos;
    }

    private static String key(String userId, String roomId) { return userId + "\u0000" + roomId; }

    public EventStore.Counts get(String userId, String roomId) {
        Entry e = counts.computeIfAbsent(key(userId, roomId), k -> load(userId, roomId));
        return new EventStore.Counts(e.notifications(), e.highlights());
    }

    private Entry load(String userId, String roomId) {
        long asOf = committedPos.getAsLong();
        long read = receipts.readPosition(roomId, userId).orElse(0L);
        EventStore.Counts c = events.notificationCountsBetween(userId, roomId, read, asOf);
        return new Entry(c.notifications(), c.highlights(), asOf);
    }

    /** Called after events with notifications are committed. */
    public void added(String roomId, long pos, List<EventStore.Notification> notifications) {
        for (EventStore.Notification n : notifications) {
            counts.computeIfPresent(key(n.userId(), roomId), (k, e) -> pos <= e.asOf() ? e
                    : new Entry(e.notifications() + 1, e.highlights() + (n.highlight() ? 1 : 0), e.asOf()));
        }
    }

    /** The user's read receipt moved: count again on next use. */
    public void invalidate(String userId, String roomId) {
        counts.remove(key(userId, roomId));
    }
}
