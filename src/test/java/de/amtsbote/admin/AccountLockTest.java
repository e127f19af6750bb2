package de.amtsbote.admin;

import static de.amtsbote.admin.SynapseUserAdminTest.enc;
import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Account lock (spec v1.12+ "account locking"): every request but logout answers 401 M_USER_LOCKED with
 * soft_logout true, sign-in is refused, a waiting /sync ends at once; unlocking restores the same session.
 */
class AccountLockTest {
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    private static void assertLocked(TestServer.Response r) {
        assertError(r, 401, "M_USER_LOCKED");
        assertTrue(r.json().get("soft_logout").asBoolean(), r.body());
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void lockEndsSessionsAtOnceAndUnlockRestores(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String gina = s.userToken("gina");
            String ginaPhone = s.login("gina");
            String user = "/_synapse/admin/v2/users/" + enc(s.userId("gina"));
            String since = s.request("GET", "/_matrix/client/v3/sync?timeout=0", gina, null).json().get("next_batch").asText();

            CompletableFuture<TestServer.Response> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.request("GET", "/_matrix/client/v3/sync?timeout=30000&since=" + since, gina, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(500); // let the long-poll park
            long lockedAt = System.nanoTime();
            var lock = s.request("PUT", user, admin, Json.object().put("locked", true));
            assertEquals(200, lock.status(), lock.body());
            assertTrue(lock.json().get("locked").asBoolean());
            assertLocked(waiting.get(10, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - lockedAt < TimeUnit.SECONDS.toNanos(10), "the waiting /sync ended at once");

            assertLocked(s.request("GET", WHOAMI, gina, null));
            assertLocked(s.request("GET", "/_matrix/client/v3/sync?timeout=0", ginaPhone, null));
            var login = Json.object().put("type", "m.login.password").put("user", "gina").put("password", "password-gina");
            assertLocked(s.request("POST", "/_matrix/client/v3/login", null, login));
            // A wrong password does not reveal the lock.
            assertError(s.request("POST", "/_matrix/client/v3/login", null, login.deepCopy().put("password", "wrong-pass")),
                    403, "M_FORBIDDEN");
            // Logout stays possible (the spec's exception).
            assertEquals(200, s.request("POST", "/_matrix/client/v3/logout", ginaPhone, Json.object()).status());
            var details = s.request("GET", user, admin, null).json();
            assertTrue(details.get("locked").asBoolean());

            assertEquals(200, s.request("PUT", user, admin, Json.object().put("locked", false)).status());
            assertEquals(s.userId("gina"), s.request("GET", WHOAMI, gina, null).json().get("user_id").asText());
            assertEquals(200, s.request("POST", "/_matrix/client/v3/login", null, login).status());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void specLockEndpoint(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String other = s.userToken("other", true);
            String kai = s.userToken("kai");
            String path = "/_matrix/client/v1/admin/lock/";
            assertError(s.request("GET", path + enc(s.userId("kai")), kai, null), 403, "M_FORBIDDEN");
            assertError(s.request("GET", path + enc(s.userId("nobody")), kai, null), 403, "M_FORBIDDEN"); // no enumeration
            assertEquals(false, s.request("GET", path + enc(s.userId("kai")), admin, null).json().get("locked").asBoolean());
            var put = s.request("PUT", path + enc(s.userId("kai")), admin, Json.object().put("locked", true));
            assertEquals(200, put.status(), put.body());
            assertTrue(put.json().get("locked").asBoolean());
            assertLocked(s.request("GET", WHOAMI, kai, null));
            assertTrue(s.request("GET", path + enc(s.userId("kai")), admin, null).json().get("locked").asBoolean());
            assertEquals(200, s.request("PUT", path + enc(s.userId("kai")), admin, Json.object().put("locked", false)).status());
            assertEquals(200, s.request("GET", WHOAMI, kai, null).status());

            assertError(s.request("PUT", path + enc(s.userId("other")), admin, Json.object().put("locked", true)), 403, "M_FORBIDDEN");
            assertEquals(200, s.request("GET", WHOAMI, other, null).status());
            assertError(s.request("GET", path + enc(s.userId("nobody")), admin, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", path + enc("@kai:elsewhere.example"), admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", path + enc(s.userId("kai")), admin, Json.object().put("locked", "yes")), 400, "M_BAD_JSON");
            assertError(s.request("PUT", path + enc(s.userId("kai")), admin, Json.object()), 400, "M_MISSING_PARAM");
            assertError(s.request("PUT", "/_synapse/admin/v2/users/" + enc(s.userId("admin")), admin,
                    Json.object().put("locked", true)), 400, "M_UNKNOWN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void lockGivenAtCreation(TestServer.Db db) throws Exception {
        // A lock given when the account is created applies from the start.
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String hans = s.userId("hans");
            var created = s.request("PUT", "/_synapse/admin/v2/users/" + enc(hans), admin,
                    Json.object().put("password", "password-hans").put("locked", true));
            assertEquals(201, created.status(), created.body());
            assertTrue(created.json().get("locked").asBoolean());
            var login = Json.object().put("type", "m.login.password").put("user", "hans").put("password", "password-hans");
            assertLocked(s.request("POST", "/_matrix/client/v3/login", null, login));
            assertTrue(s.request("GET", "/_synapse/admin/v2/users?locked=true", admin, null).body().contains(hans));
            assertTrue(!s.request("GET", "/_synapse/admin/v2/users", admin, null).body().contains(hans));
        }
    }
}
