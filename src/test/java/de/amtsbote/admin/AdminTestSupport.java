package de.amtsbote.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Small client-side steps the admin API tests share. */
final class AdminTestSupport {
    private static final AtomicInteger TXN = new AtomicInteger();

    private AdminTestSupport() {}

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static JsonNode ok(TestServer.Response r) {
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static String createRoom(TestServer s, String token, ObjectNode body) throws Exception {
        return ok(s.request("POST", "/_matrix/client/v3/createRoom", token, body)).get("room_id").asText();
    }

    static TestServer.Response join(TestServer s, String token, String roomId) throws Exception {
        return s.request("POST", "/_matrix/client/v3/join/" + enc(roomId), token, Json.object());
    }

    static TestServer.Response send(TestServer s, String token, String roomId, String body) throws Exception {
        ObjectNode content = Json.object().put("msgtype", "m.text").put("body", body);
        return s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/t" + TXN.incrementAndGet(),
                token, content);
    }

    static JsonNode sync(TestServer s, String token) throws Exception {
        return ok(s.request("GET", "/_matrix/client/v3/sync?timeout=0", token, null));
    }
}
