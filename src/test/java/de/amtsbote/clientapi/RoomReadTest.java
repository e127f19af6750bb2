package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Read paths through the real HTTP API: the state a user may see (/context, /state, /members), world_readable rooms. */
class RoomReadTest {
    private static final String C = "/_matrix/client/v3";

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static String room(TestServer s, String token) throws Exception {
        var r = s.request("POST", C + "/createRoom", token, Json.object().put("preset", "public_chat"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("room_id").asText();
    }

    private static String send(TestServer s, String token, String roomId, String body) throws Exception {
        var r = s.request("PUT", C + "/rooms/" + enc(roomId) + "/send/m.room.message/" + body.hashCode() + "-" + System.nanoTime(),
                token, Json.object().put("msgtype", "m.text").put("body", body));
        assertEquals(200, r.status(), r.body());
        return r.json().get("event_id").asText();
    }

    private static String state(TestServer s, String token, String roomId, String type, ObjectNode content) throws Exception {
        var r = s.request("PUT", C + "/rooms/" + enc(roomId) + "/state/" + type, token, content);
        assertEquals(200, r.status(), r.body());
        return r.json().get("event_id").asText();
    }

    private static void post(TestServer s, String token, String path, ObjectNode body) throws Exception {
        var r = s.request("POST", C + path, token, body);
        assertEquals(200, r.status(), r.body());
    }

    private static Set<String> memberKeys(JsonNode events) {
        Set<String> out = new HashSet<>();
        for (JsonNode e : events) if (e.path("type").asText().equals("m.room.member")) out.add(e.path("state_key").asText());
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void kickedBannedAndInvitedUsersSeeOnlyTheStateTheyWereAllowedToSee(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String roomId = room(s, alice);
            state(s, alice, roomId, "m.room.topic", Json.object().put("topic", "vorher"));
            post(s, bob, "/join/" + enc(roomId), Json.object());
            String seen = send(s, alice, roomId, "hallo");
            post(s, alice, "/rooms/" + enc(roomId) + "/kick", Json.object().put("user_id", s.userId("bob")));
            post(s, alice, "/rooms/" + enc(roomId) + "/invite", Json.object().put("user_id", s.userId("carol")));
            state(s, alice, roomId, "m.room.topic", Json.object().put("topic", "nach dem Rauswurf"));

            // Before the fix /context answered with the room's current state: the topic set after the kick.
            var ctx = s.request("GET", C + "/rooms/" + enc(roomId) + "/context/" + enc(seen) + "?limit=10", bob, null);
            assertEquals(200, ctx.status(), ctx.body());
            assertFalse(ctx.body().contains("nach dem Rauswurf"), ctx.body());
            assertTrue(ctx.body().contains("vorher"), ctx.body());
            assertFalse(memberKeys(ctx.json().get("state")).contains(s.userId("carol")), ctx.body());

            var st = s.request("GET", C + "/rooms/" + enc(roomId) + "/state", bob, null);
            assertEquals(200, st.status(), st.body());
            assertFalse(st.body().contains("nach dem Rauswurf"), st.body());
            var topic = s.request("GET", C + "/rooms/" + enc(roomId) + "/state/m.room.topic", bob, null);
            assertEquals("vorher", topic.json().path("topic").asText(), topic.body());
            var members = s.request("GET", C + "/rooms/" + enc(roomId) + "/members", bob, null);
            assertEquals(200, members.status(), members.body());
            assertEquals(Set.of(s.userId("alice"), s.userId("bob")), memberKeys(members.json().get("chunk")));

            // Lazy-loaded members on /messages: alice's member event as bob last saw it, not her later rename.
            assertEquals(200, s.request("PUT", C + "/profile/" + enc(s.userId("alice")) + "/displayname", alice,
                    Json.object().put("displayname", "Alice nach dem Rauswurf")).status());
            var lazyMsgs = s.request("GET", C + "/rooms/" + enc(roomId) + "/messages?dir=b&limit=5&filter="
                    + enc("{\"lazy_load_members\":true}"), bob, null);
            assertEquals(200, lazyMsgs.status(), lazyMsgs.body());
            assertTrue(memberKeys(lazyMsgs.json().get("state")).contains(s.userId("alice")), lazyMsgs.body());
            assertFalse(lazyMsgs.body().contains("Alice nach dem Rauswurf"), lazyMsgs.body());

            // Banned after rejoining: the same, as of the ban.
            post(s, bob, "/join/" + enc(roomId), Json.object());
            String second = send(s, bob, roomId, "wieder da");
            post(s, alice, "/rooms/" + enc(roomId) + "/ban", Json.object().put("user_id", s.userId("bob")));
            state(s, alice, roomId, "m.room.topic", Json.object().put("topic", "nach dem Bann"));
            ctx = s.request("GET", C + "/rooms/" + enc(roomId) + "/context/" + enc(second), bob, null);
            assertEquals(200, ctx.status(), ctx.body());
            assertFalse(ctx.body().contains("nach dem Bann"), ctx.body());
            assertTrue(ctx.body().contains("nach dem Rauswurf"), ctx.body());

            // Only invited, history "shared": no room state beyond the invite itself.
            var invite = s.request("GET", C + "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(s.userId("carol"))
                    + "?format=event", alice, null);
            String inviteId = invite.json().get("event_id").asText();
            ctx = s.request("GET", C + "/rooms/" + enc(roomId) + "/context/" + enc(inviteId) + "?limit=0", carol, null);
            assertEquals(200, ctx.status(), ctx.body());
            assertEquals(0, ctx.json().get("state").size(), ctx.body());
            assertError(s.request("GET", C + "/rooms/" + enc(roomId) + "/state", carol, null), 403, "M_FORBIDDEN");
            assertError(s.request("GET", C + "/rooms/" + enc(roomId) + "/members", carol, null), 403, "M_FORBIDDEN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void membersAtATokenAndLazyLoadedContext(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String roomId = room(s, alice);
            post(s, bob, "/join/" + enc(roomId), Json.object());
            String fromBob = send(s, bob, roomId, "von Bob");
            String token = s.request("GET", C + "/rooms/" + enc(roomId) + "/messages?dir=b&limit=1", alice, null)
                    .json().get("start").asText();
            post(s, carol, "/join/" + enc(roomId), Json.object());
            send(s, carol, roomId, "von Carol");

            var at = s.request("GET", C + "/rooms/" + enc(roomId) + "/members?at=" + enc(token), alice, null);
            assertEquals(200, at.status(), at.body());
            assertEquals(Set.of(s.userId("alice"), s.userId("bob")), memberKeys(at.json().get("chunk")));
            var now = s.request("GET", C + "/rooms/" + enc(roomId) + "/members?membership=join", alice, null);
            assertEquals(3, memberKeys(now.json().get("chunk")).size(), now.body());
            assertError(s.request("GET", C + "/rooms/" + enc(roomId) + "/members?membership=bogus", alice, null),
                    400, "M_INVALID_PARAM");

            // limit=0: only the event itself; lazy loading sends only its sender's member event.
            String filter = enc("{\"lazy_load_members\":true}");
            var lazy = s.request("GET", C + "/rooms/" + enc(roomId) + "/context/" + enc(fromBob) + "?limit=0&filter=" + filter,
                    alice, null);
            assertEquals(200, lazy.status(), lazy.body());
            assertEquals(Set.of(s.userId("bob")), memberKeys(lazy.json().get("state")), lazy.body());
            assertTrue(lazy.body().contains("m.room.create"), lazy.body());
            var full = s.request("GET", C + "/rooms/" + enc(roomId) + "/context/" + enc(fromBob) + "?limit=0", alice, null);
            // State at the event: carol had not joined yet.
            assertEquals(Set.of(s.userId("alice"), s.userId("bob")), memberKeys(full.json().get("state")), full.body());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void worldReadableRoomsAreReadableByNonMembers(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String dave = s.userToken("dave");
            String roomId = room(s, alice);
            String hidden = send(s, alice, roomId, "vor world_readable");
            var denied = s.request("GET", C + "/rooms/" + enc(roomId) + "/messages?dir=b", dave, null);
            assertError(denied, 403, "M_FORBIDDEN");
            state(s, alice, roomId, "m.room.history_visibility", Json.object().put("history_visibility", "world_readable"));
            String open = send(s, alice, roomId, "für alle");

            var msgs = s.request("GET", C + "/rooms/" + enc(roomId) + "/messages?dir=b&limit=50", dave, null);
            assertEquals(200, msgs.status(), msgs.body());
            assertTrue(msgs.body().contains("für alle"), msgs.body());
            // Events sent before the room became world_readable stay hidden ("shared" then, dave never joined).
            assertFalse(msgs.body().contains("vor world_readable"), msgs.body());
            assertEquals(200, s.request("GET", C + "/rooms/" + enc(roomId) + "/event/" + enc(open), dave, null).status());
            assertError(s.request("GET", C + "/rooms/" + enc(roomId) + "/event/" + enc(hidden), dave, null), 404, "M_NOT_FOUND");
            var ctx = s.request("GET", C + "/rooms/" + enc(roomId) + "/context/" + enc(open), dave, null);
            assertEquals(200, ctx.status(), ctx.body());
            assertTrue(memberKeys(ctx.json().get("state")).contains(s.userId("alice")), ctx.body());
            var st = s.request("GET", C + "/rooms/" + enc(roomId) + "/state", dave, null);
            assertEquals(200, st.status(), st.body());
            assertTrue(st.body().contains("world_readable"), st.body());
            assertEquals(200, s.request("GET", C + "/rooms/" + enc(roomId) + "/members", dave, null).status());
            // Still no writing without joining.
            assertError(s.request("PUT", C + "/rooms/" + enc(roomId) + "/send/m.room.message/x", dave,
                    Json.object().put("msgtype", "m.text").put("body", "x")), 403, "M_FORBIDDEN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void invitedUsersOfAnInvitedHistoryRoomSeeStateAndEventsFromTheirInvite(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String carol = s.userToken("carol");
            String roomId = room(s, alice);
            state(s, alice, roomId, "m.room.history_visibility", Json.object().put("history_visibility", "invited"));
            send(s, alice, roomId, "vor der Einladung");
            post(s, alice, "/rooms/" + enc(roomId) + "/invite", Json.object().put("user_id", s.userId("carol")));
            state(s, alice, roomId, "m.room.topic", Json.object().put("topic", "nach der Einladung"));
            send(s, alice, roomId, "nach der Einladung gesendet");

            var st = s.request("GET", C + "/rooms/" + enc(roomId) + "/state/m.room.topic", carol, null);
            assertEquals(200, st.status(), st.body());
            assertEquals("nach der Einladung", st.json().get("topic").asText());
            var msgs = s.request("GET", C + "/rooms/" + enc(roomId) + "/messages?dir=b&limit=50", carol, null);
            assertEquals(200, msgs.status(), msgs.body());
            assertTrue(msgs.body().contains("nach der Einladung gesendet"), msgs.body());
            assertFalse(msgs.body().contains("vor der Einladung"), msgs.body());
        }
    }
}
