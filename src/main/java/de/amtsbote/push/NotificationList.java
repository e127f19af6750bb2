package de.amtsbote.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.ReceiptStore;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * GET /notifications: the events that notified a user, newest first, from the event_notifications rows
 * written when each event was sent. Only "notify" and the highlight tweak are stored per event, so the
 * actions shown are {@code ["notify"]} plus {@code {"set_tweak": "highlight"}} for highlights (no sound).
 */
public final class NotificationList {
    private final EventStore events;
    private final ReceiptStore receipts;
    private final ClientEvents format;

    public NotificationList(EventStore events, ReceiptStore receipts, ClientEvents format) {
        this.events = events;
        this.receipts = receipts;
        this.format = format;
    }

    /** from: a next_token of an earlier page (or null for the newest); only: null or "highlight". */
    public ObjectNode page(String userId, String deviceId, String from, int limit, String only) {
        if (only != null && !only.isEmpty() && !only.equals("highlight")) {
            throw MatrixException.invalidParam("'only' may only be 'highlight'");
        }
        long before = from == null || from.isEmpty() ? Long.MAX_VALUE : token(from);
        var list = events.notificationsOf(userId, before, limit, "highlight".equals(only));
        Map<String, Long> readUpTo = new HashMap<>();
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("notifications");
        ClientEvents.Viewer viewer = new ClientEvents.Viewer(userId, deviceId);
        for (EventStore.NotifiedEvent n : list) {
            EventStore.StoredEvent e = n.event();
            long read = readUpTo.computeIfAbsent(e.roomId(), r -> receipts.readPosition(r, userId).orElse(0L));
            ObjectNode item = items.addObject();
            ArrayNode actions = item.putArray("actions");
            actions.add("notify");
            if (n.highlight()) actions.addObject().put("set_tweak", "highlight");
            ObjectNode event = format.format(e, viewer);
            event.remove("room_id"); // the spec's ClientEventWithoutRoomID; room_id is a sibling
            item.set("event", event);
            item.put("read", e.streamPos() <= read);
            item.put("room_id", e.roomId());
            item.put("ts", e.pdu().path("origin_server_ts").asLong());
        }
        if (list.size() == limit) out.put("next_token", Long.toString(list.getLast().event().streamPos()));
        return out;
    }

    private static long token(String from) {
        if (from.length() > 18 || from.chars().anyMatch(c -> c < '0' || c > '9')) {
            throw MatrixException.invalidParam("Invalid 'from' token");
        }
        return Long.parseLong(from);
    }
}
