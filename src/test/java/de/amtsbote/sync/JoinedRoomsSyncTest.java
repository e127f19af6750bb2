package de.amtsbote.sync;

import static de.amtsbote.sync.SyncHttp.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rooms joined inside the sync window, gapped syncs and their state, over HTTP on both databases. */
class JoinedRoomsSyncTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void roomJoinedInsideTheWindowComesLikeAnInitialSync(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String roomId = createRoom(s, alice, s.userId("bob"));
            String since = sync(s, bob, null, null).get("next_batch").asText();
            String sinceTypesEmpty = since;
            for (int i = 0; i < 15; i++) send(s, alice, roomId, "m" + i);
            join(s, bob, roomId);

            JsonNode room = sync(s, bob, since, null).path("rooms").path("join").path(roomId);
            assertTrue(room.path("timeline").path("limited").asBoolean(), room.toString());
            List<String> bodies = bodies(room);
            assertEquals(List.of("m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13", "m14"), bodies);
            // Full state as of the start of the timeline; the join itself is in the timeline, not repeated.
            assertTrue(hasState(room, "m.room.create", ""), room.toString());
            assertTrue(hasState(room, "m.room.power_levels", ""), room.toString());
            assertTrue(hasState(room, "m.room.member", s.userId("alice")), room.toString());
            // Bob's membership at the start of the timeline was the invite; his join is in the timeline.
            for (JsonNode e : events(room, "state")) {
                if (e.path("state_key").asText().equals(s.userId("bob"))) {
                    assertEquals("invite", e.path("content").path("membership").asText());
                }
            }
            String prevBatch = room.path("timeline").path("prev_batch").asText();
            var back = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages?dir=b&limit=3&from="
                    + enc(prevBatch), bob, null);
            assertEquals(200, back.status(), back.body());
            List<String> earlier = new java.util.ArrayList<>();
            back.json().path("chunk").forEach(e -> earlier.add(e.path("content").path("body").asText()));
            assertEquals(List.of("m5", "m4", "m3"), earlier);

            // The same with a timeline filter that lets no event through: the state must still be complete.
            JsonNode typesEmpty = sync(s, bob, sinceTypesEmpty, "{\"room\":{\"timeline\":{\"types\":[]}}}")
                    .path("rooms").path("join").path(roomId);
            assertEquals(0, typesEmpty.path("timeline").path("events").size(), typesEmpty.toString());
            assertTrue(hasState(typesEmpty, "m.room.create", ""), typesEmpty.toString());
            assertTrue(hasState(typesEmpty, "m.room.member", s.userId("bob")), typesEmpty.toString());
            assertTrue(hasState(typesEmpty, "m.room.member", s.userId("alice")), typesEmpty.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void historyFromBeforeTheTokenComesWhenTheJoinIsTheOnlyEventInTheWindow(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String roomId = createRoom(s, alice, s.userId("bob"));
            for (int i = 0; i < 15; i++) send(s, alice, roomId, "m" + i);
            // Bob's token is already past alice's messages; only his join happens inside the window.
            String since = sync(s, bob, null, null).get("next_batch").asText();
            join(s, bob, roomId);
            JsonNode room = sync(s, bob, since, null).path("rooms").path("join").path(roomId);
            assertTrue(room.path("timeline").path("limited").asBoolean(), room.toString());
            assertEquals(List.of("m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13", "m14"), bodies(room));
            assertTrue(hasState(room, "m.room.create", ""), room.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void joinedMemberSeesNothingFromBeforeTheJoinWhenHistoryIsJoinedOnly(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String roomId = createRoom(s, alice, s.userId("bob"));
            putState(s, alice, roomId, "m.room.history_visibility", "",
                    Json.object().put("history_visibility", "joined"));
            String since = sync(s, bob, null, null).get("next_batch").asText();
            for (int i = 0; i < 3; i++) send(s, alice, roomId, "secret" + i);
            join(s, bob, roomId);
            send(s, alice, roomId, "after");
            JsonNode room = sync(s, bob, since, null).path("rooms").path("join").path(roomId);
            assertEquals(List.of("after"), bodies(room), room.toString());
            // Few visible events: all of them in the timeline, from the create event on, nothing left out.
            assertEquals("m.room.create", room.path("timeline").path("events").get(0).path("type").asText());
            assertFalse(room.path("timeline").path("limited").asBoolean());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void gappedSyncCarriesTheStateThatChangedInTheGap(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String roomId = createRoom(s, alice, s.userId("bob"));
            join(s, bob, roomId);
            String filter = "{\"room\":{\"timeline\":{\"limit\":5}}}";
            String since = sync(s, bob, null, filter).get("next_batch").asText();
            putState(s, alice, roomId, "m.room.name", "", Json.object().put("name", "Gap"));
            for (int i = 0; i < 8; i++) send(s, alice, roomId, "g" + i);
            JsonNode room = sync(s, bob, since, filter).path("rooms").path("join").path(roomId);
            assertTrue(room.path("timeline").path("limited").asBoolean(), room.toString());
            assertEquals(List.of("g3", "g4", "g5", "g6", "g7"), bodies(room));
            assertTrue(hasState(room, "m.room.name", ""), room.toString());
            // Only the delta, not the whole state.
            assertFalse(hasState(room, "m.room.create", ""), room.toString());

            // Not limited: exactly the limit of new events, nothing left out, no state.
            since = sync(s, bob, since, filter).get("next_batch").asText();
            for (int i = 0; i < 5; i++) send(s, alice, roomId, "h" + i);
            room = sync(s, bob, since, filter).path("rooms").path("join").path(roomId);
            assertFalse(room.path("timeline").path("limited").asBoolean(), room.toString());
            assertEquals(5, bodies(room).size());
        }
    }
}
