package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;
import java.util.Map;

/**
 * Turns a draft into a complete, signed PDU on top of a room's state and newest event: prev_events, depth,
 * auth_events (the version's selection rules), content hash, signature and event id. Pure: it neither
 * authorises nor stores anything.
 */
final class EventBuilder {
    private final ServerSigningKey key;
    private final String serverName;

    EventBuilder(ServerSigningKey key, String serverName) {
        this.key = key;
        this.serverName = serverName;
    }

    /**
     * A built event. redacts is the redacted event's id for m.room.redaction (wherever the version keeps it),
     * else null; unsigned is already set on the pdu (it is not covered by hashes or signatures).
     */
    record Built(String eventId, ObjectNode pdu, String redacts) {
        boolean isCreate() { return pdu.path("type").asText().equals("m.room.create") && "".equals(pdu.path("state_key").asText(null)); }
    }

    Built build(RoomVersion version, String roomId, Map<StateKey, Room.StateEntry> state, String head, long depth,
                String sender, EventDraft d, long now) {
        boolean isCreate = d.type().equals("m.room.create") && "".equals(d.stateKey());
        String redacts = redactsOf(version, d);
        ObjectNode content = d.content();
        if (redacts != null && version.redactsInContent() && !redacts.equals(content.path("redacts").asText(null))) {
            content = content.deepCopy();
            content.put("redacts", redacts);
        }
        ObjectNode pdu = Json.object();
        pdu.put("type", d.type());
        if (!(isCreate && version.roomIdIsCreateEventHash())) pdu.put("room_id", roomId);
        pdu.put("sender", sender);
        if (d.stateKey() != null) pdu.put("state_key", d.stateKey());
        pdu.set("content", content);
        pdu.put("origin_server_ts", now);
        pdu.put("depth", depth + 1);
        ArrayNode prev = pdu.putArray("prev_events");
        if (head != null) prev.add(head);
        if (redacts != null && !version.redactsInContent()) pdu.put("redacts", redacts);
        ArrayNode auth = pdu.putArray("auth_events");
        for (StateKey k : AuthRules.authEventSelection(version, pdu)) {
            Room.StateEntry e = state.get(k);
            if (e != null) auth.add(e.eventId());
        }
        try {
            CanonicalJson.validate(content);
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("Event content is not valid: " + e.getMessage());
        }
        EventHashing.hashAndSign(version, pdu, key, serverName);
        try {
            EventLimits.check(pdu);
        } catch (IllegalArgumentException e) {
            throw MatrixException.tooLarge("Event is too large: " + e.getMessage());
        }
        String eventId = EventHashing.eventId(version, pdu);
        ObjectNode unsigned = Json.object();
        Room.StateEntry previous = d.stateKey() == null ? null : state.get(new StateKey(d.type(), d.stateKey()));
        if (previous != null) {
            unsigned.set("prev_content", previous.pdu().get("content"));
            unsigned.put("replaces_state", previous.eventId());
            unsigned.put("prev_sender", previous.pdu().path("sender").asText());
        }
        if (!unsigned.isEmpty()) pdu.set("unsigned", unsigned);
        return new Built(eventId, pdu, redacts);
    }

    /**
     * The event a redaction redacts, whichever way the client named it: /redact passes it in the draft, PUT
     * /send/m.room.redaction in content.redacts (the v11+ form, accepted for every version).
     */
    static String redactsOf(RoomVersion version, EventDraft d) {
        if (!d.type().equals("m.room.redaction") || d.stateKey() != null) return null;
        if (d.redacts() != null) return d.redacts();
        JsonNode r = d.content().get("redacts");
        return r != null && r.isTextual() ? r.textValue() : null;
    }
}
