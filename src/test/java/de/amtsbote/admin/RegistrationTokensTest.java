package de.amtsbote.admin;

import static de.amtsbote.admin.AdminTestSupport.ok;
import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Registration tokens: Synapse's admin API and sign-up with m.login.registration_token. */
class RegistrationTokensTest {
    private static final String TOKENS = "/_synapse/admin/v1/registration_tokens";
    private static final String REGISTER = "/_matrix/client/v3/register";
    private static final String VALIDITY = "/_matrix/client/v1/register/m.login.registration_token/validity?token=";
    private static final String AVAILABLE = "/_matrix/client/v3/register/available?username=";

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void adminApi(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");

            JsonNode generated = ok(s.request("POST", TOKENS + "/new", admin, Json.object()));
            assertTrue(generated.get("token").asText().matches("[A-Za-z0-9_-]{16}"), generated.toString());
            assertTrue(generated.get("uses_allowed").isNull());
            assertTrue(generated.get("expiry_time").isNull());
            assertEquals(0, generated.get("pending").asInt());
            assertEquals(0, generated.get("completed").asInt());
            assertEquals(5, ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("length", 5))).get("token").asText().length());

            long future = System.currentTimeMillis() + 3_600_000;
            JsonNode defg = ok(s.request("POST", TOKENS + "/new", admin,
                    Json.object().put("token", "defg").put("uses_allowed", 1).put("expiry_time", future)));
            assertEquals(Json.parse("{\"token\":\"defg\",\"uses_allowed\":1,\"pending\":0,\"completed\":0,\"expiry_time\":" + future + "}"), defg);
            assertEquals(defg, ok(s.request("GET", TOKENS + "/defg", admin, null)));

            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "defg")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "nicht gültig")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "x".repeat(65))), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("length", 0)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("length", 65)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("uses_allowed", -1)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("uses_allowed", "drei")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("uses_allowed", 1.5)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("expiry_time", 1000)), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", 5)), 400, "M_BAD_JSON");

            // PUT changes only the fields given; null means unlimited / never.
            JsonNode updated = ok(s.request("PUT", TOKENS + "/defg", admin, Json.object().put("uses_allowed", 3)));
            assertEquals(3, updated.get("uses_allowed").asInt());
            assertEquals(future, updated.get("expiry_time").asLong());
            ObjectNode nulls = Json.object();
            nulls.putNull("expiry_time");
            JsonNode cleared = ok(s.request("PUT", TOKENS + "/defg", admin, nulls));
            assertTrue(cleared.get("expiry_time").isNull());
            assertEquals(3, cleared.get("uses_allowed").asInt());
            assertError(s.request("PUT", TOKENS + "/defg", admin, Json.object().put("uses_allowed", -2)), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", TOKENS + "/fehlt", admin, Json.object().put("uses_allowed", 1)), 404, "M_NOT_FOUND");

            // valid filter: a token with no uses left and an expired one are invalid.
            ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "aufgebraucht").put("uses_allowed", 0)));
            ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "abgelaufen")));
            ok(s.request("PUT", TOKENS + "/abgelaufen", admin, Json.object().put("expiry_time", 1000)));
            assertEquals(5, ok(s.request("GET", TOKENS, admin, null)).get("registration_tokens").size());
            assertEquals(List.of("aufgebraucht", "abgelaufen"), tokens(ok(s.request("GET", TOKENS + "?valid=false", admin, null))));
            assertEquals(3, ok(s.request("GET", TOKENS + "?valid=true", admin, null)).get("registration_tokens").size());
            assertError(s.request("GET", TOKENS + "?valid=vielleicht", admin, null), 400, "M_INVALID_PARAM");

            assertEquals(Json.object(), ok(s.request("DELETE", TOKENS + "/defg", admin, null)));
            assertError(s.request("GET", TOKENS + "/defg", admin, null), 404, "M_NOT_FOUND");
            assertError(s.request("DELETE", TOKENS + "/defg", admin, null), 404, "M_NOT_FOUND");

            // Only admins.
            assertError(s.request("GET", TOKENS, alice, null), 403, "M_FORBIDDEN");
            assertError(s.request("POST", TOKENS + "/new", alice, Json.object()), 403, "M_FORBIDDEN");
            assertError(s.request("GET", TOKENS + "/abgelaufen", alice, null), 403, "M_FORBIDDEN");
            assertError(s.request("PUT", TOKENS + "/abgelaufen", alice, Json.object()), 403, "M_FORBIDDEN");
            assertError(s.request("DELETE", TOKENS + "/abgelaufen", alice, null), 403, "M_FORBIDDEN");
        }
    }

    private static List<String> tokens(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("registration_tokens").forEach(t -> out.add(t.get("token").asText()));
        return out;
    }

    private static ObjectNode signUp(String username) {
        return Json.object().put("username", username).put("password", "sicheres-passwort")
                .put("initial_device_display_name", "Browser");
    }

    /** The first request's challenge: the session to continue with. */
    private static String challenge(TestServer s, ObjectNode body) throws Exception {
        TestServer.Response r = s.request("POST", REGISTER, null, body);
        assertEquals(401, r.status(), r.body());
        assertEquals(Json.parse("[{\"stages\":[\"m.login.registration_token\"]}]"), r.json().get("flows"));
        return r.json().get("session").asText();
    }

    private static TestServer.Response withToken(TestServer s, ObjectNode body, String session, String token) throws Exception {
        ObjectNode b = body.deepCopy();
        b.putObject("auth").put("type", "m.login.registration_token").put("token", token).put("session", session);
        return s.request("POST", REGISTER, null, b);
    }

    private static TestServer.Response register(TestServer s, String username, String token) throws Exception {
        ObjectNode body = signUp(username);
        return withToken(s, body, challenge(s, body), token);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void signUpWithToken(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "einmal").put("uses_allowed", 1)));
            assertEquals(Json.parse("{\"valid\":true}"), ok(s.request("GET", VALIDITY + "einmal", null, null)));
            assertEquals(Json.parse("{\"valid\":false}"), ok(s.request("GET", VALIDITY + "unbekannt", null, null)));
            assertError(s.request("GET", VALIDITY.substring(0, VALIDITY.indexOf('?')), null, null), 400, "M_MISSING_PARAM");

            // Without a token (or with another auth type) registration stays closed.
            ObjectNode body = signUp("neu");
            String session = challenge(s, body);
            ObjectNode dummy = body.deepCopy();
            dummy.putObject("auth").put("type", "m.login.dummy").put("session", session);
            assertError(s.request("POST", REGISTER, null, dummy), 403, "M_FORBIDDEN");
            assertError(withToken(s, body, session, "unbekannt"), 403, "M_FORBIDDEN");
            // The session belongs to this request: another user name with it is refused.
            assertError(withToken(s, signUp("anderer"), session, "einmal"), 403, "M_FORBIDDEN");
            assertError(s.request("POST", REGISTER + "?kind=guest", null, Json.object()), 403, "M_FORBIDDEN");

            TestServer.Response created = withToken(s, body, session, "einmal");
            assertEquals(200, created.status(), created.body());
            assertEquals(s.userId("neu"), created.json().get("user_id").asText());
            String accessToken = created.json().get("access_token").asText();
            String deviceId = created.json().get("device_id").asText();
            JsonNode who = ok(s.request("GET", "/_matrix/client/v3/account/whoami", accessToken, null));
            assertEquals(s.userId("neu"), who.get("user_id").asText());
            assertEquals(deviceId, who.get("device_id").asText());
            ok(s.request("POST", "/_matrix/client/v3/login", null, Json.parse(
                    "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"neu\"},\"password\":\"sicheres-passwort\"}")));

            JsonNode used = ok(s.request("GET", TOKENS + "/einmal", admin, null));
            assertEquals(0, used.get("pending").asInt());
            assertEquals(1, used.get("completed").asInt());
            // Used up: the next sign-up is refused and the validity check says so.
            assertError(register(s, "zweiter", "einmal"), 403, "M_FORBIDDEN");
            assertEquals(Json.parse("{\"valid\":false}"), ok(s.request("GET", VALIDITY + "einmal", null, null)));
            assertTrue(s.server().accounts().user(s.userId("zweiter")).isEmpty());

            // Expired tokens are refused.
            ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "alt")));
            ok(s.request("PUT", TOKENS + "/alt", admin, Json.object().put("expiry_time", System.currentTimeMillis() - 1)));
            assertError(register(s, "spaet", "alt"), 403, "M_FORBIDDEN");

            // A failed sign-up (name taken, weak password) gives its use back.
            ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "zwei").put("uses_allowed", 2)));
            assertError(register(s, "neu", "zwei"), 400, "M_USER_IN_USE");
            ObjectNode weak = Json.object().put("username", "schwach").put("password", "kurz");
            assertError(withToken(s, weak, challenge(s, weak), "zwei"), 400, "M_WEAK_PASSWORD");
            JsonNode zwei = ok(s.request("GET", TOKENS + "/zwei", admin, null));
            assertEquals(0, zwei.get("pending").asInt());
            assertEquals(0, zwei.get("completed").asInt());

            // inhibit_login: the account only, no session.
            ObjectNode quiet = signUp("stumm").put("inhibit_login", true);
            JsonNode q = ok(withToken(s, quiet, challenge(s, quiet), "zwei"));
            assertEquals(s.userId("stumm"), q.get("user_id").asText());
            assertFalse(q.has("access_token"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void concurrentSignUpsCannotShareTheLastUse(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "letzter").put("uses_allowed", 1)));
            int n = 8;
            List<ObjectNode> bodies = new ArrayList<>();
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                bodies.add(signUp("person" + i));
                sessions.add(challenge(s, bodies.get(i)));
            }
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                calls.add(() -> withToken(s, bodies.get(k), sessions.get(k), "letzter").status());
            }
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
                for (Future<Integer> f : pool.invokeAll(calls)) statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(st -> st == 200).count(), statuses.toString());
            assertEquals(n - 1, statuses.stream().filter(st -> st == 403).count(), statuses.toString());
            JsonNode t = ok(s.request("GET", TOKENS + "/letzter", admin, null));
            assertEquals(0, t.get("pending").asInt());
            assertEquals(1, t.get("completed").asInt());
        }
    }

    @Test
    void tokenGuessingIsRateLimited() throws Exception {
        try (TestServer s = new TestServer(TestServer.Db.SQLITE, "limits:\n  login_attempts_per_minute: 3\n")) {
            for (int i = 0; i < 3; i++) ok(s.request("GET", VALIDITY + "rate" + i, null, null));
            assertError(s.request("GET", VALIDITY + "rate4", null, null), 429, "M_LIMIT_EXCEEDED");
            // The same through POST /register: three wrong guesses, then 429 even for a good token.
            String admin = s.userToken("admin", true);
            ok(s.request("POST", TOKENS + "/new", admin, Json.object().put("token", "richtig")));
            for (int i = 0; i < 3; i++) assertError(register(s, "rater" + i, "falsch" + i), 403, "M_FORBIDDEN");
            assertError(register(s, "rater", "richtig"), 429, "M_LIMIT_EXCEEDED");
            assertTrue(s.server().accounts().user(s.userId("rater")).isEmpty());
        }
    }

    /** The sign-up form's name check; an exclusive application-service namespace reserves @_bridge_*. */
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void usernameAvailability(TestServer.Db db) throws Exception {
        java.nio.file.Path reg = java.nio.file.Files.createTempFile("bridge", ".yaml");
        java.nio.file.Files.writeString(reg, "id: bridge\nurl: null\nas_token: as-token-avail\nhs_token: hs-token-avail\n"
                + "sender_localpart: _bridge\nrate_limited: false\nnamespaces:\n  users:\n    - exclusive: true\n"
                + "      regex: \"@_bridge_.*:test\\\\.local\"\n  aliases: []\n  rooms: []\n");
        try (TestServer s = new TestServer(db, "appservices:\n  - " + reg + "\n")) {
            String admin = s.userToken("admin", true);
            assertEquals(Json.parse("{\"available\":true}"), ok(s.request("GET", AVAILABLE + "frei", null, null)));
            assertError(s.request("GET", AVAILABLE + "admin", null, null), 400, "M_USER_IN_USE");
            assertError(s.request("GET", AVAILABLE + "Gro%C3%9F", null, null), 400, "M_INVALID_USERNAME");
            assertError(s.request("GET", AVAILABLE + "", null, null), 400, "M_INVALID_USERNAME");
            assertError(s.request("GET", AVAILABLE + "x".repeat(250), null, null), 400, "M_INVALID_USERNAME");
            assertError(s.request("GET", AVAILABLE + "_bridge_alice", null, null), 400, "M_EXCLUSIVE");
            // The server notices user exists from the start, so nobody can sign up under its name.
            assertError(s.request("GET", AVAILABLE + "amtsbote-hinweise", null, null), 400, "M_USER_IN_USE");
            assertError(s.request("GET", AVAILABLE.substring(0, AVAILABLE.indexOf('?')), null, null), 400, "M_MISSING_PARAM");
            // A deactivated account keeps its name.
            String bob = s.userToken("bob");
            ok(s.request("POST", "/_synapse/admin/v1/deactivate/" + s.userId("bob"), admin, Json.object()));
            assertError(s.request("GET", AVAILABLE + "bob", null, null), 400, "M_USER_IN_USE");
            assertEquals(401, s.request("GET", "/_matrix/client/v3/account/whoami", bob, null).status());
            // The check creates nothing: the name is still free to register.
            assertEquals(Json.parse("{\"available\":true}"), ok(s.request("GET", AVAILABLE + "frei", null, null)));
            assertTrue(s.server().accounts().user(s.userId("frei")).isEmpty());
        } finally {
            java.nio.file.Files.deleteIfExists(reg);
        }
    }

    @Test
    void usernameProbingIsRateLimited() throws Exception {
        try (TestServer s = new TestServer(TestServer.Db.SQLITE, "limits:\n  login_attempts_per_minute: 3\n")) {
            s.userToken("vorhanden");
            for (int i = 0; i < 3; i++) ok(s.request("GET", AVAILABLE + "probe" + i, null, null));
            TestServer.Response limited = s.request("GET", AVAILABLE + "vorhanden", null, null);
            assertError(limited, 429, "M_LIMIT_EXCEEDED");
            assertTrue(limited.json().get("retry_after_ms").asLong() > 0, limited.body());
            // Its own budget: the token validity check is not used up by name checks.
            ok(s.request("GET", VALIDITY + "irgendeins", null, null));
        }
    }
}
