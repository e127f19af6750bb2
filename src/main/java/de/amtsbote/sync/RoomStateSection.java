package de.amtsbote.sync;

import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The room state a /sync response carries: the full state at the start of the timeline for a room the client
 * has not seen (first sync, full_state, joined since the token), or the state that changed in a gap the
 * timeline skips. Sync's own store queries, until the shared state accessor (rooms.RoomStates.stateAt) exists.
 */
final class RoomStateSection {
    private final EventStore store;

    RoomStateSection(EventStore store) { this.store = store; }

    /**
     * The room's state just after stream position p: the in-memory current state with the (few) changes after
     * p undone. Changes after p are the timeline's own state events plus anything newer, so this reads little.
     */
    Map<StateKey, StoredEvent> syncStateAt(Room room, long p) {
        Map<StateKey, StoredEvent> out = new LinkedHashMap<>();
        String roomId = room.roomId();
        for (Map.Entry<StateKey, Room.StateEntry> e : room.state().entrySet()) {
            out.put(e.getKey(), fromState(roomId, e.getKey(), e.getValue()));
        }
        Map<StateKey, Boolean> changed = new LinkedHashMap<>();
        for (StoredEvent later : store.stateEventsBetween(roomId, p, Long.MAX_VALUE)) {
            changed.put(new StateKey(later.type(), later.stateKey()), true);
        }
        for (StateKey k : changed.keySet()) {
            StoredEvent before = null;
            for (StoredEvent h : store.stateHistory(roomId, k.type(), k.stateKey())) {
                if (h.streamPos() > p) break;
                before = h;
            }
            if (before == null) out.remove(k);
            else out.put(k, before);
        }
        return out;
    }

    /** The newest state event per key with after < pos <= upTo: what a gap changed. No cap. */
    Map<StateKey, StoredEvent> changedBetween(String roomId, long after, long upTo) {
        Map<StateKey, StoredEvent> out = new HashMap<>();
        if (upTo <= after) return out;
        List<StoredEvent> events = store.stateEventsBetween(roomId, after, upTo);
        for (StoredEvent e : events) out.put(new StateKey(e.type(), e.stateKey()), e);
        return out;
    }

    static StoredEvent fromState(String roomId, StateKey k, Room.StateEntry entry) {
        return new StoredEvent(0, entry.eventId(), roomId, k.type(), k.stateKey(),
                entry.pdu().path("sender").asText(), null, null, null, entry.pdu());
    }
}
