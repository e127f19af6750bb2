package de.amtsbote.sync;

import static de.amtsbote.sync.SyncHttp.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** m.ignored_user_list hides the ignored users' messages and invites in /sync, and un-ignoring takes effect. */
class IgnoredUsersSyncTest {
    private static void ignore(TestServer s, String token, String userId, String... ignored) throws Exception {
        ObjectNode content = Json.object();
        ObjectNode list = content.putObject("ignored_users");
        for (String i : ignored) list.putObject(i);
        var r = s.request("PUT", "/_matrix/client/v3/user/" + enc(userId) + "/account_data/m.ignored_user_list", token, content);
        assertEquals(200, r.status(), r.body());
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void ignoredUsersAreHidden(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String mallory = s.userToken("mallory");
            String roomId = createRoom(s, alice, s.userId("bob"), s.userId("mallory"));
            join(s, bob, roomId);
            join(s, mallory, roomId);
            String since = sync(s, bob, null, null).get("next_batch").asText();
            ignore(s, bob, s.userId("bob"), s.userId("mallory"));

            send(s, mallory, roomId, "spam");
            send(s, alice, roomId, "hi");
            JsonNode inc = sync(s, bob, since, null);
            assertEquals(List.of("hi"), bodies(inc.path("rooms").path("join").path(roomId)), inc.toString());
            JsonNode initial = sync(s, bob, null, null);
            assertFalse(bodies(initial.path("rooms").path("join").path(roomId)).contains("spam"));
            var messages = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages?dir=b&limit=20", bob, null);
            assertEquals(200, messages.status(), messages.body());
            assertFalse(messages.body().contains("spam"), "/messages hides ignored users too: " + messages.body());
            assertTrue(messages.body().contains("\"hi\""), messages.body());

            // Invites from ignored users are not shown; others are.
            String fromMallory = createRoom(s, mallory, s.userId("bob"));
            String fromAlice = createRoom(s, alice, s.userId("bob"));
            JsonNode invites = sync(s, bob, inc.get("next_batch").asText(), null).path("rooms").path("invite");
            assertFalse(invites.has(fromMallory), invites.toString());
            assertTrue(invites.has(fromAlice), invites.toString());

            // Un-ignoring takes effect at once (the cached list is invalidated).
            String before = sync(s, bob, null, null).get("next_batch").asText();
            ignore(s, bob, s.userId("bob"));
            send(s, mallory, roomId, "hello again");
            JsonNode after = sync(s, bob, before, null);
            assertEquals(List.of("hello again"), bodies(after.path("rooms").path("join").path(roomId)), after.toString());
        }
    }
}
