package de.amtsbote.rooms;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.Map;

/** An in-memory room for auth rule tests: applies events that pass the rules to its state. */
final class TestRoom implements StateLookup {
    final RoomVersion version;
    final Map<StateKey, ObjectNode> state = new HashMap<>();
    final String roomId;
    final String createId;
    private int depth = 1;

    /** Creates the room with {@code creator}; v12 rooms may name additional creators. */
    TestRoom(RoomVersion version, String creator, String... additionalCreators) throws AuthException {
        this.version = version;
        ObjectNode content = Json.object().put("room_version", version.id());
        if (version.createRequiresCreator()) content.put("creator", creator);
        if (additionalCreators.length > 0) {
            var arr = content.putArray("additional_creators");
            for (String c : additionalCreators) arr.add(c);
        }
        ObjectNode create = base("m.room.create", "", creator, content);
        if (version.roomIdIsCreateEventHash()) {
            create.remove("room_id");
        } else {
            create.put("room_id", "!room:" + Identifiers.domainOf(creator));
        }
        EventHashing.contentHash(create);
        AuthRules.check(version, create, this);
        state.put(new StateKey("m.room.create", ""), create);
        createId = EventHashing.eventId(version, create);
        roomId = version.roomIdIsCreateEventHash() ? "!" + createId.substring(1) : create.get("room_id").asText();
    }

    /** Creator joins, sets power levels (with the given users) and the join rule. */
    static TestRoom standard(RoomVersion version, String creator, String joinRule, ObjectNode plContent) throws AuthException {
        TestRoom room = new TestRoom(version, creator);
        ObjectNode join = room.member(creator, creator, "join");
        join.putArray("prev_events").add(room.createId);
        room.accept(join);
        room.accept(room.event("m.room.power_levels", "", creator, plContent));
        room.accept(room.event("m.room.join_rules", "", creator, Json.object().put("join_rule", joinRule)));
        return room;
    }

    private ObjectNode base(String type, String stateKey, String sender, ObjectNode content) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("room_id", roomId);
        e.put("sender", sender);
        if (stateKey != null) e.put("state_key", stateKey);
        e.set("content", content);
        e.put("origin_server_ts", 1_000_000 + depth);
        e.put("depth", depth++);
        e.putArray("prev_events");
        e.putArray("auth_events");
        return e;
    }

    ObjectNode event(String type, String stateKey, String sender, ObjectNode content) {
        ObjectNode e = base(type, stateKey, sender, content);
        // A non-first event: its prev_events point somewhere other than just the create event.
        e.putArray("prev_events").add("$previous");
        return e;
    }

    ObjectNode member(String sender, String target, String membership) {
        return event("m.room.member", target, sender, Json.object().put("membership", membership));
    }

    void accept(ObjectNode event) throws AuthException {
        AuthRules.check(version, event, this);
        if (event.has("state_key")) state.put(new StateKey(event.get("type").asText(), event.get("state_key").asText()), event);
    }

    AuthException reject(ObjectNode event) {
        return assertThrows(AuthException.class, () -> AuthRules.check(version, event, this));
    }

    @Override
    public ObjectNode get(String type, String stateKey) {
        return state.get(new StateKey(type, stateKey));
    }
}
