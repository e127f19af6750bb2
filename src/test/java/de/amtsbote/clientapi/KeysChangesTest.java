package de.amtsbote.clientapi;

import static de.amtsbote.clientapi.KeysHandlersTest.V3;
import static de.amtsbote.clientapi.KeysHandlersTest.deviceKeys;
import static de.amtsbote.clientapi.KeysHandlersTest.deviceOf;
import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /keys/changes between two /sync tokens: room mates' key changes, new room mates, users who left. */
class KeysChangesTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void changesBetweenSyncTokens(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String dave = s.userToken("dave");
            ObjectNode create = Json.object();
            create.putArray("invite").add(s.userId("bob")).add(s.userId("carol"));
            String roomId = s.request("POST", V3 + "/createRoom", alice, create).json().get("room_id").asText();
            String room = URLEncoder.encode(roomId, StandardCharsets.UTF_8);
            assertEquals(200, s.request("POST", V3 + "/join/" + room, bob, Json.object()).status());

            String t0 = token(s, bob);
            upload(s, alice, "alice");
            upload(s, dave, "dave"); // shares no room with bob
            assertEquals(200, s.request("POST", V3 + "/join/" + room, carol, Json.object()).status());
            String t1 = token(s, bob);
            JsonNode c = changes(s, bob, t0, t1);
            assertEquals(List.of(s.userId("alice"), s.userId("carol")), strings(c.get("changed")), c.toString());
            assertEquals(List.of(), strings(c.get("left")));
            // Nothing happened after t1.
            assertEquals(List.of(), strings(changes(s, bob, t1, t1).get("changed")));

            assertEquals(200, s.request("POST", V3 + "/rooms/" + room + "/leave", carol, Json.object()).status());
            // Alice signs out a device that had keys: a change for her room mates.
            String second = s.login("alice");
            upload(s, second, "alice");
            String t2 = token(s, bob);
            assertEquals(200, s.request("POST", V3 + "/logout", second, Json.object()).status());
            String t3 = token(s, bob);
            c = changes(s, bob, t1, t2);
            assertEquals(List.of(s.userId("alice")), strings(c.get("changed")), c.toString());
            assertEquals(List.of(s.userId("carol")), strings(c.get("left")), c.toString());
            assertEquals(List.of(s.userId("alice")), strings(changes(s, bob, t2, t3).get("changed")));
            // Carol, no longer in the room, sees Bob and Alice as left.
            c = changes(s, carol, t1, t2);
            assertEquals(List.of(s.userId("alice"), s.userId("bob")), strings(c.get("left")), c.toString());
            // Pagination tokens carry a position too.
            assertEquals(200, s.request("GET", V3 + "/keys/changes?from=t1&to=" + t3, bob, null).status());

            assertError(s.request("GET", V3 + "/keys/changes?to=" + t1, bob, null), 400, "M_MISSING_PARAM");
            assertError(s.request("GET", V3 + "/keys/changes?from=nonsense&to=" + t1, bob, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V3 + "/keys/changes?from=s99999999999999999999&to=" + t1, bob, null),
                    400, "M_INVALID_PARAM");
            assertEquals(401, s.request("GET", V3 + "/keys/changes?from=" + t0 + "&to=" + t1, null, null).status());
        }
    }

    private static void upload(TestServer s, String token, String localpart) throws Exception {
        ObjectNode body = Json.object();
        body.set("device_keys", deviceKeys(s.userId(localpart), deviceOf(s, token), new TestSigningKey()));
        assertEquals(200, s.request("POST", V3 + "/keys/upload", token, body).status());
    }

    private static String token(TestServer s, String token) throws Exception {
        return s.request("GET", V3 + "/sync?timeout=0", token, null).json().get("next_batch").asText();
    }

    private static JsonNode changes(TestServer s, String token, String from, String to) throws Exception {
        var r = s.request("GET", V3 + "/keys/changes?from=" + from + "&to=" + to, token, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
