package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a built event may enter the room, for every event type and whichever endpoint it came
 * from: the room version's auth rules against the current state, plus the checks the spec leaves to the
 * receiving server, such as who may redact (own events, or power level >= redact).
 */
final class EventAuthoriser {
    private final EventStore store;

    EventAuthoriser(EventStore store) { this.store = store; }

    /** Throws 403 M_FORBIDDEN if the event is not allowed. */
    void authorise(Room room, Map<StateKey, Room.StateEntry> state, EventBuilder.Built event) {
        try {
            AuthRules.check(room.version, event.pdu(), (t, k) -> {
                Room.StateEntry e = state.get(new StateKey(t, k));
                if (e == null) return null;
                // The create event with its id, so the auth rules need not hash it again for every event.
                return t.equals("m.room.create") && k.isEmpty() ? room.createWithId(e) : e.pdu();
            });
        } catch (AuthException e) {
            throw MatrixException.forbidden(e.getMessage());
        }
        if (event.pdu().path("type").asText().equals("m.room.redaction") && !event.pdu().has("state_key")) {
            authoriseRedaction(room, state, event);
        }
    }

    private void authoriseRedaction(Room room, Map<StateKey, Room.StateEntry> state, EventBuilder.Built event) {
        String sender = event.pdu().path("sender").asText();
        String target = event.redacts();
        if (target == null) throw MatrixException.badJson("A redaction needs 'redacts', the id of the event to redact");
        Optional<StoredEvent> original = store.event(target);
        boolean own = original.isPresent() && original.get().roomId().equals(room.roomId)
                && original.get().sender().equals(sender);
        if (own) return;
        PowerLevels pl = PowerLevels.fromState(room.version, (t, k) -> {
            Room.StateEntry e = state.get(new StateKey(t, k));
            return e == null ? null : (ObjectNode) e.pdu();
        });
        if (pl.userLevel(sender) < pl.redactLevel()) {
            throw MatrixException.forbidden("You may only redact your own events (power level "
                    + pl.userLevel(sender) + " < " + pl.redactLevel() + ")");
        }
    }
}
