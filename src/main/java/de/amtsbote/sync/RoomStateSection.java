package de.amtsbote.sync;

import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomStates;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.Map;

/**
 * The room state a /sync response carries: the full state at the start of the timeline for a room the client
 * has not seen (first sync, full_state, joined since the token), or the state that changed in a gap the
 * timeline skips. Both come from the shared state accessor, {@link RoomStates}.
 */
final class RoomStateSection {
    private final RoomStates states;

    RoomStateSection(RoomStates states) { this.states = states; }

    /** The room's state just after stream position p. */
    Map<StateKey, StoredEvent> syncStateAt(Room room, long p) { return states.stateAfter(room, p); }

    /** The newest state event per key with after < pos <= upTo: what a gap changed. No cap. */
    Map<StateKey, StoredEvent> changedBetween(String roomId, long after, long upTo) {
        return states.changedBetween(roomId, after, upTo);
    }

    static StoredEvent fromState(String roomId, StateKey k, Room.StateEntry entry) {
        return RoomStates.fromState(roomId, k, entry);
    }
}
