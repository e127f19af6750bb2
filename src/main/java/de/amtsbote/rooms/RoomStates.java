package de.amtsbote.rooms;

import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one way to read a room's state as a user may see it: at a stream position, bounded by what the user
 * was allowed to see (their leave, kick or ban; an invite only per history visibility; anything when the
 * room is world_readable). Used by /context, /state, /members (also ?at=), and by /sync for the state at a
 * timeline's start and the state a gap in the timeline changed (for rooms sync has already found the user
 * may see).
 */
public final class RoomStates {
    private final RoomService rooms;
    private final HistoryVisibility visibility;

    public RoomStates(RoomService rooms, HistoryVisibility visibility) {
        this.rooms = rooms;
        this.visibility = visibility;
    }

    /** The user's view of the room's history; 403 if they may not read the room at all. */
    public HistoryVisibility.Checker reader(String roomId, String userId) {
        HistoryVisibility.Checker who = rooms.room(roomId) == null ? null : visibility.forUser(roomId, userId);
        if (who == null || !who.mayRead()) throw MatrixException.forbidden("You are not allowed to read this room");
        return who;
    }

    /** The state at position {@code at} (Long.MAX_VALUE: now) that the user may see; empty if none. */
    public Optional<Map<StateKey, StoredEvent>> stateAt(String roomId, long at, String userId) {
        return stateAt(roomId, at, reader(roomId, userId));
    }

    /** The state at (just after) an event that the user may see; empty if none. */
    public Optional<Map<StateKey, StoredEvent>> stateAt(String roomId, StoredEvent event, HistoryVisibility.Checker who) {
        return stateAt(roomId, event.streamPos(), who);
    }

    public Optional<Map<StateKey, StoredEvent>> stateAt(String roomId, long at, HistoryVisibility.Checker who) {
        long upTo = Math.min(at, who.stateVisibleUpTo());
        if (upTo == Long.MIN_VALUE) return Optional.empty();
        // Bounded by the published position, so a read never shows state newer than /sync has delivered.
        long committed = rooms.streamPos();
        List<StoredEvent> events = upTo >= committed
                ? rooms.store().stateAt(roomId, committed)
                : rooms.store().stateAt(roomId, upTo);
        Map<StateKey, StoredEvent> out = new LinkedHashMap<>();
        for (StoredEvent e : events) out.put(new StateKey(e.type(), e.stateKey()), e);
        return Optional.of(out);
    }

    /**
     * The room's full state just after stream position p, for a reader whose access is already settled (sync
     * of a joined room): the in-memory current state with the few changes after p undone, so a busy room's
     * state is not read from the database.
     */
    public Map<StateKey, StoredEvent> stateAfter(Room room, long p) {
        Map<StateKey, StoredEvent> out = new LinkedHashMap<>();
        String roomId = room.roomId();
        for (Map.Entry<StateKey, Room.StateEntry> e : room.state().entrySet()) {
            out.put(e.getKey(), fromState(roomId, e.getKey(), e.getValue()));
        }
        Map<StateKey, Boolean> changed = new LinkedHashMap<>();
        for (StoredEvent later : rooms.store().stateEventsBetween(roomId, p, Long.MAX_VALUE)) {
            changed.put(new StateKey(later.type(), later.stateKey()), true);
        }
        for (StateKey k : changed.keySet()) {
            StoredEvent before = null;
            for (StoredEvent h : rooms.store().stateHistory(roomId, k.type(), k.stateKey())) {
                if (h.streamPos() > p) break;
                before = h;
            }
            if (before == null) out.remove(k);
            else out.put(k, before);
        }
        return out;
    }

    /** The newest state event per key with after < pos <= upTo: what a gap in a timeline changed. No cap. */
    public Map<StateKey, StoredEvent> changedBetween(String roomId, long after, long upTo) {
        Map<StateKey, StoredEvent> out = new HashMap<>();
        if (upTo <= after) return out;
        for (StoredEvent e : rooms.store().stateEventsBetween(roomId, after, upTo)) {
            out.put(new StateKey(e.type(), e.stateKey()), e);
        }
        return out;
    }

    /** A current-state entry of the in-memory room as a stored event (stream position unknown: 0). */
    public static StoredEvent fromState(String roomId, StateKey k, Room.StateEntry entry) {
        return new StoredEvent(0, entry.eventId(), roomId, k.type(), k.stateKey(),
                entry.pdu().path("sender").asText(), null, null, null, entry.pdu());
    }
}
