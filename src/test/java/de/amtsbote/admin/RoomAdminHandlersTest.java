package de.amtsbote.admin;

import static de.amtsbote.admin.AdminTestSupport.createRoom;
import static de.amtsbote.admin.AdminTestSupport.enc;
import static de.amtsbote.admin.AdminTestSupport.join;
import static de.amtsbote.admin.AdminTestSupport.ok;
import static de.amtsbote.admin.AdminTestSupport.send;
import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Synapse's rooms admin API: list, details, members, state, block, delete with and without purge. */
class RoomAdminHandlersTest {
    private static final String V1 = "/_synapse/admin/v1/rooms";
    private static final String V2 = "/_synapse/admin/v2/rooms";

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("rooms").forEach(r -> out.add(r.get("room_id").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void listDetailsMembersState(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String kasse = createRoom(s, alice, Json.object().put("name", "Stadtkasse").put("room_alias_name", "kasse")
                    .put("preset", "public_chat").put("visibility", "public"));
            String bau = createRoom(s, alice, Json.object().put("name", "Bauamt"));
            String ohne = createRoom(s, bob, Json.object());
            ok(join(s, bob, kasse));

            JsonNode all = ok(s.request("GET", V1, admin, null));
            assertEquals(3, all.get("total_rooms").asInt());
            assertEquals(0, all.get("offset").asInt());
            assertFalse(all.has("next_batch"));
            // Default order: by name A-Z, rooms without a name last.
            assertEquals(List.of(bau, kasse, ohne), ids(all));
            JsonNode k = all.get("rooms").get(1);
            assertEquals("Stadtkasse", k.get("name").asText());
            assertEquals("#kasse:test.local", k.get("canonical_alias").asText());
            assertEquals(2, k.get("joined_members").asInt());
            assertEquals(2, k.get("joined_local_members").asInt());
            assertEquals(s.userId("alice"), k.get("creator").asText());
            assertTrue(k.get("public").asBoolean());
            assertTrue(k.get("federatable").asBoolean());
            assertEquals("public", k.get("join_rules").asText());
            assertEquals("shared", k.get("history_visibility").asText());
            assertTrue(k.get("encryption").isNull());
            assertTrue(k.get("room_type").isNull());
            assertTrue(k.get("state_events").asInt() >= 6, k.toString());
            for (String f : List.of("room_id", "version", "guest_access")) assertTrue(k.has(f), f);

            assertEquals(List.of(ohne, kasse, bau), ids(ok(s.request("GET", V1 + "?dir=b", admin, null))));
            assertEquals(kasse, ids(ok(s.request("GET", V1 + "?order_by=joined_members", admin, null))).getFirst());
            assertEquals(kasse, ids(ok(s.request("GET", V1 + "?order_by=size", admin, null))).getFirst());
            JsonNode page = ok(s.request("GET", V1 + "?limit=1&from=1", admin, null));
            assertEquals(List.of(kasse), ids(page));
            assertEquals(2, page.get("next_batch").asInt());
            assertEquals(0, page.get("prev_batch").asInt());
            assertEquals(List.of(kasse), ids(ok(s.request("GET", V1 + "?search_term=KASSE", admin, null))));
            assertEquals(List.of(bau), ids(ok(s.request("GET", V1 + "?search_term=" + enc(bau), admin, null))));
            assertEquals(0, ok(s.request("GET", V1 + "?search_term=nichts", admin, null)).get("total_rooms").asInt());

            JsonNode details = ok(s.request("GET", V1 + "/" + enc(kasse), admin, null));
            assertEquals("Stadtkasse", details.get("name").asText());
            assertEquals(2, details.get("joined_local_devices").asInt());
            assertFalse(details.get("forgotten").asBoolean());
            assertTrue(details.has("topic") && details.has("avatar"));

            JsonNode members = ok(s.request("GET", V1 + "/" + enc(kasse) + "/members", admin, null));
            assertEquals(2, members.get("total").asInt());
            assertEquals(Json.parse("[\"" + s.userId("alice") + "\",\"" + s.userId("bob") + "\"]"), members.get("members"));

            JsonNode state = ok(s.request("GET", V1 + "/" + enc(kasse) + "/state", admin, null)).get("state");
            assertEquals(details.get("state_events").asInt(), state.size());
            JsonNode names = ok(s.request("GET", V1 + "/" + enc(kasse) + "/state?type=m.room.name", admin, null)).get("state");
            assertEquals(1, names.size());
            assertEquals("Stadtkasse", names.get(0).get("content").get("name").asText());
            assertTrue(names.get(0).has("event_id"));

            // Bad input and unknown rooms.
            assertError(s.request("GET", V1 + "?order_by=farbe", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V1 + "?dir=x", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V1 + "?from=-1", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V1 + "?limit=viele", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V1 + "/" + enc("!unknown:test.local"), admin, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", V1 + "/" + enc("!unknown:test.local") + "/members", admin, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", V1 + "/" + enc("!unknown:test.local") + "/state", admin, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", V1 + "/keine-raum-id", admin, null), 400, "M_INVALID_PARAM");

            // Only admins.
            for (String path : List.of(V1, V1 + "/" + enc(kasse), V1 + "/" + enc(kasse) + "/members",
                    V1 + "/" + enc(kasse) + "/state", V1 + "/" + enc(kasse) + "/block")) {
                assertError(s.request("GET", path, alice, null), 403, "M_FORBIDDEN");
                assertError(s.request("GET", path, null, null), 401, "M_MISSING_TOKEN");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void blockRefusesJoins(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = createRoom(s, alice, Json.object().put("preset", "public_chat"));
            String path = V1 + "/" + enc(room) + "/block";
            assertEquals(Json.parse("{\"block\":false}"), ok(s.request("GET", path, admin, null)));
            assertError(s.request("PUT", path, alice, Json.object().put("block", true)), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", path, admin, Json.object()), 400, "M_MISSING_PARAM");
            assertError(s.request("PUT", path, admin, Json.object().put("block", "ja")), 400, "M_BAD_JSON");
            assertEquals(Json.parse("{\"block\":true}"), ok(s.request("PUT", path, admin, Json.object().put("block", true))));
            JsonNode status = ok(s.request("GET", path, admin, null));
            assertTrue(status.get("block").asBoolean());
            assertEquals(s.userId("admin"), status.get("user_id").asText());
            assertError(join(s, bob, room), 403, "M_FORBIDDEN");
            // A room not known here can be blocked in advance.
            ok(s.request("PUT", V1 + "/" + enc("!spaeter:test.local") + "/block", admin, Json.object().put("block", true)));

            ok(s.request("PUT", path, admin, Json.object().put("block", false)));
            assertEquals(Json.parse("{\"block\":false}"), ok(s.request("GET", path, admin, null)));
            ok(join(s, bob, room));
        }
    }

    private static JsonNode awaitDeletion(TestServer s, String admin, String deleteId) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonNode st = ok(s.request("GET", V2 + "/delete_status/" + deleteId, admin, null));
            String status = st.get("status").asText();
            if (status.equals("complete") || status.equals("failed")) return st;
            Thread.sleep(25);
        }
        throw new AssertionError("deletion did not finish");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deleteWithPurgeAndBlock(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String room = createRoom(s, alice, Json.object().put("name", "Alt").put("room_alias_name", "alt")
                    .put("preset", "public_chat").put("visibility", "public"));
            ok(join(s, bob, room));
            ok(s.request("POST", "/_matrix/client/v3/rooms/" + enc(room) + "/invite", alice,
                    Json.object().put("user_id", s.userId("carol"))));
            String eventId = ok(send(s, alice, room, "geheim")).get("event_id").asText();
            String other = createRoom(s, alice, Json.object().put("name", "Bleibt"));
            String bobSince = ok(s.request("GET", "/_matrix/client/v3/sync?timeout=0", bob, null)).get("next_batch").asText();

            String delete = V2 + "/" + enc(room);
            assertError(s.request("DELETE", delete, bob, Json.object()), 403, "M_FORBIDDEN");
            assertError(s.request("DELETE", delete, admin, Json.object().put("new_room_user_id", s.userId("admin"))),
                    400, "M_UNRECOGNIZED");
            assertError(s.request("DELETE", delete, admin, Json.object().put("purge", "ja")), 400, "M_BAD_JSON");
            assertError(s.request("DELETE", V2 + "/" + enc("!gibtsnicht:test.local"), admin, Json.object()), 400, "M_UNKNOWN");
            assertError(s.request("DELETE", V2 + "/kein-raum", admin, Json.object()), 400, "M_INVALID_PARAM");

            JsonNode started = ok(s.request("DELETE", delete, admin, Json.object().put("block", true).put("purge", true)));
            String deleteId = started.get("delete_id").asText();
            JsonNode done = awaitDeletion(s, admin, deleteId);
            assertEquals("complete", done.get("status").asText(), done.toString());
            assertEquals(room, done.get("room_id").asText());
            JsonNode shutdown = done.get("shutdown_room");
            List<String> kicked = new ArrayList<>();
            shutdown.get("kicked_users").forEach(u -> kicked.add(u.asText()));
            assertEquals(3, kicked.size(), shutdown.toString());
            assertTrue(kicked.containsAll(List.of(s.userId("alice"), s.userId("bob"), s.userId("carol"))));
            assertEquals(0, shutdown.get("failed_to_kick_users").size());
            assertEquals(Json.parse("[\"#alt:test.local\"]"), shutdown.get("local_aliases"));
            assertTrue(shutdown.get("new_room_id").isNull());
            JsonNode byRoom = ok(s.request("GET", V2 + "/" + enc(room) + "/delete_status", admin, null));
            assertEquals(deleteId, byRoom.get("results").get(0).get("delete_id").asText());
            assertError(s.request("GET", V2 + "/delete_status/unbekannt", admin, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", V2 + "/delete_status/" + deleteId, bob, null), 403, "M_FORBIDDEN");
            assertError(s.request("GET", V2 + "/" + enc(room) + "/delete_status", bob, null), 403, "M_FORBIDDEN");
            assertError(s.request("GET", V2 + "/" + enc(other) + "/delete_status", admin, null), 404, "M_NOT_FOUND");

            // Purged: no trace in the database, gone from the lists, the alias and the directory.
            assertTrue(s.server().stores().events().event(eventId).isEmpty());
            assertTrue(s.server().stores().events().room(room).isEmpty());
            assertError(s.request("GET", V1 + "/" + enc(room), admin, null), 404, "M_NOT_FOUND");
            assertEquals(List.of(other), ids(ok(s.request("GET", V1, admin, null))));
            assertError(s.request("GET", "/_matrix/client/v3/directory/room/" + enc("#alt:test.local"), alice, null),
                    404, "M_NOT_FOUND");
            assertEquals(0, ok(s.request("GET", "/_matrix/client/v3/publicRooms", alice, null)).get("chunk").size());
            JsonNode joined = ok(s.request("GET", "/_matrix/client/v3/joined_rooms", alice, null)).get("joined_rooms");
            assertEquals(Json.parse("[\"" + other + "\"]"), joined);
            // Blocked: joining again is refused.
            assertError(join(s, bob, room), 403, "M_FORBIDDEN");
            assertTrue(ok(s.request("GET", V1 + "/" + enc(room) + "/block", admin, null)).get("block").asBoolean());
            // Everyone's sync still works after the purge, and a client that was away learns it left the room.
            ok(s.request("GET", "/_matrix/client/v3/sync?timeout=0", bob, null));
            JsonNode later = ok(s.request("GET", "/_matrix/client/v3/sync?timeout=0&since=" + enc(bobSince), bob, null));
            assertTrue(later.path("rooms").path("leave").has(room), later.toString());
            assertFalse(later.path("rooms").path("join").has(room), later.toString());
            JsonNode again = ok(s.request("GET", "/_matrix/client/v3/sync?timeout=0&since="
                    + enc(later.get("next_batch").asText()), bob, null));
            assertFalse(again.path("rooms").path("leave").has(room), again.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deleteWithoutPurgeKeepsEvents(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String room = createRoom(s, alice, Json.object().put("name", "Akte"));
            String eventId = ok(send(s, alice, room, "aufbewahren")).get("event_id").asText();
            String deleteId = ok(s.request("DELETE", V2 + "/" + enc(room), admin, Json.object().put("purge", false)))
                    .get("delete_id").asText();
            assertEquals("complete", awaitDeletion(s, admin, deleteId).get("status").asText());
            assertTrue(s.server().stores().events().event(eventId).isPresent());
            JsonNode details = ok(s.request("GET", V1 + "/" + enc(room), admin, null));
            assertEquals(0, details.get("joined_members").asInt());
            // Not blocked: an invitation-only room stays closed anyway, but the block flag is off.
            assertFalse(ok(s.request("GET", V1 + "/" + enc(room) + "/block", admin, null)).get("block").asBoolean());
            assertEquals(0, ok(s.request("GET", "/_matrix/client/v3/joined_rooms", alice, null)).get("joined_rooms").size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deleteV1AnswersWhenDone(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String room = createRoom(s, alice, Json.object().put("room_alias_name", "weg"));
            String eventId = ok(send(s, alice, room, "weg damit")).get("event_id").asText();
            assertError(s.request("DELETE", V1 + "/" + enc(room), alice, Json.object()), 403, "M_FORBIDDEN");
            JsonNode result = ok(s.request("DELETE", V1 + "/" + enc(room), admin, Json.object()));
            assertEquals(Json.parse("[\"" + s.userId("alice") + "\"]"), result.get("kicked_users"));
            assertEquals(Json.parse("[\"#weg:test.local\"]"), result.get("local_aliases"));
            assertEquals(0, result.get("failed_to_kick_users").size());
            assertTrue(result.get("new_room_id").isNull());
            assertTrue(s.server().stores().events().event(eventId).isEmpty());
            // v1 may block a room not known here in advance; without block an unknown room is a bad request.
            String unknown = enc("!kommt-noch:test.local");
            assertError(s.request("DELETE", V1 + "/" + unknown, admin, Json.object()), 400, "M_UNKNOWN");
            ok(s.request("DELETE", V1 + "/" + unknown, admin, Json.object().put("block", true)));
            assertTrue(ok(s.request("GET", V1 + "/" + unknown + "/block", admin, null)).get("block").asBoolean());
        }
    }
}
