package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.ToDeviceStore;
import de.amtsbote.testing.TestServer;
import static de.amtsbote.testing.TestServer.assertError;
import de.amtsbote.util.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountDataHandlersTest {
    private static final String C = "/_matrix/client/v3";
    private static final String ROOM = "%21room%3Atest.local";

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void globalAndRoomAccountData(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            String alice = s.userId("alice");
            String bob = s.userId("bob");
            s.userToken("bob");
            ObjectNode content = Json.parseObject("{\"theme\": \"dark\", \"n\": [1, 2]}");
            String global = C + "/user/" + alice + "/account_data/org.example.settings";
            assertError(s.request("GET", global, t, null), 404, "M_NOT_FOUND");
            assertEquals(200, s.request("PUT", global, t, content).status());
            assertEquals(content, s.request("GET", global, t, null).json());
            ObjectNode changed = Json.parseObject("{\"theme\": \"light\"}");
            assertEquals(200, s.request("PUT", global, t, changed).status());
            assertEquals(changed, s.request("GET", global, t, null).json());

            String room = C + "/user/" + alice + "/rooms/" + ROOM + "/account_data/org.example.settings";
            assertError(s.request("GET", room, t, null), 404, "M_NOT_FOUND"); // no fallback to global
            assertEquals(200, s.request("PUT", room, t, content).status());
            assertEquals(content, s.request("GET", room, t, null).json());
            assertEquals(changed, s.request("GET", global, t, null).json());
            var items = s.server().stores().accountData().since(alice, 0, Long.MAX_VALUE);
            assertTrue(items.stream().anyMatch(i -> i.roomId().equals("!room:test.local")));

            // Only for yourself.
            assertError(s.request("GET", C + "/user/" + bob + "/account_data/org.example.settings", t, null), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", C + "/user/" + bob + "/account_data/x", t, content), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", C + "/user/" + bob + "/rooms/" + ROOM + "/account_data/x", t, content),
                    403, "M_FORBIDDEN");
            assertError(s.request("GET", C + "/user/" + bob + "/rooms/" + ROOM + "/account_data/x", t, null),
                    403, "M_FORBIDDEN");

            // Server-managed types.
            assertError(s.request("PUT", C + "/user/" + alice + "/account_data/m.push_rules", t, content), 405, "M_BAD_JSON");
            assertError(s.request("PUT", C + "/user/" + alice + "/account_data/m.fully_read", t, content), 405, "M_BAD_JSON");
            assertError(s.request("PUT", C + "/user/" + alice + "/rooms/" + ROOM + "/account_data/m.fully_read", t, content),
                    405, "M_BAD_JSON");
            // Bad bodies and room IDs.
            assertError(s.requestRaw("PUT", global, t, "[1]", "application/json"), 400, "M_BAD_JSON");
            assertError(s.requestRaw("PUT", global, t, "nope", "application/json"), 400, "M_NOT_JSON");
            assertError(s.request("GET", C + "/user/" + alice + "/rooms/%40notaroom%3Atest.local/account_data/x", t, null),
                    400, "M_INVALID_PARAM");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void tags(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            String alice = s.userId("alice");
            String tags = C + "/user/" + alice + "/rooms/" + ROOM + "/tags";
            assertEquals(Json.parse("{\"tags\": {}}"), s.request("GET", tags, t, null).json());
            assertEquals(200, s.request("PUT", tags + "/m.favourite", t, Json.parseObject("{\"order\": 0.25}")).status());
            assertEquals(200, s.request("PUT", tags + "/u.Work", t, Json.object()).status());
            assertEquals(Json.parse("{\"tags\": {\"m.favourite\": {\"order\": 0.25}, \"u.Work\": {}}}"),
                    s.request("GET", tags, t, null).json());
            // Stored as the room's m.tag account data, which /sync serves.
            assertEquals(Json.parse("{\"tags\": {\"m.favourite\": {\"order\": 0.25}, \"u.Work\": {}}}"),
                    s.server().stores().accountData().get(alice, "!room:test.local", "m.tag").orElseThrow());
            assertEquals(200, s.request("DELETE", tags + "/m.favourite", t, null).status());
            assertEquals(200, s.request("DELETE", tags + "/m.favourite", t, null).status()); // already gone: fine
            assertEquals(Json.parse("{\"tags\": {\"u.Work\": {}}}"), s.request("GET", tags, t, null).json());

            assertError(s.request("PUT", tags + "/u.x", t, Json.parseObject("{\"order\": \"first\"}")), 400, "M_BAD_JSON");
            assertError(s.request("PUT", tags + "/" + "u".repeat(256), t, Json.object()), 400, "M_INVALID_PARAM");
            String bobTags = C + "/user/" + s.userId("bob") + "/rooms/" + ROOM + "/tags";
            assertError(s.request("GET", bobTags, t, null), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", bobTags + "/u.x", t, Json.object()), 403, "M_FORBIDDEN");
            assertError(s.request("DELETE", bobTags + "/u.x", t, null), 403, "M_FORBIDDEN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void filters(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            String alice = s.userId("alice");
            ObjectNode filter = Json.parseObject(
                    "{\"room\": {\"timeline\": {\"limit\": 10}}, \"event_fields\": [\"type\", \"content.body\"]}");
            var created = s.request("POST", C + "/user/" + alice + "/filter", t, filter);
            assertEquals(200, created.status(), created.body());
            String id = created.json().get("filter_id").asText();
            assertEquals(filter, s.request("GET", C + "/user/" + alice + "/filter/" + id, t, null).json());
            // The same filter again gets the same id; another one a new id.
            assertEquals(id, s.request("POST", C + "/user/" + alice + "/filter", t, filter).json().get("filter_id").asText());
            String other = s.request("POST", C + "/user/" + alice + "/filter", t, Json.object()).json().get("filter_id").asText();
            assertNotEquals(id, other);

            assertError(s.request("GET", C + "/user/" + alice + "/filter/999", t, null), 404, "M_NOT_FOUND");
            assertError(s.requestRaw("POST", C + "/user/" + alice + "/filter", t, "[]", "application/json"), 400, "M_BAD_JSON");
            assertError(s.request("POST", C + "/user/" + alice + "/filter", t, Json.parseObject("{\"room\": 3}")),
                    400, "M_BAD_JSON");
            String bobToken = s.userToken("bob");
            assertError(s.request("GET", C + "/user/" + alice + "/filter/" + id, bobToken, null), 403, "M_FORBIDDEN");
            assertError(s.request("POST", C + "/user/" + alice + "/filter", bobToken, filter), 403, "M_FORBIDDEN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void sendToDevice(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String aliceToken = s.userToken("alice");
            s.userToken("bob");
            s.login("bob"); // a second device
            String bob = s.userId("bob");
            var bobDevices = s.server().stores().accounts().devices(bob);
            assertEquals(2, bobDevices.size());
            String dev1 = bobDevices.get(0).deviceId();
            String dev2 = bobDevices.get(1).deviceId();
            ToDeviceStore store = s.server().stores().toDevice();

            ObjectNode body = Json.object();
            ObjectNode msgs = body.putObject("messages");
            msgs.putObject(bob).putObject(dev1).put("secret", "one");
            msgs.putObject("@nobody:test.local").putObject("X").put("k", 1);     // unknown user: dropped
            msgs.putObject("@carol:elsewhere.org").putObject("X").put("k", 1);   // remote user: dropped
            var sent = s.request("PUT", C + "/sendToDevice/m.room.encrypted/txn1", aliceToken, body);
            assertEquals(200, sent.status(), sent.body());
            List<ToDeviceStore.Message> p1 = store.pending(bob, dev1, 0, Long.MAX_VALUE, 100);
            assertEquals(1, p1.size());
            assertEquals(s.userId("alice"), p1.getFirst().sender());
            assertEquals("m.room.encrypted", p1.getFirst().type());
            assertEquals("one", p1.getFirst().content().get("secret").asText());
            assertEquals(0, store.pending(bob, dev2, 0, Long.MAX_VALUE, 100).size());

            // A retry of the same transaction stores nothing.
            assertEquals(200, s.request("PUT", C + "/sendToDevice/m.room.encrypted/txn1", aliceToken, body).status());
            assertEquals(1, store.pending(bob, dev1, 0, Long.MAX_VALUE, 100).size());

            // "*" reaches every device.
            ObjectNode all = Json.object();
            all.putObject("messages").putObject(bob).putObject("*").put("hello", true);
            assertEquals(200, s.request("PUT", C + "/sendToDevice/m.new_device/txn2", aliceToken, all).status());
            assertEquals(2, store.pending(bob, dev1, 0, Long.MAX_VALUE, 100).size());
            assertEquals(1, store.pending(bob, dev2, 0, Long.MAX_VALUE, 100).size());

            // The same txnId from another device of the sender is a new transaction.
            String aliceToken2 = s.login("alice");
            assertEquals(200, s.request("PUT", C + "/sendToDevice/m.new_device/txn2", aliceToken2, all).status());
            assertEquals(2, store.pending(bob, dev2, 0, Long.MAX_VALUE, 100).size());

            assertError(s.request("PUT", C + "/sendToDevice/m.x/txn3", aliceToken, Json.object()), 400, "M_BAD_JSON");
            assertError(s.request("PUT", C + "/sendToDevice/m.x/txn3", aliceToken,
                    Json.parseObject("{\"messages\": {\"" + bob + "\": {\"" + dev1 + "\": 5}}}")), 400, "M_BAD_JSON");
            assertEquals(401, s.request("PUT", C + "/sendToDevice/m.x/txn4", null, all).status());
        }
    }
}
