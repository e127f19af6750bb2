package de.amtsbote.sync;

import static de.amtsbote.sync.SyncHttp.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Simplified sliding sync (MSC4186) over HTTP, on both databases. */
class SlidingSyncTest {
    static final String PATH = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";

    static JsonNode slide(TestServer s, String token, String pos, ObjectNode body) throws Exception {
        return slide(s, token, pos, 0, body);
    }

    static JsonNode slide(TestServer s, String token, String pos, long timeout, ObjectNode body) throws Exception {
        String q = "?timeout=" + timeout + (pos == null ? "" : "&pos=" + enc(pos));
        var r = s.request("POST", PATH + q, token, body);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** A request with one list "all" over the given range, required_state pairs and timeline limit. */
    static ObjectNode listRequest(int from, int to, int timelineLimit, String... stateKeys) {
        ObjectNode b = Json.object();
        b.put("conn_id", "room-list");
        ObjectNode list = b.putObject("lists").putObject("all");
        list.putArray("ranges").addArray().add(from).add(to);
        list.put("timeline_limit", timelineLimit);
        var rs = list.putArray("required_state");
        for (int i = 0; i < stateKeys.length; i += 2) rs.addArray().add(stateKeys[i]).add(stateKeys[i + 1]);
        return b;
    }

    static List<String> bodiesOf(JsonNode room) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : room.path("timeline")) {
            if (e.path("type").asText().equals("m.room.message")) out.add(e.path("content").path("body").asText());
        }
        return out;
    }

    static Set<String> stateKeys(JsonNode room, String type) {
        Set<String> out = new HashSet<>();
        for (JsonNode e : room.path("required_state")) if (e.path("type").asText().equals(type)) out.add(e.path("state_key").asText());
        return out;
    }

    static Set<String> roomIds(JsonNode resp) {
        Set<String> out = new HashSet<>();
        resp.path("rooms").fieldNames().forEachRemaining(out::add);
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void listRangesFollowRecentActivityAndCarryTheAskedState(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String a = createRoom(s, alice);
            String b = createRoom(s, alice);
            String c = createRoom(s, alice);
            send(s, alice, a, "newest in a");

            JsonNode first = slide(s, alice, null, listRequest(0, 1, 1, "m.room.create", ""));
            assertEquals(3, first.path("lists").path("all").path("count").asInt(), first.toString());
            // Most recent activity first: a (message), then c (created last); b is outside the range.
            assertEquals(Set.of(a, c), roomIds(first));
            JsonNode ra = first.path("rooms").path(a);
            assertTrue(ra.path("initial").asBoolean());
            assertEquals("join", ra.path("membership").asText());
            assertEquals(List.of("newest in a"), bodiesOf(ra));
            assertEquals(Set.of(""), stateKeys(ra, "m.room.create"));
            assertEquals(1, ra.path("required_state").size(), "only the create event was asked for");
            assertEquals(1, ra.path("joined_count").asInt());
            assertTrue(ra.path("bump_stamp").asLong() > first.path("rooms").path(c).path("bump_stamp").asLong());
            assertEquals("all", ra.path("lists").get(0).asText());

            // Growing the range sends only the room not sent before.
            JsonNode grown = slide(s, alice, first.path("pos").asText(), listRequest(0, 2, 1, "m.room.create", ""));
            assertEquals(Set.of(b), roomIds(grown));
            assertTrue(grown.path("rooms").path(b).path("initial").asBoolean());

            // Activity moves b to the top; with range [0,0] only b comes, and not as initial.
            send(s, alice, b, "b wakes up");
            JsonNode top = slide(s, alice, grown.path("pos").asText(), listRequest(0, 0, 5, "m.room.create", ""));
            assertEquals(Set.of(b), roomIds(top));
            JsonNode rb = top.path("rooms").path(b);
            assertFalse(rb.path("initial").asBoolean());
            assertEquals(List.of("b wakes up"), bodiesOf(rb));
            assertEquals(1, rb.path("num_live").asInt());
            // A topic change is activity, but not a "bump": bump_stamp stays.
            putState(s, alice, b, "m.room.topic", "", (ObjectNode) Json.object().put("topic", "t"));
            JsonNode topic = slide(s, alice, top.path("pos").asText(), listRequest(0, 0, 5, "m.room.create", ""));
            assertEquals(rb.path("bump_stamp").asLong(), topic.path("rooms").path(b).path("bump_stamp").asLong(), topic.toString());
            send(s, alice, b, "bump");
            JsonNode bumped = slide(s, alice, topic.path("pos").asText(), listRequest(0, 0, 5, "m.room.create", ""));
            assertTrue(bumped.path("rooms").path(b).path("bump_stamp").asLong() > rb.path("bump_stamp").asLong());

            // A room new to the connection comes as initial; its events since the last response are live.
            String d = createRoom(s, alice);
            send(s, alice, d, "d is new");
            JsonNode withD = slide(s, alice, bumped.path("pos").asText(), listRequest(0, 0, 2, "m.room.create", ""));
            JsonNode rd = withD.path("rooms").path(d);
            assertTrue(rd.path("initial").asBoolean(), withD.toString());
            assertEquals(2, rd.path("num_live").asInt());
            assertEquals(4, withD.path("lists").path("all").path("count").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void lazyMembersAndMe(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String room = createRoom(s, alice, s.userId("bob"), s.userId("carol"));
            join(s, bob, room);
            join(s, carol, room);
            send(s, bob, room, "from bob");

            JsonNode lazy = slide(s, alice, null, listRequest(0, 9, 1, "m.room.member", "$LAZY", "m.room.name", ""));
            JsonNode r = lazy.path("rooms").path(room);
            assertEquals(Set.of(s.userId("bob")), stateKeys(r, "m.room.member"), r.toString());
            assertEquals(3, r.path("joined_count").asInt());
            // No name: heroes (the other members) let the client name the room.
            assertEquals(s.userId("bob"), r.path("heroes").path(0).path("user_id").asText(), r.toString());
            assertEquals(s.userId("carol"), r.path("heroes").path(1).path("user_id").asText());
            assertFalse(r.has("name"));

            // Other connections (a new connection with the same conn_id would replace this one).
            JsonNode me = slide(s, alice, null, listRequest(0, 9, 1, "m.room.member", "$ME").put("conn_id", "me"));
            assertEquals(Set.of(s.userId("alice")), stateKeys(me.path("rooms").path(room), "m.room.member"));

            JsonNode all = slide(s, alice, null, listRequest(0, 9, 0, "*", "*").put("conn_id", "all"));
            JsonNode ra = all.path("rooms").path(room);
            assertEquals(Set.of(s.userId("alice"), s.userId("bob"), s.userId("carol")), stateKeys(ra, "m.room.member"));
            assertEquals(Set.of(""), stateKeys(ra, "m.room.power_levels"));
            assertEquals(0, ra.path("timeline").size());

            // A later message from carol brings her membership (not yet sent lazily), not bob's again.
            String pos = lazy.path("pos").asText();
            send(s, carol, room, "from carol");
            JsonNode next = slide(s, alice, pos, listRequest(0, 9, 1, "m.room.member", "$LAZY", "m.room.name", ""));
            assertEquals(Set.of(s.userId("carol")), stateKeys(next.path("rooms").path(room), "m.room.member"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void timelineLimitPrevBatchAndSubscriptions(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = createRoom(s, alice);
            String other = createRoom(s, alice);
            String bobsRoom = createRoom(s, bob);
            for (int i = 1; i <= 5; i++) send(s, alice, room, "m" + i);
            send(s, alice, other, "other is newest");

            ObjectNode req = listRequest(0, 0, 1);
            ObjectNode subs = req.putObject("room_subscriptions");
            subs.putObject(room).put("timeline_limit", 2).putArray("required_state");
            subs.putObject(bobsRoom).put("timeline_limit", 2).putArray("required_state");
            JsonNode resp = slide(s, alice, null, req);
            assertEquals(Set.of(room, other), roomIds(resp), "bob's room is not alice's to see");
            JsonNode r = resp.path("rooms").path(room);
            assertEquals(List.of("m4", "m5"), bodiesOf(r));
            assertTrue(r.path("limited").asBoolean());
            assertFalse(r.has("lists"), "only there by subscription");
            var page = s.request("GET", "/_matrix/client/v3/rooms/" + enc(room) + "/messages?dir=b&limit=1&from="
                    + enc(r.path("prev_batch").asText()), alice, null);
            assertEquals(200, page.status(), page.body());
            assertEquals("m3", page.json().path("chunk").get(0).path("content").path("body").asText());

            // A larger timeline_limit on the next request sends the older events again, marked expanded.
            ObjectNode more = listRequest(0, 0, 1);
            more.putObject("room_subscriptions").putObject(room).put("timeline_limit", 4).putArray("required_state");
            JsonNode expanded = slide(s, alice, resp.path("pos").asText(), more);
            JsonNode re = expanded.path("rooms").path(room);
            assertTrue(re.path("expanded_timeline").asBoolean(), expanded.toString());
            assertEquals(List.of("m2", "m3", "m4", "m5"), bodiesOf(re));
            assertEquals(0, re.path("num_live").asInt());

            // Subscriptions hold until unsubscribed (clients send them once).
            ObjectNode dmsOnly = listRequest(0, 0, 1);
            ((ObjectNode) dmsOnly.path("lists").path("all")).putObject("filters").put("is_dm", true);
            send(s, alice, room, "m6");
            JsonNode sticky = slide(s, alice, expanded.path("pos").asText(), dmsOnly);
            assertEquals(0, sticky.path("lists").path("all").path("count").asInt());
            assertEquals(List.of("m6"), bodiesOf(sticky.path("rooms").path(room)), sticky.toString());
            dmsOnly.putArray("unsubscribe_rooms").add(room);
            send(s, alice, room, "m7");
            JsonNode gone = slide(s, alice, sticky.path("pos").asText(), dmsOnly);
            assertEquals(Set.of(), roomIds(gone));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void newMessageWakesALongPoll(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = createRoom(s, alice, s.userId("bob"));
            join(s, bob, room);
            send(s, alice, room, "old");
            JsonNode first = slide(s, bob, null, listRequest(0, 9, 5, "m.room.name", ""));
            String pos = first.path("pos").asText();
            // Nothing new: a short wait answers without rooms and with a pos that still works.
            JsonNode idle = slide(s, bob, pos, 100, listRequest(0, 9, 5, "m.room.name", ""));
            assertEquals(Set.of(), roomIds(idle));

            long start = System.currentTimeMillis();
            CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return slide(s, bob, idle.path("pos").asText(), 20_000, listRequest(0, 9, 5, "m.room.name", ""));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(waiting.isDone(), "the request waits for news");
            send(s, alice, room, "new");
            JsonNode woke = waiting.get();
            assertTrue(System.currentTimeMillis() - start < 15_000);
            JsonNode r = woke.path("rooms").path(room);
            assertEquals(List.of("new"), bodiesOf(r));
            assertFalse(r.path("initial").asBoolean());
            assertEquals(1, r.path("num_live").asInt());

            // Retrying with the earlier pos (response lost) gives the same message again.
            JsonNode retry = slide(s, bob, idle.path("pos").asText(), listRequest(0, 9, 5, "m.room.name", ""));
            assertEquals(List.of("new"), bodiesOf(retry.path("rooms").path(room)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void inviteShowsWithItsStrippedState(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String joined = createRoom(s, bob);
            String room = createRoom(s, alice);
            putState(s, alice, room, "m.room.name", "", (ObjectNode) Json.object().put("name", "Einladung"));
            JsonNode first = slide(s, bob, null, listRequest(0, 9, 1));
            assertEquals(Set.of(joined), roomIds(first));

            var inv = s.request("POST", "/_matrix/client/v3/rooms/" + enc(room) + "/invite", alice,
                    Json.object().put("user_id", s.userId("bob")));
            assertEquals(200, inv.status(), inv.body());
            ObjectNode req = listRequest(0, 9, 1);
            ObjectNode invites = ((ObjectNode) req.path("lists")).putObject("invites");
            invites.putArray("ranges").addArray().add(0).add(9);
            invites.put("timeline_limit", 0).putArray("required_state");
            invites.putObject("filters").put("is_invite", true);
            JsonNode next = slide(s, bob, first.path("pos").asText(), req);
            assertEquals(1, next.path("lists").path("invites").path("count").asInt());
            assertEquals(2, next.path("lists").path("all").path("count").asInt());
            JsonNode r = next.path("rooms").path(room);
            assertEquals("invite", r.path("membership").asText(), next.toString());
            boolean named = false;
            for (JsonNode e : r.path("invite_state")) {
                if (e.path("type").asText().equals("m.room.name")) named = e.path("content").path("name").asText().equals("Einladung");
            }
            assertTrue(named, r.toString());
            assertEquals(r.path("invite_state"), r.path("stripped_state"));
            assertFalse(r.has("timeline"), "no timeline before joining");

            // Joining turns it into a full room, sent as initial.
            join(s, bob, room);
            JsonNode after = slide(s, bob, next.path("pos").asText(), listRequest(0, 9, 1, "m.room.name", ""));
            JsonNode rj = after.path("rooms").path(room);
            assertTrue(rj.path("initial").asBoolean(), after.toString());
            assertEquals("join", rj.path("membership").asText());
            assertEquals("Einladung", rj.path("name").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void kickedUserSeesTheKickButNothingAfter(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = createRoom(s, alice, s.userId("bob"));
            join(s, bob, room);
            send(s, alice, room, "while bob is in");
            JsonNode first = slide(s, bob, null, listRequest(0, 9, 5));
            assertEquals(List.of("while bob is in"), bodiesOf(first.path("rooms").path(room)));

            var kick = s.request("POST", "/_matrix/client/v3/rooms/" + enc(room) + "/kick", alice,
                    Json.object().put("user_id", s.userId("bob")));
            assertEquals(200, kick.status(), kick.body());
            send(s, alice, room, "after the kick");
            JsonNode next = slide(s, bob, first.path("pos").asText(), listRequest(0, 9, 5));
            JsonNode r = next.path("rooms").path(room);
            assertEquals("leave", r.path("membership").asText(), next.toString());
            assertEquals(List.of(), bodiesOf(r), "nothing from after the kick");
            boolean kickSeen = false;
            for (JsonNode e : r.path("timeline")) {
                if (e.path("type").asText().equals("m.room.member") && e.path("state_key").asText().equals(s.userId("bob"))) {
                    kickSeen = e.path("content").path("membership").asText().equals("leave");
                }
            }
            assertTrue(kickSeen, r.toString());
            // A subscription does not reach past the kick either, nor does a fresh connection.
            ObjectNode sub = listRequest(0, 9, 5).put("conn_id", "fresh");
            sub.putObject("room_subscriptions").putObject(room).put("timeline_limit", 10).putArray("required_state");
            JsonNode fresh = slide(s, bob, null, sub);
            assertFalse(bodiesOf(fresh.path("rooms").path(room)).contains("after the kick"), fresh.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void unknownPos(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            var bad = s.request("POST", PATH + "?pos=nonsense", alice, listRequest(0, 1, 1));
            TestServer.assertError(bad, 400, "M_UNKNOWN_POS");
            // A pos issued to alice is nothing to bob, even with the same conn_id.
            String pos = slide(s, alice, null, listRequest(0, 1, 1)).path("pos").asText();
            TestServer.assertError(s.request("POST", PATH + "?pos=" + enc(pos), bob, listRequest(0, 1, 1)), 400, "M_UNKNOWN_POS");
            // ...and to alice on another connection neither.
            ObjectNode otherConn = listRequest(0, 1, 1).put("conn_id", "other");
            TestServer.assertError(s.request("POST", PATH + "?pos=" + enc(pos), alice, otherConn), 400, "M_UNKNOWN_POS");
            // Bad shapes get the spec's errors, not a 500.
            ObjectNode badRange = listRequest(0, 1, 1);
            ((ObjectNode) badRange.path("lists").path("all")).putArray("ranges").addArray().add(5).add(1);
            TestServer.assertError(s.request("POST", PATH, alice, badRange), 400, "M_INVALID_PARAM");
            ObjectNode badState = listRequest(0, 1, 1);
            ((ObjectNode) badState.path("lists").path("all")).put("required_state", 3);
            TestServer.assertError(s.request("POST", PATH, alice, badState), 400, "M_BAD_JSON");
            TestServer.assertError(s.request("POST", PATH, null, listRequest(0, 1, 1)), 401, "M_MISSING_TOKEN");
            TestServer.assertError(s.request("POST", PATH, alice, listRequest(0, 1, 1).put("set_presence", "bogus")),
                    400, "M_INVALID_PARAM");
            ObjectNode tooMany = listRequest(0, 1, 1);
            for (int i = 0; i < 101; i++) tooMany.with("room_subscriptions").putObject("!r" + i + ":test.local").put("timeline_limit", 1);
            TestServer.assertError(s.request("POST", PATH, alice, tooMany), 400, "M_INVALID_PARAM");

            var versions = s.request("GET", "/_matrix/client/versions", null, null);
            assertTrue(versions.json().path("unstable_features").path("org.matrix.simplified_msc3575").asBoolean());
        }
    }
}
