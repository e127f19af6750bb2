package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** /room_keys: backup versions, keys at the three levels, etag/count, the replacement rules, wrong versions. */
class KeyBackupHandlersTest {
    private static final String C = "/_matrix/client/v3";
    private static final String ALG = "m.megolm_backup.v1.curve25519-aes-sha2";
    private static final String ROOM = "!room1:test.local";
    private static final String ROOM_PATH = C + "/room_keys/keys/" + enc(ROOM);

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static ObjectNode versionBody(String publicKey) {
        ObjectNode b = Json.object().put("algorithm", ALG);
        b.putObject("auth_data").put("public_key", publicKey);
        return b;
    }

    private static ObjectNode key(int firstMessageIndex, int forwardedCount, boolean verified, String ciphertext) {
        ObjectNode k = Json.object().put("first_message_index", firstMessageIndex).put("forwarded_count", forwardedCount)
                .put("is_verified", verified);
        k.putObject("session_data").put("ephemeral", "eph").put("ciphertext", ciphertext).put("mac", "mac");
        return k;
    }

    private static String create(TestServer s, String token, String publicKey) throws Exception {
        var r = s.request("POST", C + "/room_keys/version", token, versionBody(publicKey));
        assertEquals(200, r.status(), r.body());
        return r.json().get("version").asText();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void versionsCreateReadUpdateDelete(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            assertError(s.request("GET", C + "/room_keys/version", alice, null), 404, "M_NOT_FOUND");

            String v1 = create(s, alice, "pk1");
            var info = s.request("GET", C + "/room_keys/version", alice, null);
            assertEquals(200, info.status(), info.body());
            assertEquals(ALG, info.json().get("algorithm").asText());
            assertEquals("pk1", info.json().get("auth_data").get("public_key").asText());
            assertEquals(0, info.json().get("count").asInt());
            assertEquals(v1, info.json().get("version").asText());
            assertEquals(info.json(), s.request("GET", C + "/room_keys/version/" + v1, alice, null).json());
            // Backups are per user: Bob sees neither Alice's current version nor her version by number.
            assertError(s.request("GET", C + "/room_keys/version", bob, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", C + "/room_keys/version/" + v1, bob, null), 404, "M_NOT_FOUND");

            String v2 = create(s, alice, "pk2");
            assertNotEquals(v1, v2);
            assertEquals(v2, s.request("GET", C + "/room_keys/version", alice, null).json().get("version").asText());

            // Update: only auth_data changes; another algorithm or another version in the body is refused.
            ObjectNode update = versionBody("pk2-signed").put("version", v2);
            assertEquals(200, s.request("PUT", C + "/room_keys/version/" + v2, alice, update).status());
            assertEquals("pk2-signed", s.request("GET", C + "/room_keys/version/" + v2, alice, null).json()
                    .get("auth_data").get("public_key").asText());
            ObjectNode otherAlg = versionBody("x").put("algorithm", "m.megolm_backup.v2");
            assertError(s.request("PUT", C + "/room_keys/version/" + v2, alice, otherAlg), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", C + "/room_keys/version/" + v2, alice, versionBody("x").put("version", v1)),
                    400, "M_INVALID_PARAM");
            assertError(s.request("PUT", C + "/room_keys/version/99", alice, versionBody("x")), 404, "M_NOT_FOUND");
            assertError(s.request("PUT", C + "/room_keys/version/" + v2, bob, versionBody("x")), 404, "M_NOT_FOUND");

            // Delete: the previous version becomes current again; deleting twice is fine, an unknown one is not.
            assertError(s.request("DELETE", C + "/room_keys/version/" + v2, bob, null), 404, "M_NOT_FOUND");
            assertEquals(200, s.request("DELETE", C + "/room_keys/version/" + v2, alice, null).status());
            assertEquals(200, s.request("DELETE", C + "/room_keys/version/" + v2, alice, null).status());
            assertError(s.request("GET", C + "/room_keys/version/" + v2, alice, null), 404, "M_NOT_FOUND");
            assertEquals(v1, s.request("GET", C + "/room_keys/version", alice, null).json().get("version").asText());
            assertError(s.request("DELETE", C + "/room_keys/version/77", alice, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", C + "/room_keys/version/abc", alice, null), 404, "M_NOT_FOUND");
            // A new version never reuses a deleted number.
            String v3 = create(s, alice, "pk3");
            assertFalse(v3.equals(v1) || v3.equals(v2));

            // Bad input.
            assertError(s.request("POST", C + "/room_keys/version", alice, Json.object().put("algorithm", ALG)),
                    400, "M_BAD_JSON");
            ObjectNode noAlg = Json.object();
            noAlg.putObject("auth_data");
            assertError(s.request("POST", C + "/room_keys/version", alice, noAlg), 400, "M_BAD_JSON");
            assertError(s.requestRaw("POST", C + "/room_keys/version", alice, "[1]", "application/json"),
                    400, "M_BAD_JSON");
            assertEquals(401, s.request("GET", C + "/room_keys/version", null, null).status());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void keysAtThreeLevelsWithEtagAndCount(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String v = create(s, alice, "pk");
            String q = "?version=" + v;

            // Session level.
            var put1 = s.request("PUT", ROOM_PATH + "/sess1" + q, alice, key(0, 0, false, "c1"));
            assertEquals(200, put1.status(), put1.body());
            assertEquals(1, put1.json().get("count").asInt());
            String etag1 = put1.json().get("etag").asText();
            assertEquals(key(0, 0, false, "c1"), s.request("GET", ROOM_PATH + "/sess1" + q, alice, null).json());
            assertError(s.request("GET", ROOM_PATH + "/nosuch" + q, alice, null), 404, "M_NOT_FOUND");

            // Room level.
            ObjectNode roomBody = Json.object();
            roomBody.putObject("sessions").set("sess2", key(3, 1, false, "c2"));
            var put2 = s.request("PUT", ROOM_PATH + q, alice, roomBody);
            assertEquals(2, put2.json().get("count").asInt(), put2.body());
            String etag2 = put2.json().get("etag").asText();
            assertNotEquals(etag1, etag2);
            JsonNode room = s.request("GET", ROOM_PATH + q, alice, null).json();
            assertEquals(2, room.get("sessions").size(), room.toString());
            assertEquals(Json.parse("{\"sessions\":{}}"),
                    s.request("GET", C + "/room_keys/keys/" + enc("!other:test.local") + q, alice, null).json());

            // All rooms.
            ObjectNode allBody = Json.object();
            allBody.putObject("rooms").putObject("!room2:test.local").putObject("sessions").set("sess3", key(0, 0, true, "c3"));
            var put3 = s.request("PUT", C + "/room_keys/keys" + q, alice, allBody);
            assertEquals(3, put3.json().get("count").asInt(), put3.body());
            JsonNode all = s.request("GET", C + "/room_keys/keys" + q, alice, null).json();
            assertEquals(2, all.get("rooms").size(), all.toString());
            assertEquals(key(0, 0, true, "c3"), all.get("rooms").get("!room2:test.local").get("sessions").get("sess3"));

            var info = s.request("GET", C + "/room_keys/version", alice, null).json();
            assertEquals(3, info.get("count").asInt());
            assertEquals(put3.json().get("etag").asText(), info.get("etag").asText());

            // Another user sees nothing of it and cannot write to it.
            String bob = s.userToken("bob");
            assertError(s.request("GET", C + "/room_keys/keys" + q, bob, null), 404, "M_NOT_FOUND");
            assertError(s.request("PUT", ROOM_PATH + "/x" + q, bob, key(0, 0, false, "b")), 404, "M_NOT_FOUND");

            // Deleting at each level answers the new etag and count.
            var del1 = s.request("DELETE", ROOM_PATH + "/sess1" + q, alice, null);
            assertEquals(2, del1.json().get("count").asInt(), del1.body());
            var del2 = s.request("DELETE", ROOM_PATH + q, alice, null);
            assertEquals(1, del2.json().get("count").asInt(), del2.body());
            assertNotEquals(del1.json().get("etag").asText(), del2.json().get("etag").asText());
            var del3 = s.request("DELETE", C + "/room_keys/keys" + q, alice, null);
            assertEquals(0, del3.json().get("count").asInt(), del3.body());
            assertEquals(0, s.request("GET", C + "/room_keys/keys" + q, alice, null).json().get("rooms").size());
            assertError(s.request("DELETE", C + "/room_keys/keys?version=55", alice, null), 404, "M_NOT_FOUND");

            // Deleting the version deletes its keys: reading them is 404 afterwards.
            assertEquals(200, s.request("PUT", ROOM_PATH + "/s" + q, alice, key(0, 0, false, "c")).status());
            assertEquals(200, s.request("DELETE", C + "/room_keys/version/" + v, alice, null).status());
            assertError(s.request("GET", ROOM_PATH + "/s" + q, alice, null), 404, "M_NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void replacementRulesKeepTheBetterKey(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String q = "?version=" + create(s, alice, "pk");
            String path = ROOM_PATH + "/sess" + q;
            assertEquals(200, s.request("PUT", path, alice, key(5, 2, false, "first")).status());
            String etag = s.request("GET", C + "/room_keys/version", alice, null).json().get("etag").asText();

            // Same again (a retry): nothing changes, not even the etag.
            var retry = s.request("PUT", path, alice, key(5, 2, false, "first"));
            assertEquals(etag, retry.json().get("etag").asText(), retry.body());
            // Higher first_message_index, or equal index and higher forwarded_count: kept the old one.
            s.request("PUT", path, alice, key(6, 0, false, "later-index"));
            s.request("PUT", path, alice, key(5, 3, false, "more-forwarded"));
            assertEquals("first", s.request("GET", path, alice, null).json().get("session_data").get("ciphertext").asText());
            assertEquals(etag, s.request("GET", C + "/room_keys/version", alice, null).json().get("etag").asText());
            // Equal index, lower forwarded_count: replaced.
            s.request("PUT", path, alice, key(5, 1, false, "less-forwarded"));
            assertEquals("less-forwarded", s.request("GET", path, alice, null).json().get("session_data").get("ciphertext").asText());
            // Lower index wins even with a higher forwarded_count.
            s.request("PUT", path, alice, key(2, 9, false, "lower-index"));
            assertEquals("lower-index", s.request("GET", path, alice, null).json().get("session_data").get("ciphertext").asText());
            // A verified key replaces an unverified one whatever its index ...
            s.request("PUT", path, alice, key(50, 50, true, "verified"));
            assertEquals("verified", s.request("GET", path, alice, null).json().get("session_data").get("ciphertext").asText());
            // ... and an unverified one never replaces a verified one, however good its index.
            s.request("PUT", path, alice, key(0, 0, false, "unverified-better-index"));
            assertEquals("verified", s.request("GET", path, alice, null).json().get("session_data").get("ciphertext").asText());
            assertEquals(1, s.request("GET", C + "/room_keys/version", alice, null).json().get("count").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void wrongVersionsAndBadInput(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            // No backup at all: 404.
            assertError(s.request("PUT", ROOM_PATH + "/s?version=1", alice, key(0, 0, false, "c")), 404, "M_NOT_FOUND");
            String v1 = create(s, alice, "pk1");
            String v2 = create(s, alice, "pk2");
            // Writing to an older version: 403 with the current version, at every level.
            var wrong = s.request("PUT", ROOM_PATH + "/s?version=" + v1, alice, key(0, 0, false, "c"));
            assertError(wrong, 403, "M_WRONG_ROOM_KEYS_VERSION");
            assertEquals(v2, wrong.json().get("current_version").asText());
            ObjectNode roomBody = Json.object();
            roomBody.putObject("sessions").set("s", key(0, 0, false, "c"));
            assertError(s.request("PUT", ROOM_PATH + "?version=" + v1, alice, roomBody), 403, "M_WRONG_ROOM_KEYS_VERSION");
            ObjectNode allBody = Json.object();
            allBody.putObject("rooms").set(ROOM, roomBody);
            assertError(s.request("PUT", C + "/room_keys/keys?version=" + v1, alice, allBody), 403,
                    "M_WRONG_ROOM_KEYS_VERSION");
            // A version that never existed (or not a number) while a backup exists: also refused.
            assertError(s.request("PUT", ROOM_PATH + "/s?version=99", alice, key(0, 0, false, "c")), 403,
                    "M_WRONG_ROOM_KEYS_VERSION");
            assertError(s.request("PUT", ROOM_PATH + "/s?version=abc", alice, key(0, 0, false, "c")), 404, "M_NOT_FOUND");
            assertEquals(0, s.request("GET", C + "/room_keys/version/" + v1, alice, null).json().get("count").asInt());
            // Reading an older version that still exists is allowed.
            assertEquals(200, s.request("GET", C + "/room_keys/keys?version=" + v1, alice, null).status());

            String q = "?version=" + v2;
            assertError(s.request("PUT", ROOM_PATH + "/s", alice, key(0, 0, false, "c")), 400, "M_MISSING_PARAM");
            assertError(s.request("GET", C + "/room_keys/keys", alice, null), 400, "M_MISSING_PARAM");
            assertError(s.request("PUT", ROOM_PATH + "/s" + q, alice, key(-1, 0, false, "c")), 400, "M_BAD_JSON");
            assertError(s.request("PUT", ROOM_PATH + "/s" + q, alice, key(0, 0, false, "c").put("is_verified", "yes")),
                    400, "M_BAD_JSON");
            ObjectNode noData = key(0, 0, false, "c");
            noData.remove("session_data");
            assertError(s.request("PUT", ROOM_PATH + "/s" + q, alice, noData), 400, "M_BAD_JSON");
            assertError(s.request("PUT", ROOM_PATH + q, alice, Json.object().put("sessions", 3)), 400, "M_BAD_JSON");
            assertError(s.request("PUT", C + "/room_keys/keys" + q, alice, Json.object()), 400, "M_BAD_JSON");
            ObjectNode badRoom = Json.object();
            badRoom.putObject("rooms").set("not-a-room", roomBody);
            assertError(s.request("PUT", C + "/room_keys/keys" + q, alice, badRoom), 400, "M_INVALID_PARAM");
            assertError(s.requestRaw("PUT", ROOM_PATH + "/s" + q, alice, "{", "application/json"), 400, "M_NOT_JSON");
            // Nothing of the refused requests was stored.
            assertEquals(0, s.request("GET", C + "/room_keys/version", alice, null).json().get("count").asInt());
        }
    }
}
