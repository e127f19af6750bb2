package de.amtsbote.sync;

import de.amtsbote.rooms.EventFilter;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The timeline part of one room in a /sync response: the newest visible events after a bound, oldest first.
 *
 * @param limited true exactly when visible, matching events were left out (one more than the limit was found)
 * @param prevBatch where back-pagination continues: just before the oldest event returned
 * @param start the position the timeline starts after; state "at the start of the timeline" is the state there
 */
public record TimelineWindow(List<StoredEvent> events, boolean limited, long prevBatch, long start) {

    /** The steady-state fast path: every event since the token, already in memory, none left out. */
    static TimelineWindow ofCached(List<StoredEvent> cached, long upTo, Set<String> ignored) {
        List<StoredEvent> shown = withoutIgnored(cached, ignored);
        long start = cached.isEmpty() ? upTo : cached.getFirst().streamPos() - 1;
        return new TimelineWindow(shown, false, start, start);
    }

    /**
     * Pages back from `from` to `bound` (exclusive) through what the user may see. Asks for one event more than
     * the limit, so limited is exact; a limit of 0 still tells whether anything was left out.
     */
    public static TimelineWindow paged(Timeline timeline, String roomId, HistoryVisibility.Checker who, long from, long bound,
                                int limit, EventFilter filter, Set<String> ignored) {
        Timeline.Page page = timeline.page(roomId, who, from, bound, true, limit + 1, filter);
        List<StoredEvent> events = new ArrayList<>(page.events());
        boolean limited = events.size() > limit;
        while (events.size() > limit) events.removeLast();
        Collections.reverse(events);
        long start = events.isEmpty() ? from : events.getFirst().streamPos() - 1;
        return new TimelineWindow(withoutIgnored(events, ignored), limited, start, start);
    }

    /** Events from ignored users are hidden, except state events (the room's state must stay complete). */
    private static List<StoredEvent> withoutIgnored(List<StoredEvent> events, Set<String> ignored) {
        if (ignored.isEmpty()) return events;
        List<StoredEvent> out = new ArrayList<>(events.size());
        for (StoredEvent e : events) if (e.isState() || !ignored.contains(e.sender())) out.add(e);
        return out;
    }
}
