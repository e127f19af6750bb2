package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One requireJoined rule for every room action: invited, left, banned and strangers get 403 M_FORBIDDEN. */
class RequireJoinedTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void onlyJoinedMembersAct(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            var created = s.request("POST", "/_matrix/client/v3/createRoom", alice,
                    Json.object().set("invite", Json.array().add(s.userId("bob"))));
            String room = "/_matrix/client/v3/rooms/" + enc(created.json().get("room_id").asText());
            var msg = Json.object().put("msgtype", "m.text").put("body", "x");
            var invite = Json.object().put("user_id", s.userId("carol"));

            // Invited, not joined.
            assertError(s.request("PUT", room + "/send/m.room.message/b1", bob, msg), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", room + "/state/m.room.topic", bob, Json.object().put("topic", "t")), 403, "M_FORBIDDEN");
            assertError(s.request("POST", room + "/invite", bob, invite), 403, "M_FORBIDDEN");
            // A stranger, and an unknown room.
            assertError(s.request("PUT", room + "/send/m.room.message/c1", carol, msg), 403, "M_FORBIDDEN");
            assertError(s.request("POST", room + "/kick", carol, Json.object().put("user_id", s.userId("alice"))),
                    403, "M_FORBIDDEN");
            assertError(s.request("PUT", "/_matrix/client/v3/rooms/" + enc("!nope:test.local") + "/send/m.room.message/c2",
                    carol, msg), 403, "M_FORBIDDEN");
            // Banned.
            assertEquals(200, s.request("POST", room + "/ban", alice, Json.object().put("user_id", s.userId("bob"))).status());
            assertError(s.request("PUT", room + "/send/m.room.message/b2", bob, msg), 403, "M_FORBIDDEN");
            assertError(s.request("POST", room + "/leave", bob, Json.object()), 403, "M_FORBIDDEN");
            // Joined: allowed.
            assertEquals(200, s.request("PUT", room + "/send/m.room.message/a1", alice, msg).status());
            assertEquals(200, s.request("POST", room + "/invite", alice, invite).status());
        }
    }
}
