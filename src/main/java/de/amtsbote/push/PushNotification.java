package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.Room;
import de.amtsbote.storage.PusherStore.Pusher;
import de.amtsbote.util.Json;

/**
 * The body of POST /_matrix/push/v1/notify for one event and one pusher (push gateway API). With
 * {@code data.format: "event_id_only"} it holds only the event and room ids, the counts, the device and the
 * priority: nothing of the message, its sender or the room's name reaches the gateway (and Google or Apple
 * behind it); the app fetches the event itself.
 */
final class PushNotification {
    private PushNotification() {}

    static ObjectNode body(Pusher p, String roomId, String eventId, ObjectNode pdu, String userId, int unread,
                           ObjectNode tweaks, Room room) {
        ObjectNode notification = Json.object();
        notification.put("event_id", eventId);
        notification.put("room_id", roomId);
        String type = pdu.path("type").asText("");
        boolean eventIdOnly = "event_id_only".equals(p.data().path("format").asText(null));
        if (!eventIdOnly) {
            notification.put("type", type);
            String sender = pdu.path("sender").asText(null);
            notification.put("sender", sender);
            if (room != null) {
                String senderName = text(room.stateContent("m.room.member", sender), "displayname");
                if (senderName != null) notification.put("sender_display_name", senderName);
                String roomName = text(room.stateContent("m.room.name", ""), "name");
                if (roomName != null) notification.put("room_name", roomName);
                String alias = text(room.stateContent("m.room.canonical_alias", ""), "alias");
                if (alias != null) notification.put("room_alias", alias);
            }
            if ("m.room.member".equals(type)) {
                notification.put("user_is_target", userId.equals(pdu.path("state_key").asText(null)));
            }
            if (pdu.get("content") instanceof ObjectNode content) notification.set("content", content.deepCopy());
        }
        // High wakes the phone at once: messages (plain or encrypted) and anything that rings or highlights.
        boolean high = tweaks.has("sound") || tweaks.path("highlight").asBoolean(false)
                || type.equals("m.room.message") || type.equals("m.room.encrypted");
        notification.put("prio", high ? "high" : "low");
        notification.putObject("counts").put("unread", unread);
        ObjectNode device = notification.putArray("devices").addObject();
        device.put("app_id", p.appId());
        device.put("pushkey", p.pushkey());
        device.put("pushkey_ts", p.pushkeyTs() / 1000);
        ObjectNode data = p.data().deepCopy();
        data.remove("url");
        device.set("data", data);
        device.set("tweaks", tweaks.deepCopy());
        ObjectNode body = Json.object();
        body.set("notification", notification);
        return body;
    }

    private static String text(ObjectNode content, String field) {
        if (content == null) return null;
        JsonNode v = content.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
