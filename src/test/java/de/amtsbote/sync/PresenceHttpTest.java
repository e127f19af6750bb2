package de.amtsbote.sync;

import static de.amtsbote.sync.SyncHttp.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PUT/GET presence and m.presence in /sync, over HTTP on both databases. */
class PresenceHttpTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void presenceReachesRoomMatesOnly(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String roomId = createRoom(s, alice, s.userId("bob"));
            join(s, bob, roomId);
            String since = syncQuery(s, bob, "&set_presence=offline").get("next_batch").asText();

            var put = s.request("PUT", "/_matrix/client/v3/presence/" + enc(s.userId("alice")) + "/status", alice,
                    Json.object().put("presence", "online").put("status_msg", "im Amt"));
            assertEquals(200, put.status(), put.body());
            JsonNode sync = syncQuery(s, bob, "&set_presence=offline&since=" + enc(since));
            JsonNode ev = null;
            for (JsonNode e : sync.path("presence").path("events")) {
                if (e.path("sender").asText().equals(s.userId("alice"))) ev = e;
            }
            assertTrue(ev != null, sync.toString());
            assertEquals("m.presence", ev.path("type").asText());
            assertEquals("online", ev.path("content").path("presence").asText());
            assertEquals("im Amt", ev.path("content").path("status_msg").asText());
            assertTrue(ev.path("content").path("currently_active").asBoolean());
            assertTrue(ev.path("content").has("last_active_ago"));

            var get = s.request("GET", "/_matrix/client/v3/presence/" + enc(s.userId("alice")) + "/status", bob, null);
            assertEquals(200, get.status(), get.body());
            assertEquals("online", get.json().path("presence").asText());

            // Carol shares no room with alice: no presence for her, in /sync or by GET.
            JsonNode carolSync = syncQuery(s, carol, "&set_presence=offline");
            for (JsonNode e : carolSync.path("presence").path("events")) {
                assertTrue(!e.path("sender").asText().equals(s.userId("alice")), carolSync.toString());
            }
            var hidden = s.request("GET", "/_matrix/client/v3/presence/" + enc(s.userId("alice")) + "/status", carol, null);
            assertEquals(403, hidden.status(), hidden.body());

            // Setting someone else's presence: 403; bad values: 400.
            var other = s.request("PUT", "/_matrix/client/v3/presence/" + enc(s.userId("alice")) + "/status", bob,
                    Json.object().put("presence", "offline"));
            assertEquals(403, other.status());
            assertEquals("M_FORBIDDEN", other.errcode());
            var bad = s.request("PUT", "/_matrix/client/v3/presence/" + enc(s.userId("bob")) + "/status", bob,
                    Json.object().put("presence", "busy"));
            assertEquals(400, bad.status());
            var badMsg = s.request("PUT", "/_matrix/client/v3/presence/" + enc(s.userId("bob")) + "/status", bob,
                    Json.object().put("presence", "online").put("status_msg", 5));
            assertEquals(400, badMsg.status());

            // A sync without set_presence makes the user online for their room mates.
            String aliceSince = syncQuery(s, alice, "&set_presence=offline").get("next_batch").asText();
            sync(s, bob, null, null);
            JsonNode aliceView = syncQuery(s, alice, "&set_presence=offline&since=" + enc(aliceSince));
            boolean bobOnline = false;
            for (JsonNode e : aliceView.path("presence").path("events")) {
                if (e.path("sender").asText().equals(s.userId("bob"))) bobOnline = e.path("content").path("presence").asText().equals("online");
            }
            assertTrue(bobOnline, aliceView.toString());
        }
    }
}
