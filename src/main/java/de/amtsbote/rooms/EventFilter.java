package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A RoomEventFilter / EventFilter from the client: which event types and senders to include, how many,
 * and whether members are lazy-loaded. Types may end in '*' as the spec allows.
 */
public record EventFilter(List<String> types, List<String> notTypes, List<String> senders, List<String> notSenders,
                          Boolean containsUrl, boolean lazyLoadMembers, boolean includeRedundantMembers,
                          Integer limit, List<String> rooms, List<String> notRooms) {
    public static final EventFilter ALL = new EventFilter(null, List.of(), null, List.of(), null, false, false, null,
            null, List.of());

    public static EventFilter parse(JsonNode f) {
        if (f == null || f.isNull()) return ALL;
        if (!(f instanceof ObjectNode o)) throw MatrixException.badJson("A filter must be a JSON object");
        JsonNode limit = o.get("limit");
        if (limit != null && !limit.isNull() && (!limit.isIntegralNumber() || limit.asLong() < 0)) {
            // 0 is accepted: a /sync timeline limit of 0 asks for state and counts without events.
            throw MatrixException.badJson("Filter 'limit' must be a non-negative integer");
        }
        return new EventFilter(list(o, "types"), orEmpty(list(o, "not_types")), list(o, "senders"),
                orEmpty(list(o, "not_senders")), bool(o, "contains_url"),
                Boolean.TRUE.equals(bool(o, "lazy_load_members")), Boolean.TRUE.equals(bool(o, "include_redundant_members")),
                limit == null || limit.isNull() ? null : (int) Math.min(limit.asLong(), 1000),
                list(o, "rooms"), orEmpty(list(o, "not_rooms")));
    }

    private static List<String> orEmpty(List<String> l) { return l == null ? List.of() : l; }

    private static List<String> list(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw MatrixException.badJson("Filter '" + field + "' must be a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) throw MatrixException.badJson("Filter '" + field + "' must be a list of strings");
            out.add(x.asText());
        }
        return out;
    }

    private static Boolean bool(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw MatrixException.badJson("Filter '" + field + "' must be true or false");
        return n.asBoolean();
    }

    private static boolean typeMatches(String pattern, String type) {
        return pattern.endsWith("*") ? type.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(type);
    }

    public boolean matchesType(String type) {
        for (String p : notTypes) if (typeMatches(p, type)) return false;
        if (types == null) return true;
        for (String p : types) if (typeMatches(p, type)) return true;
        return false;
    }

    public boolean matchesRoom(String roomId) {
        if (notRooms.contains(roomId)) return false;
        return rooms == null || rooms.contains(roomId);
    }

    public boolean matches(StoredEvent e) {
        if (!matchesType(e.type())) return false;
        if (notSenders.contains(e.sender())) return false;
        if (senders != null && !senders.contains(e.sender())) return false;
        if (containsUrl != null) {
            boolean has = e.pdu().path("content").path("url").isTextual();
            if (has != containsUrl) return false;
        }
        return true;
    }

    public boolean isUnfiltered() {
        return types == null && notTypes.isEmpty() && senders == null && notSenders.isEmpty() && containsUrl == null;
    }
}
