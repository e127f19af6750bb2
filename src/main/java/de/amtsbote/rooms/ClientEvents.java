package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns stored PDUs into the client-server API's event format: event_id added, federation fields removed,
 * redacted events pruned (the original stays stored for audits), unsigned data for the viewer.
 */
public final class ClientEvents {
    private final EventStore store;
    private final Map<String, RoomVersion> versions = new java.util.concurrent.ConcurrentHashMap<>();

    public ClientEvents(EventStore store) { this.store = store; }

    /** Who is looking: the transaction id is only shown to the device that sent the event. */
    public record Viewer(String userId, String deviceId) {}

    private RoomVersion version(String roomId) {
        return versions.computeIfAbsent(roomId, id -> store.room(id).map(r -> RoomVersion.of(r.version()))
                .orElse(RoomVersion.DEFAULT));
    }

    public ObjectNode format(StoredEvent e, Viewer viewer) {
        return format(e, viewer, new HashMap<>());
    }

    /** redactions caches redaction events by id while formatting a batch. */
    public ObjectNode format(StoredEvent e, Viewer viewer, Map<String, StoredEvent> redactions) {
        ObjectNode pdu = e.pdu();
        RoomVersion v = version(e.roomId());
        ObjectNode source = e.redactedBy() != null ? Redaction.redact(v, pdu) : pdu;
        ObjectNode out = Json.object();
        // Shared, not copied: formatted events are only serialised, never changed (a busy room formats each
        // event once per member).
        out.set("content", source.has("content") ? source.get("content") : Json.object());
        out.put("event_id", e.eventId());
        out.put("origin_server_ts", pdu.path("origin_server_ts").asLong());
        out.put("room_id", e.roomId());
        out.put("sender", e.sender());
        if (e.stateKey() != null) out.put("state_key", e.stateKey());
        out.put("type", e.type());
        if (e.type().equals("m.room.redaction")) {
            JsonNode redacts = pdu.has("redacts") ? pdu.get("redacts") : pdu.path("content").get("redacts");
            if (redacts != null && redacts.isTextual()) out.put("redacts", redacts.asText());
        }
        ObjectNode unsigned = Json.object();
        JsonNode stored = pdu.get("unsigned");
        if (stored instanceof ObjectNode su) {
            if (su.has("prev_content")) unsigned.set("prev_content", su.get("prev_content"));
            if (su.has("replaces_state")) unsigned.put("replaces_state", su.get("replaces_state").asText());
            if (su.has("prev_sender")) unsigned.put("prev_sender", su.get("prev_sender").asText());
        }
        unsigned.put("age", Math.max(0, System.currentTimeMillis() - pdu.path("origin_server_ts").asLong()));
        if (e.type().equals("m.room.member")) {
            unsigned.put("membership", out.path("content").path("membership").asText());
        }
        if (viewer != null && e.txnId() != null && e.sender().equals(viewer.userId())
                && e.txnDevice().equals(viewer.deviceId())) {
            unsigned.put("transaction_id", e.txnId());
        }
        if (e.redactedBy() != null) {
            StoredEvent r = redactions.computeIfAbsent(e.redactedBy(), id -> store.event(id).orElse(null));
            if (r != null) unsigned.set("redacted_because", format(r, null, redactions));
        }
        out.set("unsigned", unsigned);
        return out;
    }

    /** Stripped state (type, state_key, sender, content) as shown with invites. */
    public static ObjectNode stripped(ObjectNode pdu) {
        ObjectNode o = Json.object();
        o.put("type", pdu.path("type").asText());
        o.put("state_key", pdu.path("state_key").asText());
        o.put("sender", pdu.path("sender").asText());
        o.set("content", pdu.get("content"));
        return o;
    }
}
