package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /pushers and POST /pushers/set: create, replace, delete, append, and the errors for bad input. */
class PusherHandlersTest {
    /** The fake gateways of these tests run on this machine, which a default server refuses. */
    static final String LOCAL_GATEWAYS = "push:\n  allow_internal_gateways: true\n";

    private static final String C = "/_matrix/client/v3";
    private static final String URL = "https://push.example.org/_matrix/push/v1/notify";

    static ObjectNode pusher(String appId, String pushkey, String url) {
        ObjectNode b = Json.object().put("kind", "http").put("app_id", appId).put("pushkey", pushkey)
                .put("app_display_name", "Amtsbote").put("device_display_name", "Telefon").put("lang", "de");
        b.putObject("data").put("url", url).put("format", "event_id_only");
        return b;
    }

    private static JsonNode list(TestServer s, String token) throws Exception {
        var r = s.request("GET", C + "/pushers", token, null);
        assertEquals(200, r.status(), r.body());
        return r.json().get("pushers");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void setListReplaceDelete(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS)) {
            String alice = s.userToken("alice");
            assertEquals(0, list(s, alice).size());
            var set = s.request("POST", C + "/pushers/set", alice, pusher("de.app", "key1", URL).put("profile_tag", "t"));
            assertEquals(200, set.status(), set.body());
            assertEquals(Json.object(), set.json());
            JsonNode one = list(s, alice).get(0);
            assertEquals("key1", one.get("pushkey").asText());
            assertEquals("http", one.get("kind").asText());
            assertEquals("de.app", one.get("app_id").asText());
            assertEquals("Amtsbote", one.get("app_display_name").asText());
            assertEquals("Telefon", one.get("device_display_name").asText());
            assertEquals("t", one.get("profile_tag").asText());
            assertEquals("de", one.get("lang").asText());
            assertEquals(URL, one.get("data").get("url").asText());
            assertEquals("event_id_only", one.get("data").get("format").asText());

            // Same app id and pushkey again: replaced, not doubled.
            s.request("POST", C + "/pushers/set", alice, pusher("de.app", "key1", URL).put("lang", "en"));
            assertEquals(1, list(s, alice).size());
            assertEquals("en", list(s, alice).get(0).get("lang").asText());
            s.request("POST", C + "/pushers/set", alice, pusher("de.app", "key2", URL));
            assertEquals(2, list(s, alice).size());

            // kind null deletes (and deleting what is not there is fine).
            ObjectNode delete = Json.object().putNull("kind").put("app_id", "de.app").put("pushkey", "key1");
            assertEquals(200, s.request("POST", C + "/pushers/set", alice, delete).status());
            assertEquals(200, s.request("POST", C + "/pushers/set", alice, delete).status());
            assertEquals(1, list(s, alice).size());
            assertEquals("key2", list(s, alice).get(0).get("pushkey").asText());
            assertEquals(401, s.request("GET", C + "/pushers", null, null).status());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void appendDecidesWhetherOtherUsersKeepTheirPusher(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            s.request("POST", C + "/pushers/set", alice, pusher("de.app", "shared", URL));
            // append: true keeps Alice's pusher with the same pushkey.
            s.request("POST", C + "/pushers/set", bob, pusher("de.app", "shared", URL).put("append", true));
            assertEquals(1, list(s, alice).size());
            assertEquals(1, list(s, bob).size());
            // append false (the default): the phone now belongs to Bob alone.
            s.request("POST", C + "/pushers/set", bob, pusher("de.app", "shared", URL));
            assertEquals(0, list(s, alice).size());
            assertEquals(1, list(s, bob).size());
            // Bob deleting his pusher does not touch anyone else's.
            s.request("POST", C + "/pushers/set", alice, pusher("de.app", "shared", URL).put("append", true));
            s.request("POST", C + "/pushers/set", bob,
                    Json.object().putNull("kind").put("app_id", "de.app").put("pushkey", "shared"));
            assertEquals(1, list(s, alice).size());
            assertEquals(0, list(s, bob).size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void signingOutRemovesTheDevicesPushers(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS)) {
            String phone = s.userToken("alice");
            String laptop = s.login("alice");
            s.request("POST", C + "/pushers/set", phone, pusher("de.app", "phone", URL));
            s.request("POST", C + "/pushers/set", laptop, pusher("de.app", "laptop", URL));
            assertEquals(2, list(s, laptop).size());
            assertEquals(200, s.request("POST", C + "/logout", phone, Json.object()).status());
            JsonNode left = list(s, laptop);
            assertEquals(1, left.size(), left.toString());
            assertEquals("laptop", left.get(0).get("pushkey").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void badInputIsRefused(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS)) {
            String alice = s.userToken("alice");
            String set = C + "/pushers/set";
            ObjectNode noKind = pusher("de.app", "k", URL);
            noKind.remove("kind");
            assertError(s.request("POST", set, alice, noKind), 400, "M_MISSING_PARAM");
            for (String field : new String[] {"app_id", "pushkey", "app_display_name", "device_display_name", "lang", "data"}) {
                ObjectNode b = pusher("de.app", "k", URL);
                b.remove(field);
                assertError(s.request("POST", set, alice, b), 400, "M_MISSING_PARAM");
            }
            ObjectNode noUrl = pusher("de.app", "k", URL);
            ((ObjectNode) noUrl.get("data")).remove("url");
            assertError(s.request("POST", set, alice, noUrl), 400, "M_MISSING_PARAM");
            for (String bad : new String[] {"ftp://push.example.org/_matrix/push/v1/notify",
                    "https://push.example.org/other", "not a url", "https:///_matrix/push/v1/notify",
                    "https://user:pw@push.example.org/_matrix/push/v1/notify"}) {
                assertError(s.request("POST", set, alice, pusher("de.app", "k", bad)), 400, "M_INVALID_PARAM");
            }
            assertError(s.request("POST", set, alice, pusher("de.app", "k", URL).put("kind", "email")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", set, alice, pusher("de.app", "k", URL).put("kind", 5)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", set, alice, pusher("de.app", "k", URL).put("append", "yes")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", set, alice, pusher("de.app", "k", URL).put("lang", 7)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", set, alice, pusher("de.app", "k", URL).put("data", "x")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", set, alice, pusher("x".repeat(65), "k", URL)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", set, alice, pusher("de.app", "k".repeat(513), URL)), 400, "M_INVALID_PARAM");
            assertError(s.requestRaw("POST", set, alice, "nope", "application/json"), 400, "M_NOT_JSON");
            assertEquals(0, list(s, alice).size());

            // At most 20 pushers per user; replacing one of them is still fine.
            for (int i = 0; i < 20; i++) {
                assertEquals(200, s.request("POST", set, alice, pusher("de.app", "key" + i, URL)).status());
            }
            assertError(s.request("POST", set, alice, pusher("de.app", "key20", URL)), 403, "M_FORBIDDEN");
            assertEquals(200, s.request("POST", set, alice, pusher("de.app", "key3", URL).put("lang", "en")).status());
            assertEquals(20, list(s, alice).size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void addressesInTheServersOwnNetworkAreRefusedByDefault(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            for (String host : new String[] {"127.0.0.1:9", "localhost", "10.1.2.3", "192.168.0.5", "169.254.169.254",
                    "[::1]", "[fd00::1]", "0.0.0.0"}) {
                String url = "http://" + host + "/_matrix/push/v1/notify";
                var r = s.request("POST", C + "/pushers/set", alice, pusher("de.app", "k-" + host, url));
                assertError(r, 400, "M_INVALID_PARAM");
            }
            assertEquals(0, list(s, alice).size());
            // A public gateway is fine (its name is resolved only when a push is sent).
            var ok = s.request("POST", C + "/pushers/set", alice,
                    pusher("de.app", "k", "https://push.example.org/_matrix/push/v1/notify"));
            assertEquals(200, ok.status(), ok.body());
        }
    }
}
