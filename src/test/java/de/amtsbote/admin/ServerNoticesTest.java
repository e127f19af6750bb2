package de.amtsbote.admin;

import static de.amtsbote.admin.AdminTestSupport.enc;
import static de.amtsbote.admin.AdminTestSupport.join;
import static de.amtsbote.admin.AdminTestSupport.ok;
import static de.amtsbote.admin.AdminTestSupport.send;
import static de.amtsbote.admin.AdminTestSupport.sync;
import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.Iterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Server notices: one read-only, tagged notices room per user, Synapse's API (with txnId) and Amtsbote's. */
class ServerNoticesTest {
    private static final String SYNAPSE = "/_synapse/admin/v1/send_server_notice";
    private static final String AMTSBOTE = "/_amtsbote/admin/v1/server_notices";
    private static final String CONFIG = "server_notices:\n  system_mxid_localpart: it-hinweise\n"
            + "  system_mxid_display_name: IT-Abteilung\n  room_name: Hinweise der IT\n";

    private static ObjectNode notice(String userId, String text) {
        ObjectNode b = Json.object().put("user_id", userId);
        b.putObject("content").put("msgtype", "m.text").put("body", text);
        return b;
    }

    /** The one room the user is invited to (from /sync), with its invite state. */
    private static String invitedRoom(JsonNode sync) {
        Iterator<String> ids = sync.path("rooms").path("invite").fieldNames();
        assertTrue(ids.hasNext(), sync.toString());
        String id = ids.next();
        assertTrue(!ids.hasNext(), "exactly one invite");
        return id;
    }

    private static String messages(TestServer s, String token, String roomId) throws Exception {
        return ok(s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages?dir=b&limit=50", token, null)).toString();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void noticeRoomIsTaggedReadOnlyAndIdempotent(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, CONFIG)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String aliceId = s.userId("alice");

            String first = ok(s.request("POST", SYNAPSE, admin, notice(aliceId, "Wartung am Samstag"))).get("event_id").asText();
            JsonNode sync = sync(s, alice);
            String room = invitedRoom(sync);
            String inviteState = sync.get("rooms").get("invite").get(room).toString();
            assertTrue(inviteState.contains("Hinweise der IT"), inviteState);
            assertTrue(inviteState.contains(s.userId("it-hinweise")), inviteState);
            JsonNode tags = ok(s.request("GET", "/_matrix/client/v3/user/" + enc(aliceId) + "/rooms/" + enc(room) + "/tags", alice, null));
            assertTrue(tags.get("tags").has("m.server_notice"), tags.toString());

            // The invite cannot be rejected; joining works; the user can read but not write.
            assertError(s.request("POST", "/_matrix/client/v3/rooms/" + enc(room) + "/leave", alice, Json.object()),
                    403, "M_CANNOT_LEAVE_SERVER_NOTICE_ROOM");
            ok(join(s, alice, room));
            assertTrue(messages(s, alice, room).contains(first));
            assertError(send(s, alice, room, "Antwort"), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", "/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.name/", alice,
                    Json.object().put("name", "meins")), 403, "M_FORBIDDEN");

            // The same room for later notices; a retried PUT with the same txnId sends nothing new.
            String second = ok(s.request("PUT", SYNAPSE + "/txn1", admin, notice(aliceId, "Wartung verschoben"))).get("event_id").asText();
            assertEquals(second, ok(s.request("PUT", SYNAPSE + "/txn1", admin, notice(aliceId, "Wartung verschoben"))).get("event_id").asText());
            String third = ok(s.request("PUT", SYNAPSE + "/txn2", admin, notice(aliceId, "Wartung verschoben"))).get("event_id").asText();
            assertNotEquals(second, third);
            String history = messages(s, alice, room);
            assertEquals(1, count(history, second));
            assertEquals(1, count(history, third));
            assertEquals(0, sync(s, alice).path("rooms").path("invite").size());

            // A state event through Synapse's optional type/state_key.
            ObjectNode topic = Json.object().put("user_id", aliceId).put("type", "m.room.topic").put("state_key", "");
            topic.putObject("content").put("topic", "Offizielle Hinweise");
            ok(s.request("POST", SYNAPSE, admin, topic));
            JsonNode t = ok(s.request("GET", "/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.topic/", alice, null));
            assertEquals("Offizielle Hinweise", t.get("topic").asText());

            // After leaving, the next notice invites the user to the same room again.
            ok(s.request("POST", "/_matrix/client/v3/rooms/" + enc(room) + "/leave", alice, Json.object()));
            ok(s.request("POST", SYNAPSE, admin, notice(aliceId, "Neue Passwortregeln")));
            assertEquals(room, invitedRoom(sync(s, alice)));
        }
    }

    private static int count(String haystack, String needle) {
        return haystack.split(java.util.regex.Pattern.quote("\"" + needle + "\""), -1).length - 1;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void noticeToManyUsersAndRefusals(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            ok(s.request("POST", "/_amtsbote/admin/v1/bots", admin, Json.object().put("username", "backup-bot")));

            JsonNode some = ok(s.request("POST", AMTSBOTE, admin,
                    Json.object().put("body", "Nur für Alice").set("user_ids", Json.parse("[\"" + s.userId("alice") + "\"]"))));
            assertEquals(Json.parse("{\"sent\":1}"), some);
            assertEquals(0, sync(s, bob).path("rooms").path("invite").size());
            String aliceRoom = invitedRoom(sync(s, alice));
            ok(join(s, alice, aliceRoom));
            assertTrue(messages(s, alice, aliceRoom).contains("Nur für Alice"));

            // To all: admin, alice and bob; not the bot, not the notices user itself.
            assertEquals(Json.parse("{\"sent\":3}"), ok(s.request("POST", AMTSBOTE, admin, Json.object().put("body", "An alle"))));
            String bobRoom = invitedRoom(sync(s, bob));
            assertNotEquals(aliceRoom, bobRoom);
            ok(join(s, bob, bobRoom));
            assertTrue(messages(s, bob, bobRoom).contains("An alle"));
            assertTrue(messages(s, alice, aliceRoom).contains("An alle"));
            assertEquals(0, s.server().rooms().membershipsOf(s.userId("backup-bot")).size());

            // Refusals: non-admins, bad input, unknown or foreign users (nothing is sent then).
            assertError(s.request("POST", AMTSBOTE, alice, Json.object().put("body", "x")), 403, "M_FORBIDDEN");
            assertError(s.request("POST", SYNAPSE, alice, notice(s.userId("bob"), "x")), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", SYNAPSE + "/t", alice, notice(s.userId("bob"), "x")), 403, "M_FORBIDDEN");
            assertError(s.request("POST", AMTSBOTE, admin, Json.object()), 400, "M_MISSING_PARAM");
            assertError(s.request("POST", AMTSBOTE, admin, Json.object().put("body", 5)), 400, "M_BAD_JSON");
            assertError(s.request("POST", AMTSBOTE, admin, Json.object().put("body", "x").put("user_ids", "alle")), 400, "M_BAD_JSON");
            assertError(s.request("POST", AMTSBOTE, admin, Json.object().put("body", "x")
                    .set("user_ids", Json.parse("[\"" + s.userId("bob") + "\",\"@niemand:test.local\"]"))), 404, "M_NOT_FOUND");
            assertError(s.request("POST", SYNAPSE, admin, notice("@fremd:example.org", "x")), 400, "M_UNKNOWN");
            assertError(s.request("POST", SYNAPSE, admin, notice("kein-nutzer", "x")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", SYNAPSE, admin, Json.object().put("user_id", s.userId("bob"))), 400, "M_MISSING_PARAM");
            assertError(s.request("POST", SYNAPSE, admin, Json.object().put("user_id", s.userId("bob")).put("content", "x")),
                    400, "M_BAD_JSON");
            assertEquals(1, count(messages(s, bob, bobRoom), "An alle"));
            assertEquals(0, count(messages(s, bob, bobRoom), "x"));
        }
    }

    /** The audit entries of real bulk/single notice sends, newest first. */
    private static JsonNode noticeAudit(TestServer s, String admin) throws Exception {
        return ok(s.request("GET", "/_amtsbote/admin/v1/audit?action=server_notice.send&limit=100", admin, null)).get("entries");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void bulkNoticeWithTxnIdIsSentOnce(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String other = s.userToken("zweitadmin", true);
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            ObjectNode toAlice = Json.object().put("body", "Nur einmal");
            toAlice.set("user_ids", Json.parse("[\"" + s.userId("alice") + "\"]"));

            assertEquals(Json.parse("{\"sent\":1}"), ok(s.request("PUT", AMTSBOTE + "/k1", admin, toAlice)));
            // Retries (double click, lost answer) get the first answer and send nothing, also when made at once.
            assertEquals(Json.parse("{\"sent\":1}"), ok(s.request("PUT", AMTSBOTE + "/k1", admin, toAlice)));
            java.util.List<java.util.concurrent.Callable<TestServer.Response>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) calls.add(() -> s.request("PUT", AMTSBOTE + "/k2", admin, toAlice));
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
                for (var f : pool.invokeAll(calls)) assertEquals(Json.parse("{\"sent\":1}"), ok(f.get()));
            }
            String aliceRoom = invitedRoom(sync(s, alice));
            ok(join(s, alice, aliceRoom));
            // k1 and k2 are two sends; the same txnId of another admin is a third.
            assertEquals(Json.parse("{\"sent\":1}"), ok(s.request("PUT", AMTSBOTE + "/k1", other, toAlice)));
            assertEquals(3, count(messages(s, alice, aliceRoom), "Nur einmal"));
            JsonNode audit = noticeAudit(s, admin);
            assertEquals(3, audit.size(), audit.toString());
            assertEquals("k1", audit.get(0).get("details").get("txn_id").asText(), audit.toString());

            // To all: the retry answers what the first request sent, even if someone joined the server since.
            assertEquals(Json.parse("{\"sent\":4}"), ok(s.request("PUT", AMTSBOTE + "/alle-1", admin, Json.object().put("body", "An alle"))));
            String carol = s.userToken("carol");
            assertEquals(Json.parse("{\"sent\":4}"), ok(s.request("PUT", AMTSBOTE + "/alle-1", admin, Json.object().put("body", "An alle"))));
            assertEquals(0, sync(s, carol).path("rooms").path("invite").size());
            String bobRoom = invitedRoom(sync(s, bob));
            ok(join(s, bob, bobRoom));
            assertEquals(1, count(messages(s, bob, bobRoom), "An alle"));
            assertEquals(4, noticeAudit(s, admin).size());

            // A failed request stores nothing: its retry (after the fix) sends.
            ObjectNode bad = Json.object().put("body", "Später");
            bad.set("user_ids", Json.parse("[\"" + s.userId("bob") + "\",\"@niemand:test.local\"]"));
            assertError(s.request("PUT", AMTSBOTE + "/k3", admin, bad), 404, "M_NOT_FOUND");
            ObjectNode fixed = Json.object().put("body", "Später");
            fixed.set("user_ids", Json.parse("[\"" + s.userId("bob") + "\"]"));
            assertEquals(Json.parse("{\"sent\":1}"), ok(s.request("PUT", AMTSBOTE + "/k3", admin, fixed)));
            assertEquals(1, count(messages(s, bob, bobRoom), "Später"));

            // Refusals: non-admins, bad input, an over-long txnId.
            assertError(s.request("PUT", AMTSBOTE + "/k9", alice, toAlice), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", AMTSBOTE + "/k9", admin, Json.object()), 400, "M_MISSING_PARAM");
            assertError(s.request("PUT", AMTSBOTE + "/k9", admin, Json.object().put("body", 5)), 400, "M_BAD_JSON");
            assertError(s.request("PUT", AMTSBOTE + "/" + "t".repeat(256), admin, toAlice), 400, "M_INVALID_PARAM");
            assertEquals(5, noticeAudit(s, admin).size());
        }
    }
}
