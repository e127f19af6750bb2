package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PUT /state/m.room.member/{own id} for per-room profiles, and identical state put twice (issue 6). */
class MemberStateTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void perRoomDisplayNameAndIdenticalStateAgain(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String roomId = s.request("POST", "/_matrix/client/v3/createRoom", alice,
                    Json.object().put("preset", "public_chat")).json().get("room_id").asText();
            String room = "/_matrix/client/v3/rooms/" + enc(roomId);
            assertEquals(200, s.request("POST", room + "/join", bob, Json.object()).status());

            String bobMember = room + "/state/m.room.member/" + enc(s.userId("bob"));
            ObjectNode nick = Json.object().put("membership", "join").put("displayname", "Bob im Bauhof");
            var put = s.request("PUT", bobMember, bob, nick);
            assertEquals(200, put.status(), put.body());
            var members = s.request("GET", room + "/joined_members", alice, null);
            assertEquals("Bob im Bauhof", members.json().path("joined").path(s.userId("bob")).path("display_name").asText(),
                    members.body());
            // The same state again: no new event, the existing event id.
            var again = s.request("PUT", bobMember, bob, nick);
            assertEquals(put.json().get("event_id").asText(), again.json().get("event_id").asText());
            ObjectNode topic = Json.object().put("topic", "Schotter");
            String topicId = s.request("PUT", room + "/state/m.room.topic", alice, topic).json().get("event_id").asText();
            assertEquals(topicId, s.request("PUT", room + "/state/m.room.topic", alice, topic).json().get("event_id").asText());
            String kies = s.request("PUT", room + "/state/m.room.topic", alice,
                    Json.object().put("topic", "Kies")).json().get("event_id").asText();
            assertNotEquals(topicId, kies);
            // After a redaction the pruned topic ({}) sent again is a new event, not the redacted one.
            assertEquals(200, s.request("PUT", room + "/redact/" + enc(kies) + "/r1", alice, Json.object()).status());
            assertNotEquals(kies, s.request("PUT", room + "/state/m.room.topic", alice, Json.object())
                    .json().get("event_id").asText());

            // Membership changes through this path follow the auth rules: bob (power 0) cannot ban alice,
            // nor join someone else; alice (power 100) can kick bob.
            assertError(s.request("PUT", room + "/state/m.room.member/" + enc(s.userId("alice")), bob,
                    Json.object().put("membership", "ban")), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", room + "/state/m.room.member/" + enc(s.userId("alice")), bob,
                    Json.object().put("membership", "join").put("displayname", "Fake")), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", bobMember, bob, Json.object().put("displayname", "x")), 400, "M_BAD_JSON");
            var kick = s.request("PUT", bobMember, alice, Json.object().put("membership", "leave"));
            assertEquals(200, kick.status(), kick.body());
            assertEquals(1, s.request("GET", room + "/joined_members", alice, null).json().path("joined").size());
            // No longer joined: no per-room profile either.
            assertError(s.request("PUT", bobMember, bob, nick), 403, "M_FORBIDDEN");
        }
    }
}
