package de.amtsbote.rooms;

import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The newest committed events of a room, kept in memory so that an incremental /sync of a busy room needs no
 * database read. Appended in commit order by the database writer.
 */
public final class RecentEvents {
    private static final int CAPACITY = 256;
    private final ArrayDeque<StoredEvent> events = new ArrayDeque<>();
    /** Events after this position are all in the cache (if the cache was filled since load). */
    private long complete = Long.MAX_VALUE;

    synchronized void append(StoredEvent e) {
        if (complete == Long.MAX_VALUE) complete = e.streamPos() - 1;
        events.addLast(e);
        while (events.size() > CAPACITY) complete = events.removeFirst().streamPos();
    }

    /** Marks a cached event as redacted, so the cache serves what the database would. */
    synchronized void redacted(String eventId, String redactionId) {
        if (events.stream().noneMatch(e -> e.eventId().equals(eventId))) return;
        List<StoredEvent> copy = new ArrayList<>(events);
        events.clear();
        for (StoredEvent e : copy) {
            events.addLast(e.eventId().equals(eventId) && e.redactedBy() == null
                    ? new StoredEvent(e.streamPos(), e.eventId(), e.roomId(), e.type(), e.stateKey(), e.sender(),
                            redactionId, e.txnDevice(), e.txnId(), e.pdu())
                    : e);
        }
    }

    /**
     * Events with after < pos <= upTo, oldest first, or null if the cache does not reach back to after.
     */
    public synchronized List<StoredEvent> between(long after, long upTo) {
        if (after < complete) return null;
        List<StoredEvent> out = new ArrayList<>();
        for (StoredEvent e : events) {
            if (e.streamPos() > after && e.streamPos() <= upTo) out.add(e);
        }
        return out;
    }
}
