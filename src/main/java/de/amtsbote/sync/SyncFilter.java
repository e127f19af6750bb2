package de.amtsbote.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.EventFilter;

/** The parts of a sync Filter that shape the response. */
public record SyncFilter(EventFilter timeline, EventFilter state, EventFilter ephemeral, EventFilter roomAccountData,
                         EventFilter accountData, EventFilter presence, EventFilter rooms,
                         boolean includeLeave, boolean federationFormat) {
    public static final SyncFilter DEFAULT = new SyncFilter(EventFilter.ALL, EventFilter.ALL, EventFilter.ALL,
            EventFilter.ALL, EventFilter.ALL, EventFilter.ALL, EventFilter.ALL, false, false);

    public static SyncFilter parse(ObjectNode f) {
        if (f == null) return DEFAULT;
        JsonNode room = f.path("room");
        if (!room.isMissingNode() && !room.isObject()) throw MatrixException.badJson("Filter 'room' must be an object");
        JsonNode fields = f.get("event_fields");
        if (fields != null && !fields.isNull()) {
            if (!fields.isArray()) throw MatrixException.badJson("'event_fields' must be a list of strings");
            for (JsonNode x : fields) if (!x.isTextual()) throw MatrixException.badJson("'event_fields' must be a list of strings");
        }
        JsonNode leave = room.get("include_leave");
        if (leave != null && !leave.isBoolean()) throw MatrixException.badJson("'include_leave' must be true or false");
        // rooms/not_rooms sit directly under "room"; EventFilter reads them from there.
        return new SyncFilter(EventFilter.parse(room.get("timeline")), EventFilter.parse(room.get("state")),
                EventFilter.parse(room.get("ephemeral")), EventFilter.parse(room.get("account_data")),
                EventFilter.parse(f.get("account_data")), EventFilter.parse(f.get("presence")), room.isObject() ? EventFilter.parse(room) : EventFilter.ALL,
                leave != null && leave.asBoolean(), federationFormat(f.get("event_format")));
    }

    private static boolean federationFormat(JsonNode n) {
        if (n == null || n.isNull()) return false;
        if (!n.isTextual() || !(n.asText().equals("client") || n.asText().equals("federation"))) {
            throw MatrixException.badJson("'event_format' must be \"client\" or \"federation\"");
        }
        return n.asText().equals("federation");
    }

    public int timelineLimit() { return timeline.limit() == null ? 10 : timeline.limit(); }
}
