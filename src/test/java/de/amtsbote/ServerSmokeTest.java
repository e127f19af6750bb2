package de.amtsbote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerSmokeTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void loginWhoamiLogout(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            var versions = s.request("GET", "/_matrix/client/versions", null, null);
            assertEquals(200, versions.status());
            assertTrue(versions.json().get("versions").toString().contains("v1.19"));

            String token = s.userToken("alice");
            var who = s.request("GET", "/_matrix/client/v3/account/whoami", token, null);
            assertEquals(200, who.status());
            assertEquals("@alice:test.local", who.json().get("user_id").asText());

            // A long-poll of a session that gets signed out elsewhere ends at once with M_UNKNOWN_TOKEN.
            var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    String since = s.request("GET", "/_matrix/client/v3/sync", token, null).json().get("next_batch").asText();
                    return s.request("GET", "/_matrix/client/v3/sync?timeout=20000&since=" + since, token, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(500);
            long t0 = System.currentTimeMillis();
            assertEquals(200, s.request("POST", "/_matrix/client/v3/logout", token, Json.object()).status());
            var ended = poll.get();
            assertEquals(401, ended.status(), ended.body());
            assertEquals("M_UNKNOWN_TOKEN", ended.errcode());
            assertTrue(System.currentTimeMillis() - t0 < 5000, "the long-poll ended when the session was revoked");
            var after = s.request("GET", "/_matrix/client/v3/account/whoami", token, null);
            assertEquals(401, after.status());
            assertEquals("M_UNKNOWN_TOKEN", after.errcode());

            var unknown = s.request("GET", "/_matrix/client/v3/nope", null, null);
            assertEquals(404, unknown.status());
            assertEquals("M_UNRECOGNIZED", unknown.errcode());
            // Registration only with a registration token: the challenge offers that stage alone, anything else is 403.
            var reg = s.request("POST", "/_matrix/client/v3/register", null, Json.object());
            assertEquals(401, reg.status());
            assertEquals(Json.parse("[{\"stages\":[\"m.login.registration_token\"]}]"), reg.json().get("flows"));
            var dummy = s.request("POST", "/_matrix/client/v3/register", null,
                    Json.parse("{\"username\":\"selbst\",\"password\":\"secret-secret\",\"auth\":{\"type\":\"m.login.dummy\"}}"));
            assertEquals(403, dummy.status());
            assertEquals("M_FORBIDDEN", dummy.errcode());
            var badJson = s.requestRaw("POST", "/_matrix/client/v3/login", null, "{not json", "application/json");
            assertEquals(400, badJson.status());
            assertEquals("M_NOT_JSON", badJson.errcode());
        }
    }
}
