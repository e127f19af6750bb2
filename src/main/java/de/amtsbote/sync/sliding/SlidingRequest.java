package de.amtsbote.sync.sliding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed sliding sync request body (MSC4186). Accepts the MSC's current field names and the older ones
 * Element X sends ("ranges", "is_invite"); pos and timeout may come as query parameters (older clients) or in
 * the body.
 */
public record SlidingRequest(String connId, String pos, Long timeout, Map<String, ListConfig> lists,
                             Map<String, RoomConfig> subscriptions, Extensions extensions,
                             boolean extensionsGiven, String txnId, List<String> unsubscribe) {
    static final int MAX_LISTS = 100;
    static final int MAX_SUBSCRIPTIONS = 100;
    static final int MAX_TIMELINE = 100;

    /** How much of a room to send: the newest timeline_limit events and the asked-for state. */
    record RoomConfig(int timelineLimit, RequiredState requiredState) {
        RoomConfig union(RoomConfig o) {
            if (o == null) return this;
            return new RoomConfig(Math.max(timelineLimit, o.timelineLimit), requiredState.union(o.requiredState));
        }
    }

    /** Filters of a list; null means "either". */
    record Filters(Boolean isDm, Boolean isInvited, Boolean isEncrypted, List<String> roomTypes,
                   List<String> notRoomTypes) {
        static final Filters NONE = new Filters(null, null, null, null, null);
    }

    /** A list: filters plus inclusive index ranges into the filtered, activity-ordered rooms (none = all). */
    record ListConfig(RoomConfig config, List<long[]> ranges, Filters filters) {
        boolean inRange(int index) {
            if (ranges == null) return true;
            for (long[] r : ranges) if (index >= r[0] && index <= r[1]) return true;
            return false;
        }
    }

    /** Which extensions are on; to_device may carry its own since token. */
    record Extensions(boolean toDevice, String toDeviceSince, boolean e2ee, boolean accountData, boolean receipts,
                      boolean typing) {
        Extensions withoutSince() { return new Extensions(toDevice, null, e2ee, accountData, receipts, typing); }
    }

    public static SlidingRequest parse(ObjectNode body, String queryPos, Long queryTimeout) {
        String connId = optText(body, "conn_id");
        String pos = queryPos != null ? queryPos : optText(body, "pos");
        Long timeout = queryTimeout;
        JsonNode t = body.get("timeout");
        if (timeout == null && t != null && !t.isNull()) {
            if (!t.canConvertToLong() || t.asLong() < 0) throw MatrixException.invalidParam("'timeout' must be a non-negative integer");
            timeout = t.asLong();
        }
        Map<String, ListConfig> lists = new LinkedHashMap<>();
        JsonNode ls = object(body, "lists");
        if (ls != null) {
            if (ls.size() > MAX_LISTS) throw MatrixException.invalidParam("At most " + MAX_LISTS + " lists");
            ls.fields().forEachRemaining(e -> lists.put(e.getKey(), list(e.getValue())));
        }
        Map<String, RoomConfig> subs = new LinkedHashMap<>();
        JsonNode ss = object(body, "room_subscriptions");
        if (ss != null) {
            if (ss.size() > MAX_SUBSCRIPTIONS) throw MatrixException.invalidParam("At most " + MAX_SUBSCRIPTIONS + " room subscriptions");
            ss.fields().forEachRemaining(e -> subs.put(e.getKey(), roomConfig(e.getValue())));
        }
        JsonNode ext = object(body, "extensions");
        return new SlidingRequest(connId == null ? "" : connId, pos, timeout, lists, subs, extensions(ext), ext != null,
                optText(body, "txn_id"), unsubscribe(body.get("unsubscribe_rooms")));
    }

    private static List<String> unsubscribe(JsonNode n) {
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw MatrixException.badJson("'unsubscribe_rooms' must be a list of room ids");
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) throw MatrixException.badJson("'unsubscribe_rooms' must be a list of room ids");
            out.add(x.asText());
        }
        return out;
    }

    private static ListConfig list(JsonNode n) {
        if (!n.isObject()) throw MatrixException.badJson("A list must be an object");
        List<long[]> ranges = null;
        JsonNode range = n.get("range");
        JsonNode rs = n.get("ranges");
        if (range != null && !range.isNull()) {
            ranges = List.of(range(range));
        } else if (rs != null && !rs.isNull()) {
            if (!rs.isArray()) throw MatrixException.badJson("'ranges' must be a list of [start, end] pairs");
            ranges = new ArrayList<>();
            for (JsonNode r : rs) ranges.add(range(r));
        }
        JsonNode f = n.get("filters");
        Filters filters = Filters.NONE;
        if (f != null && !f.isNull()) {
            if (!f.isObject()) throw MatrixException.badJson("'filters' must be an object");
            Boolean invited = optBool(f, "is_invited");
            if (invited == null) invited = optBool(f, "is_invite");
            filters = new Filters(optBool(f, "is_dm"), invited, optBool(f, "is_encrypted"), types(f.get("room_types")),
                    types(f.get("not_room_types")));
        }
        return new ListConfig(roomConfig(n), ranges, filters);
    }

    private static long[] range(JsonNode r) {
        if (!r.isArray() || r.size() != 2 || !r.get(0).canConvertToLong() || !r.get(1).canConvertToLong()
                || r.get(0).asLong() < 0 || r.get(1).asLong() < r.get(0).asLong()) {
            throw MatrixException.invalidParam("A range must be [start, end] with 0 <= start <= end");
        }
        return new long[] {r.get(0).asLong(), r.get(1).asLong()};
    }

    private static List<String> types(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw MatrixException.badJson("Room type filters must be lists");
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isNull() && !x.isTextual()) throw MatrixException.badJson("Room types must be strings or null");
            out.add(x.isNull() ? null : x.asText());
        }
        return out;
    }

    private static RoomConfig roomConfig(JsonNode n) {
        if (!n.isObject()) throw MatrixException.badJson("A list or room subscription must be an object");
        JsonNode tl = n.get("timeline_limit");
        int limit = 0;
        if (tl != null && !tl.isNull()) {
            if (!tl.canConvertToInt() || tl.asInt() < 0) throw MatrixException.invalidParam("'timeline_limit' must be a non-negative integer");
            limit = Math.min(tl.asInt(), MAX_TIMELINE);
        }
        return new RoomConfig(limit, RequiredState.parse(n.get("required_state")));
    }

    private static Extensions extensions(JsonNode n) {
        if (n == null) return new Extensions(false, null, false, false, false, false);
        JsonNode td = n.path("to_device");
        String since = td.isObject() ? optText((ObjectNode) td, "since") : null;
        return new Extensions(enabled(n, "to_device"), since, enabled(n, "e2ee"), enabled(n, "account_data"),
                enabled(n, "receipts"), enabled(n, "typing"));
    }

    private static boolean enabled(JsonNode exts, String name) {
        JsonNode e = exts.get(name);
        if (e == null || e.isNull()) return false;
        if (!e.isObject()) throw MatrixException.badJson("Extension '" + name + "' must be an object");
        return e.path("enabled").asBoolean(false);
    }

    private static JsonNode object(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw MatrixException.badJson("'" + field + "' must be an object");
        return n;
    }

    private static String optText(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw MatrixException.badJson("'" + field + "' must be a string");
        return n.asText();
    }

    private static Boolean optBool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw MatrixException.badJson("'" + field + "' must be a boolean");
        return n.asBoolean();
    }
}
