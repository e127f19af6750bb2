package de.amtsbote.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for the /sync HTTP tests. */
final class SyncHttp {
    private SyncHttp() { }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static JsonNode sync(TestServer s, String token, String since, String filter) throws Exception {
        return syncQuery(s, token, (since == null ? "" : "&since=" + enc(since))
                + (filter == null ? "" : "&filter=" + enc(filter)));
    }

    static JsonNode syncQuery(TestServer s, String token, String query) throws Exception {
        var r = s.request("GET", "/_matrix/client/v3/sync?timeout=0" + query, token, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static String createRoom(TestServer s, String token, String... invite) throws Exception {
        ObjectNode create = Json.object();
        create.put("preset", "private_chat");
        var inv = create.putArray("invite");
        for (String i : invite) inv.add(i);
        var r = s.request("POST", "/_matrix/client/v3/createRoom", token, create);
        assertEquals(200, r.status(), r.body());
        return r.json().get("room_id").asText();
    }

    static void join(TestServer s, String token, String roomId) throws Exception {
        var r = s.request("POST", "/_matrix/client/v3/join/" + enc(roomId), token, Json.object());
        assertEquals(200, r.status(), r.body());
    }

    static int txn = 0;

    static String send(TestServer s, String token, String roomId, String body) throws Exception {
        ObjectNode c = Json.object();
        c.put("msgtype", "m.text");
        c.put("body", body);
        var r = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/t" + (txn++), token, c);
        assertEquals(200, r.status(), r.body());
        return r.json().get("event_id").asText();
    }

    static void putState(TestServer s, String token, String roomId, String type, String key, ObjectNode content)
            throws Exception {
        var r = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/" + type + "/" + enc(key), token, content);
        assertEquals(200, r.status(), r.body());
    }

    static List<JsonNode> events(JsonNode room, String section) {
        List<JsonNode> out = new ArrayList<>();
        room.path(section).path("events").forEach(out::add);
        return out;
    }

    static List<String> bodies(JsonNode room) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : room.path("timeline").path("events")) {
            if (e.path("type").asText().equals("m.room.message")) out.add(e.path("content").path("body").asText());
        }
        return out;
    }

    static boolean hasState(JsonNode room, String type, String stateKey) {
        for (JsonNode e : room.path("state").path("events")) {
            if (e.path("type").asText().equals(type) && e.path("state_key").asText().equals(stateKey)) return true;
        }
        return false;
    }
}
