package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /notifications (paging, only=highlight, read flag) and GET /thirdparty/protocols. */
class NotificationHandlersTest {
    private static final String C = "/_matrix/client/v3";

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static List<String> bodies(JsonNode notifications) {
        List<String> out = new ArrayList<>();
        notifications.forEach(n -> out.add(n.path("event").path("content").path("body").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void listsPagesAndMarksRead(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            var created = s.request("POST", C + "/createRoom", alice, Json.object().put("preset", "public_chat"));
            String roomId = created.json().get("room_id").asText();
            String room = C + "/rooms/" + enc(roomId);
            assertEquals(200, s.request("POST", C + "/join/" + enc(roomId), bob, Json.object()).status());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                var sent = s.request("PUT", room + "/send/m.room.message/m" + i, alice,
                        Json.object().put("msgtype", "m.text").put("body", "nachricht " + i));
                ids.add(sent.json().get("event_id").asText());
            }
            var mention = Json.object().put("msgtype", "m.text").put("body", "bob, schau mal");
            mention.putObject("m.mentions").putArray("user_ids").add(s.userId("bob"));
            assertEquals(200, s.request("PUT", room + "/send/m.room.message/m5", alice, mention).status());
            // Bob has read up to the third message.
            assertEquals(200, s.request("POST", room + "/receipt/m.read/" + enc(ids.get(2)), bob, Json.object()).status());

            var first = s.request("GET", C + "/notifications?limit=4", bob, null);
            assertEquals(200, first.status(), first.body());
            JsonNode n = first.json().get("notifications");
            assertEquals(List.of("bob, schau mal", "nachricht 4", "nachricht 3", "nachricht 2"), bodies(n));
            assertEquals(roomId, n.get(0).get("room_id").asText());
            assertFalse(n.get(0).get("event").has("room_id"), first.body());
            assertEquals(Json.parse("[\"notify\", {\"set_tweak\": \"highlight\"}]"), n.get(0).get("actions"));
            assertEquals(Json.parse("[\"notify\"]"), n.get(1).get("actions"));
            assertFalse(n.get(0).get("read").asBoolean());
            assertFalse(n.get(1).get("read").asBoolean());
            assertTrue(n.get(3).get("read").asBoolean());
            assertTrue(n.get(0).get("ts").asLong() > 0);

            var rest = s.request("GET", C + "/notifications?limit=4&from=" + first.json().get("next_token").asText(), bob, null);
            assertEquals(List.of("nachricht 1", "nachricht 0"), bodies(rest.json().get("notifications")), rest.body());
            assertFalse(rest.json().has("next_token"), rest.body());

            var highlights = s.request("GET", C + "/notifications?only=highlight", bob, null);
            assertEquals(List.of("bob, schau mal"), bodies(highlights.json().get("notifications")), highlights.body());
            // Alice's own messages never notify her.
            assertEquals(0, s.request("GET", C + "/notifications", alice, null).json().get("notifications").size());

            assertError(s.request("GET", C + "/notifications?from=abc", bob, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", C + "/notifications?only=everything", bob, null), 400, "M_INVALID_PARAM");
            assertEquals(401, s.request("GET", C + "/notifications", null, null).status());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void thirdPartyProtocolsAreEmpty(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            var r = s.request("GET", C + "/thirdparty/protocols", alice, null);
            assertEquals(200, r.status(), r.body());
            assertEquals(Json.object(), r.json());
            assertEquals(401, s.request("GET", C + "/thirdparty/protocols", null, null).status());
        }
    }
}
