package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The redaction algorithm of the room versions (v9 rules for v10, v11 rules for v11 and v12). Besides
 * serving redacted events, it defines what signatures and reference hashes cover.
 */
public final class Redaction {
    private static final Set<String> TOP_LEVEL_V9 = Set.of("event_id", "type", "room_id", "sender", "state_key",
            "content", "hashes", "signatures", "depth", "prev_events", "prev_state", "auth_events", "origin",
            "origin_server_ts", "membership");
    // v11 drops origin, membership and prev_state from the protected keys.
    private static final Set<String> TOP_LEVEL_V11 = Set.of("event_id", "type", "room_id", "sender", "state_key",
            "content", "hashes", "signatures", "depth", "prev_events", "auth_events", "origin_server_ts");

    private Redaction() {}

    /** Returns a redacted deep copy of {@code event}; the input is left unchanged. */
    public static ObjectNode redact(RoomVersion version, ObjectNode event) {
        boolean v11 = version.v11Redaction();
        Set<String> keep = v11 ? TOP_LEVEL_V11 : TOP_LEVEL_V9;
        ObjectNode out = event.objectNode();
        for (var e : event.properties()) {
            if (keep.contains(e.getKey()) && !e.getKey().equals("content")) out.set(e.getKey(), e.getValue().deepCopy());
        }
        JsonNode content = event.get("content");
        if (content instanceof ObjectNode c) out.set("content", redactContent(v11, event.path("type").asText(""), c));
        return out;
    }

    private static ObjectNode redactContent(boolean v11, String type, ObjectNode content) {
        ObjectNode out = content.objectNode();
        switch (type) {
            case "m.room.member" -> {
                copy(content, out, "membership", "join_authorised_via_users_server");
                // v11 keeps third_party_invite.signed, because the auth rules need it.
                if (v11 && content.path("third_party_invite").has("signed")) {
                    out.putObject("third_party_invite").set("signed", content.get("third_party_invite").get("signed").deepCopy());
                }
            }
            case "m.room.create" -> {
                if (v11) return content.deepCopy();
                copy(content, out, "creator");
            }
            case "m.room.join_rules" -> copy(content, out, "join_rule", "allow");
            case "m.room.power_levels" -> {
                copy(content, out, "ban", "events", "events_default", "kick", "redact", "state_default", "users",
                        "users_default");
                if (v11) copy(content, out, "invite");
            }
            case "m.room.history_visibility" -> copy(content, out, "history_visibility");
            case "m.room.redaction" -> {
                if (v11) copy(content, out, "redacts");
            }
            default -> { }
        }
        return out;
    }

    private static void copy(ObjectNode from, ObjectNode to, String... keys) {
        for (String k : keys) if (from.has(k)) to.set(k, from.get(k).deepCopy());
    }
}
