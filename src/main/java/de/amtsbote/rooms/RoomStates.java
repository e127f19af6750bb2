package de.amtsbote.rooms;

import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one way to read a room's state as a user may see it: at a stream position, bounded by what the user
 * was allowed to see (their leave, kick or ban; an invite only per history visibility; anything when the
 * room is world_readable). Used by /context, /state, /members (also ?at=).
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
}
