package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /capabilities: m.account_moderation (spec v1.18) only for server admins, as their flag is now. */
class CapabilitiesTest {
    private static final String CAPS = "/_matrix/client/v3/capabilities";

    private static JsonNode capabilities(TestServer s, String token) throws Exception {
        var r = s.request("GET", CAPS, token, null);
        assertEquals(200, r.status(), r.body());
        return r.json().get("capabilities");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void accountModerationOnlyForAdmins(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String bob = s.userToken("bob");

            JsonNode adminCaps = capabilities(s, admin);
            assertEquals(Json.object().put("lock", true).put("suspend", false), adminCaps.get("m.account_moderation"));
            assertTrue(adminCaps.has("m.room_versions"));
            // What is advertised works: the spec's lock endpoint.
            String lock = "/_matrix/client/v1/admin/lock/" + s.userId("bob");
            assertEquals(200, s.request("PUT", lock, admin, Json.object().put("locked", true)).status());
            assertEquals(200, s.request("PUT", lock, admin, Json.object().put("locked", false)).status());

            // Omitted for everyone else (the spec: omitted when lock and suspend would both be false).
            JsonNode bobCaps = capabilities(s, bob);
            assertFalse(bobCaps.has("m.account_moderation"), bobCaps.toString());
            assertTrue(bobCaps.has("m.room_versions"));
            assertError(s.request("PUT", lock, bob, Json.object().put("locked", true)), 403, "M_FORBIDDEN");
            assertError(s.request("GET", CAPS, null, null), 401, "M_MISSING_TOKEN");

            // A demoted admin loses it at once, with the same session.
            s.server().moderation().setAdmin(s.userId("admin"), false);
            assertFalse(capabilities(s, admin).has("m.account_moderation"));
        }
    }
}
