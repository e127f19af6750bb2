package de.amtsbote.rooms;

import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Pages through a room's events as one user may see them. Positions are stream positions; a page from
 * position p going backwards returns events at or before p, going forwards events after p.
 */
public final class Timeline {
    private static final int BATCH = 200;
    private final EventStore store;
    private final HistoryVisibility visibility;

    public Timeline(EventStore store, HistoryVisibility visibility) {
        this.store = store;
        this.visibility = visibility;
    }

    /**
     * @param events the page, in the direction of travel
     * @param exhausted true if there are no more events in that direction (up to the bound)
     * @param scannedTo the last position looked at, where the next page starts
     */
    public record Page(List<StoredEvent> events, boolean exhausted, long scannedTo) {}

    public Page page(String roomId, HistoryVisibility.Checker who, long from, long bound, boolean backwards, int limit,
                     EventFilter filter) {
        List<StoredEvent> out = new ArrayList<>();
        long cursor = from;
        while (out.size() < limit) {
            List<StoredEvent> batch = backwards
                    ? store.roomEvents(roomId, Math.max(bound, -1), cursor, BATCH, true)
                    : store.roomEvents(roomId, cursor, bound, BATCH, false);
            for (StoredEvent e : batch) {
                cursor = backwards ? e.streamPos() - 1 : e.streamPos();
                if (filter.matches(e) && (who == null || who.canSee(e))) {
                    out.add(e);
                    if (out.size() == limit) return new Page(out, false, cursor);
                }
            }
            if (batch.size() < BATCH) return new Page(out, true, backwards ? Math.max(bound, cursor) : bound);
        }
        return new Page(out, false, cursor);
    }

    public HistoryVisibility visibility() { return visibility; }
}
