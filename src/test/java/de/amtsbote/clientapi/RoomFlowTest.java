package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two users through the real HTTP API: create, invite, join, send, sync, history, redaction, leave. */
class RoomFlowTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static ObjectNode text(String body) {
        ObjectNode c = Json.object();
        c.put("msgtype", "m.text");
        c.put("body", body);
        return c;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void twoUsersTalk(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            ObjectNode create = Json.object();
            create.put("name", "Bauhof");
            create.putArray("invite").add(s.userId("bob"));
            var created = s.request("POST", "/_matrix/client/v3/createRoom", alice, create);
            assertEquals(200, created.status(), created.body());
            String roomId = created.json().get("room_id").asText();
            assertTrue(roomId.startsWith("!"));

            // Bob sees the invite in an initial sync.
            var sync = s.request("GET", "/_matrix/client/v3/sync", bob, null);
            assertEquals(200, sync.status(), sync.body());
            assertTrue(sync.json().path("rooms").path("invite").has(roomId), sync.body());
            String since = sync.json().get("next_batch").asText();

            // Bob is not in the room yet: cannot send or read.
            var denied = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/t0", bob, text("x"));
            assertEquals(403, denied.status());
            assertEquals("M_FORBIDDEN", denied.errcode());

            assertEquals(200, s.request("POST", "/_matrix/client/v3/join/" + enc(roomId), bob, Json.object()).status());

            // A long-poll by bob wakes when alice sends.
            String sinceAfterJoin = s.request("GET", "/_matrix/client/v3/sync?since=" + since, bob, null).json()
                    .get("next_batch").asText();
            CompletableFuture<TestServer.Response> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.request("GET", "/_matrix/client/v3/sync?timeout=10000&since=" + sinceAfterJoin, bob, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            var sent = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/txn1", alice, text("Hallo Bob"));
            assertEquals(200, sent.status(), sent.body());
            String eventId = sent.json().get("event_id").asText();
            var woke = poll.get();
            assertEquals(200, woke.status());
            JsonNode tl = woke.json().path("rooms").path("join").path(roomId).path("timeline").path("events");
            assertEquals(eventId, tl.get(tl.size() - 1).get("event_id").asText(), woke.body());

            // Retrying the same transaction returns the same event and stores nothing twice.
            var again = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/txn1", alice, text("Hallo Bob"));
            assertEquals(eventId, again.json().get("event_id").asText());

            for (int i = 0; i < 30; i++) {
                assertEquals(200, s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/m" + i,
                        alice, text("msg " + i)).status());
            }
            // Unread counts: 31 messages from alice notify bob (a one-to-one room); a read receipt clears them.
            var counts = s.request("GET", "/_matrix/client/v3/sync", bob, null).json().path("rooms").path("join")
                    .path(roomId).path("unread_notifications");
            assertEquals(31, counts.path("notification_count").asInt(), counts.toString());
            var last = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages?dir=b&limit=1", bob, null)
                    .json().get("chunk").get(0).get("event_id").asText();
            assertEquals(200, s.request("POST", "/_matrix/client/v3/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(last),
                    bob, Json.object()).status());
            counts = s.request("GET", "/_matrix/client/v3/sync", bob, null).json().path("rooms").path("join")
                    .path(roomId).path("unread_notifications");
            assertEquals(0, counts.path("notification_count").asInt(), counts.toString());

            // Page back through all history in order.
            List<String> bodies = new ArrayList<>();
            String from = null;
            for (int page = 0; page < 20; page++) {
                var msgs = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages?dir=b&limit=7"
                        + (from == null ? "" : "&from=" + from), bob, null);
                assertEquals(200, msgs.status(), msgs.body());
                for (JsonNode e : msgs.json().get("chunk")) {
                    if (e.path("type").asText().equals("m.room.message")) bodies.add(e.path("content").path("body").asText());
                }
                if (!msgs.json().has("end")) break;
                from = msgs.json().get("end").asText();
            }
            assertEquals(31, bodies.size(), bodies.toString());
            assertEquals("msg 29", bodies.getFirst());
            assertEquals("Hallo Bob", bodies.getLast());

            // Redaction prunes content.
            var red = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/redact/" + enc(eventId) + "/r1", alice, Json.object());
            assertEquals(200, red.status(), red.body());
            var ev = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/event/" + enc(eventId), bob, null);
            assertEquals(200, ev.status());
            assertFalse(ev.json().path("content").has("body"), ev.body());
            assertNotNull(ev.json().path("unsigned").get("redacted_because"));

            // Redacting a state event redacts the room's current state as well.
            var topic = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.topic", alice,
                    Json.object().put("topic", "vertraulich"));
            assertEquals(200, topic.status(), topic.body());
            assertEquals(200, s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/redact/"
                    + enc(topic.json().get("event_id").asText()) + "/r2", alice, Json.object()).status());
            var topicNow = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.topic", bob, null);
            assertEquals(200, topicNow.status(), topicNow.body());
            assertFalse(topicNow.json().has("topic"), topicNow.body());
            assertFalse(s.request("GET", "/_matrix/client/v3/sync", bob, null).body().contains("vertraulich"));

            // State and members.
            var name = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.name", bob, null);
            assertEquals("Bauhof", name.json().get("name").asText());
            var members = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/joined_members", bob, null);
            assertEquals(2, members.json().get("joined").size());

            // Bob leaves; later messages are not readable for him.
            assertEquals(200, s.request("POST", "/_matrix/client/v3/rooms/" + enc(roomId) + "/leave", bob, Json.object()).status());
            var later = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/late", alice, text("secret"));
            String lateId = later.json().get("event_id").asText();
            var hidden = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/event/" + enc(lateId), bob, null);
            assertEquals(404, hidden.status());
            var bobSend = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/t9", bob, text("x"));
            assertEquals(403, bobSend.status());
        }
    }
}
