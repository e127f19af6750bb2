package de.amtsbote.sync;

import static de.amtsbote.sync.SyncHttp.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sync filters: exact limited, limit 0, validation, ephemeral types, event format, lazy members, full_state. */
class SyncFiltersTest {
    private static String limit(int n) { return "{\"room\":{\"timeline\":{\"limit\":" + n + "}}}"; }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void limitedIsExactAndLimitZeroIsValid(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String roomId = createRoom(s, alice);
            send(s, alice, roomId, "one");
            JsonNode all = sync(s, alice, null, limit(100)).path("rooms").path("join").path(roomId).path("timeline");
            assertFalse(all.path("limited").asBoolean());
            int n = all.path("events").size();
            JsonNode exact = sync(s, alice, null, limit(n)).path("rooms").path("join").path(roomId).path("timeline");
            assertFalse(exact.path("limited").asBoolean(), "nothing was left out with limit = event count");
            assertEquals(n, exact.path("events").size());
            JsonNode one = sync(s, alice, null, limit(n - 1)).path("rooms").path("join").path(roomId).path("timeline");
            assertTrue(one.path("limited").asBoolean());

            JsonNode zero = sync(s, alice, null, limit(0)).path("rooms").path("join").path(roomId);
            assertEquals(0, zero.path("timeline").path("events").size());
            assertTrue(zero.path("timeline").path("limited").asBoolean());
            assertTrue(hasState(zero, "m.room.create", ""), zero.toString());
            assertTrue(zero.path("timeline").path("prev_batch").isTextual());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void malformedFiltersAre400(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            for (String f : new String[] {"{\"room\":{\"timeline\":{\"limit\":\"x\"}}}", "{\"event_format\":\"xml\"}",
                    "{\"room\":{\"state\":{\"lazy_load_members\":\"yes\"}}}", "{\"event_fields\":\"type\"}",
                    "{\"presence\":3}", "{\"room\":{\"timeline\":{\"limit\":-1}}}", "{\"room\":{\"ephemeral\":[]}}",
                    "{\"room\":{\"timeline\":{\"types\":[1]}}}"}) {
                var r = s.request("GET", "/_matrix/client/v3/sync?timeout=0&filter=" + enc(f), alice, null);
                assertEquals(400, r.status(), f + " -> " + r.body());
                assertEquals("M_BAD_JSON", r.errcode(), f);
                var stored = s.request("POST", "/_matrix/client/v3/user/" + enc(s.userId("alice")) + "/filter", alice,
                        (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(f));
                assertEquals(400, stored.status(), "POST filter " + f + " -> " + stored.body());
                assertEquals("M_BAD_JSON", stored.errcode(), f);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void typingOnlyWhenSomeoneTypesOrItChangedAndOnlyIfTheFilterWantsIt(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String roomId = createRoom(s, alice, s.userId("bob"));
            join(s, bob, roomId);
            JsonNode first = sync(s, bob, null, null).path("rooms").path("join").path(roomId);
            for (JsonNode e : events(first, "ephemeral")) assertFalse(e.path("type").asText().equals("m.typing"), first.toString());
            String since = sync(s, bob, null, null).get("next_batch").asText();

            var typing = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/typing/" + enc(s.userId("alice")),
                    alice, Json.object().put("typing", true).put("timeout", 30000));
            assertEquals(200, typing.status(), typing.body());
            JsonNode receiptsOnly = sync(s, bob, since, "{\"room\":{\"ephemeral\":{\"types\":[\"m.receipt\"]}}}");
            for (JsonNode e : events(receiptsOnly.path("rooms").path("join").path(roomId), "ephemeral")) {
                assertFalse(e.path("type").asText().equals("m.typing"), receiptsOnly.toString());
            }
            JsonNode withTyping = sync(s, bob, since, null).path("rooms").path("join").path(roomId);
            assertEquals(s.userId("alice"), events(withTyping, "ephemeral").getFirst().path("content").path("user_ids")
                    .get(0).asText(), withTyping.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void federationFormatAndFullState(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String roomId = createRoom(s, alice);
            String since = sync(s, alice, null, null).get("next_batch").asText();
            send(s, alice, roomId, "fed");
            JsonNode fed = sync(s, alice, since, "{\"event_format\":\"federation\"}").path("rooms").path("join").path(roomId);
            JsonNode ev = fed.path("timeline").path("events").get(0);
            assertTrue(ev.has("auth_events") && ev.has("hashes") && ev.has("signatures"), ev.toString());

            JsonNode full = syncQuery(s, alice, "&full_state=true&since=" + enc(since) + "&filter=" + enc(limit(2))).path("rooms").path("join").path(roomId);
            assertTrue(hasState(full, "m.room.create", ""), full.toString());
            assertTrue(hasState(full, "m.room.power_levels", ""), full.toString());
            assertTrue(hasState(full, "m.room.member", s.userId("alice")), full.toString());
            assertEquals(java.util.List.of("fed"), bodies(full));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void lazyLoadedMembersWithoutRedundantOnes(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String roomId = createRoom(s, alice, s.userId("bob"), s.userId("carol"));
            join(s, bob, roomId);
            join(s, carol, roomId);
            for (int i = 0; i < 3; i++) send(s, alice, roomId, "lazy" + i);
            String lazy = "{\"room\":{\"timeline\":{\"limit\":2},\"state\":{\"lazy_load_members\":true}}}";
            JsonNode first = sync(s, bob, null, lazy);
            JsonNode room = first.path("rooms").path("join").path(roomId);
            assertTrue(hasState(room, "m.room.member", s.userId("alice")), room.toString());
            assertFalse(hasState(room, "m.room.member", s.userId("carol")), room.toString());
            assertTrue(hasState(room, "m.room.create", ""), room.toString());

            send(s, alice, roomId, "again");
            JsonNode next = sync(s, bob, first.get("next_batch").asText(), lazy).path("rooms").path("join").path(roomId);
            assertEquals(java.util.List.of("again"), bodies(next));
            assertFalse(hasState(next, "m.room.member", s.userId("alice")), "already sent: " + next);

            String redundant = "{\"room\":{\"state\":{\"lazy_load_members\":true,\"include_redundant_members\":true}}}";
            JsonNode again = sync(s, bob, first.get("next_batch").asText(), redundant).path("rooms").path("join").path(roomId);
            assertTrue(hasState(again, "m.room.member", s.userId("alice")), again.toString());
        }
    }
}
