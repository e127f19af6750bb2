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

            assertEquals(200, s.request("POST", "/_matrix/client/v3/logout", token, Json.object()).status());
            var after = s.request("GET", "/_matrix/client/v3/account/whoami", token, null);
            assertEquals(401, after.status());
            assertEquals("M_UNKNOWN_TOKEN", after.errcode());

            var unknown = s.request("GET", "/_matrix/client/v3/nope", null, null);
            assertEquals(404, unknown.status());
            assertEquals("M_UNRECOGNIZED", unknown.errcode());
            var reg = s.request("POST", "/_matrix/client/v3/register", null, Json.object());
            assertEquals(403, reg.status());
            assertEquals("M_FORBIDDEN", reg.errcode());
            var badJson = s.requestRaw("POST", "/_matrix/client/v3/login", null, "{not json", "application/json");
            assertEquals(400, badJson.status());
            assertEquals("M_NOT_JSON", badJson.errcode());
        }
    }
}
