package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** POST /rooms/{roomId}/upgrade (spec "Room Upgrades"). */
class RoomUpgradeTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void upgradeCopiesStateMovesAliasesAndTombstonesTheOldRoom(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            ObjectNode body = Json.object().put("room_version", "11").put("preset", "public_chat")
                    .put("name", "Bauhof").put("topic", "Schotter").put("room_alias_name", "bauhof");
            String oldId = s.request("POST", "/_matrix/client/v3/createRoom", alice, body).json().get("room_id").asText();
            String old = "/_matrix/client/v3/rooms/" + enc(oldId);
            assertEquals(200, s.request("POST", old + "/join", bob, Json.object()).status());
            assertEquals(200, s.request("PUT", old + "/state/m.room.encryption", alice,
                    Json.object().put("algorithm", "m.megolm.v1.aes-sha2")).status());

            assertError(s.request("POST", old + "/upgrade", alice, Json.object().put("new_version", "99")),
                    400, "M_UNSUPPORTED_ROOM_VERSION");
            assertError(s.request("POST", old + "/upgrade", alice, Json.object()), 400, "M_BAD_JSON");
            // Bob (power 0) may not send the tombstone, so he may not upgrade.
            assertError(s.request("POST", old + "/upgrade", bob, Json.object().put("new_version", "12")), 403, "M_FORBIDDEN");

            var up = s.request("POST", old + "/upgrade", alice, Json.object().put("new_version", "12"));
            assertEquals(200, up.status(), up.body());
            String newId = up.json().get("replacement_room").asText();
            assertNotEquals(oldId, newId);
            String now = "/_matrix/client/v3/rooms/" + enc(newId);

            JsonNode create = s.request("GET", now + "/state/m.room.create", alice, null).json();
            assertEquals("12", create.path("room_version").asText(), create.toString());
            assertEquals(oldId, create.path("predecessor").path("room_id").asText(), create.toString());
            assertEquals("Bauhof", s.request("GET", now + "/state/m.room.name", alice, null).json().path("name").asText());
            assertEquals("Schotter", s.request("GET", now + "/state/m.room.topic", alice, null).json().path("topic").asText());
            assertEquals("public", s.request("GET", now + "/state/m.room.join_rules", alice, null).json().path("join_rule").asText());
            assertEquals("m.megolm.v1.aes-sha2", s.request("GET", now + "/state/m.room.encryption", alice, null).json()
                    .path("algorithm").asText());
            JsonNode pl = s.request("GET", now + "/state/m.room.power_levels", alice, null).json();
            assertEquals(100, pl.path("events").path("m.room.tombstone").asInt(), pl.toString());

            // Aliases and the canonical alias moved.
            var alias = s.request("GET", "/_matrix/client/v3/directory/room/" + enc("#bauhof:test.local"), bob, null);
            assertEquals(newId, alias.json().path("room_id").asText(), alias.body());
            assertEquals("#bauhof:test.local", s.request("GET", now + "/state/m.room.canonical_alias", alice, null)
                    .json().path("alias").asText());

            // The old room points forward; bob follows and can talk in the new room.
            JsonNode tomb = s.request("GET", old + "/state/m.room.tombstone", bob, null).json();
            assertEquals(newId, tomb.path("replacement_room").asText(), tomb.toString());
            assertEquals(200, s.request("POST", now + "/join", bob, Json.object()).status());
            assertEquals(200, s.request("PUT", now + "/send/m.room.message/b1", bob,
                    Json.object().put("msgtype", "m.text").put("body", "hallo")).status());
            // ... and no longer in the old one (the old room's power levels were restricted).
            assertError(s.request("PUT", old + "/send/m.room.message/b2", bob,
                    Json.object().put("msgtype", "m.text").put("body", "hallo")), 403, "M_FORBIDDEN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void upgradeFromCreatorPowerToListedPower(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String oldId = s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object().put("name", "v12"))
                    .json().get("room_id").asText();
            var up = s.request("POST", "/_matrix/client/v3/rooms/" + enc(oldId) + "/upgrade", alice,
                    Json.object().put("new_version", "10"));
            assertEquals(200, up.status(), up.body());
            String now = "/_matrix/client/v3/rooms/" + enc(up.json().get("replacement_room").asText());
            // In v10 power comes from the users map, so the upgrader is listed with 100.
            JsonNode pl = s.request("GET", now + "/state/m.room.power_levels", alice, null).json();
            assertEquals(100, pl.path("users").path(s.userId("alice")).asInt(), pl.toString());
            assertEquals("v12", s.request("GET", now + "/state/m.room.name", alice, null).json().path("name").asText());
        }
    }
}
