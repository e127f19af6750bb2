package de.amtsbote.admin;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.config.ConfigException;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.testing.TestServer;
import de.amtsbote.users.SharedSecretRegistration;
import de.amtsbote.util.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Synapse's shared-secret registration: off without a secret; nonce + HMAC-SHA1 as Synapse documents. */
class SharedSecretRegistrationTest {
    private static final String REGISTER = "/_synapse/admin/v1/register";
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";

    @Test
    void macIsSynapsesDocumentedHmacSha1() {
        // Synapse's own recipe: printf 'abc\0pepper_roni\0pizza\0admin' | openssl sha1 -hmac 'shared_secret'
        assertEquals("51a6f66c509238173c23a7eddf35693d55b40eba",
                SharedSecretRegistration.mac("shared_secret", "abc", "pepper_roni", "pizza", true));
    }

    @Test
    void configValidatesTheSecret() {
        String base = "server_name: test.local\n";
        assertNull(ConfigLoader.parse(base, Path.of("/tmp"), "t.yaml").registrationSharedSecret());
        assertEquals(SECRET, ConfigLoader.parse(base + "registration_shared_secret: " + SECRET + "\n", Path.of("/tmp"), "t.yaml")
                .registrationSharedSecret());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                base + "registration_shared_secret: short-secret\n", Path.of("/tmp"), "t.yaml"));
        assertTrue(e.getMessage().contains("registration_shared_secret must be"), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret"), "the secret is not repeated in the error");
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                base + "registration_shared_secret: 12345\n", Path.of("/tmp"), "t.yaml"));
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void disabledWithoutSecret(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            assertError(s.request("GET", REGISTER, null, null), 400, "M_UNKNOWN");
            assertError(s.request("POST", REGISTER, null, Json.object().put("nonce", "x")), 400, "M_UNKNOWN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void registersWithNonceAndMac(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, "registration_shared_secret: " + SECRET + "\n")) {
            String nonce = s.request("GET", REGISTER, null, null).json().get("nonce").asText();
            var body = Json.object().put("nonce", nonce).put("username", "Pepper_Roni").put("displayname", "Pepper Roni")
                    .put("password", "pizza-pizza").put("admin", true)
                    .put("mac", SharedSecretRegistration.mac(SECRET, nonce, "Pepper_Roni", "pizza-pizza", true));
            var r = s.request("POST", REGISTER, null, body);
            assertEquals(200, r.status(), r.body());
            assertEquals("@pepper_roni:test.local", r.json().get("user_id").asText());
            assertEquals("test.local", r.json().get("home_server").asText());
            String token = r.json().get("access_token").asText();
            assertEquals(r.json().get("device_id").asText(),
                    s.request("GET", "/_matrix/client/v3/account/whoami", token, null).json().get("device_id").asText());
            // The new account is an admin with its display name.
            var details = s.request("GET", "/_synapse/admin/v2/users/%40pepper_roni%3Atest.local", token, null).json();
            assertTrue(details.get("admin").asBoolean());
            assertEquals("Pepper Roni", details.get("displayname").asText());

            // A nonce works once; a wrong MAC is refused (and uses the nonce up).
            assertError(s.request("POST", REGISTER, null, body), 400, "M_UNKNOWN");
            String nonce2 = s.request("GET", REGISTER, null, null).json().get("nonce").asText();
            var forged = body.deepCopy().put("nonce", nonce2).put("username", "mallory")
                    .put("mac", SharedSecretRegistration.mac("wrong-secret", nonce2, "mallory", "pizza-pizza", true));
            assertError(s.request("POST", REGISTER, null, forged), 403, "M_FORBIDDEN");
            assertError(s.request("POST", REGISTER, null, forged), 400, "M_UNKNOWN");
            // admin true signed as notadmin does not pass.
            String nonce3 = s.request("GET", REGISTER, null, null).json().get("nonce").asText();
            var escalated = body.deepCopy().put("nonce", nonce3).put("username", "eve")
                    .put("mac", SharedSecretRegistration.mac(SECRET, nonce3, "eve", "pizza-pizza", false));
            assertError(s.request("POST", REGISTER, null, escalated), 403, "M_FORBIDDEN");
            // Missing fields.
            String nonce4 = s.request("GET", REGISTER, null, null).json().get("nonce").asText();
            assertError(s.request("POST", REGISTER, null, Json.object().put("nonce", nonce4)), 400, "M_BAD_JSON");
            assertError(s.request("POST", REGISTER, null, Json.object()), 400, "M_BAD_JSON");
            // Taken name.
            String nonce5 = s.request("GET", REGISTER, null, null).json().get("nonce").asText();
            var again = body.deepCopy().put("nonce", nonce5)
                    .put("mac", SharedSecretRegistration.mac(SECRET, nonce5, "Pepper_Roni", "pizza-pizza", true));
            assertError(s.request("POST", REGISTER, null, again), 400, "M_USER_IN_USE");
        }
    }
}
