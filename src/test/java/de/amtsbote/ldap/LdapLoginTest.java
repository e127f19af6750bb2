package de.amtsbote.ldap;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** POST /login for directory users (search + bind), local accounts next to them, and the admin endpoints. */
class LdapLoginTest {
    private static final String LOGIN = "/_matrix/client/v3/login";

    private static ObjectNode login(String user, String password) {
        ObjectNode body = Json.object();
        body.put("type", "m.login.password");
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        body.put("password", password);
        return body;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void directoryUsersSignInWithTheirDirectoryPassword(TestServer.Db db) throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            dir.addUser("mmueller", "Maria Müller", "Sommer2026!");
            dir.addUser("kschmidt", "Klaus Schmidt", "Winter2026!");
            dir.disable("kschmidt");
            dir.server.add("dn: CN=printer," + TestDirectory.STAFF, "objectClass: device", "sAMAccountName: printer",
                    "userPassword: printer-pass");
            try (TestServer s = new TestServer(db, dir.yaml(""))) {
                var ok = s.request("POST", LOGIN, null, login("MMueller", "Sommer2026!"));
                assertEquals(200, ok.status(), ok.body());
                assertEquals("@mmueller:test.local", ok.json().get("user_id").asText());
                var profile = s.request("GET", "/_matrix/client/v3/profile/@mmueller:test.local/displayname",
                        ok.json().get("access_token").asText(), null);
                assertEquals("Maria Müller", profile.json().get("displayname").asText(), "display name from the directory");

                assertError(s.request("POST", LOGIN, null, login("mmueller", "wrong")), 403, "M_FORBIDDEN");
                // An empty password is an anonymous bind to LDAP servers, which succeeds: must never let anyone in.
                var empty = s.request("POST", LOGIN, null, login("mmueller", ""));
                assertError(empty, 403, "M_FORBIDDEN");
                assertEquals("Invalid user name or password", empty.json().get("error").asText(), "refused, not an error");
                assertError(s.request("POST", LOGIN, null, login("nobody", "Sommer2026!")), 403, "M_FORBIDDEN");
                assertError(s.request("POST", LOGIN, null, login("kschmidt", "Winter2026!")), 403, "M_FORBIDDEN");
                assertError(s.request("POST", LOGIN, null, login("printer", "printer-pass")), 403, "M_FORBIDDEN");
                assertTrue(s.server().accounts().user("@nobody:test.local").isEmpty());
                assertTrue(s.server().accounts().user("@printer:test.local").isEmpty(), "outside the user filter");

                // The password lives in the directory: changing it here is refused after a valid UIA.
                ObjectNode change = Json.object().put("new_password", "Neu-2026-Passwort");
                change.putObject("auth").put("type", "m.login.password").put("password", "Sommer2026!")
                        .putObject("identifier").put("type", "m.id.user").put("user", "mmueller");
                var changed = s.request("POST", "/_matrix/client/v3/account/password", ok.json().get("access_token").asText(), change);
                assertError(changed, 403, "M_FORBIDDEN");
                assertTrue(changed.json().get("error").asText().contains("directory"), changed.body());

                // The directory decides the display name at each sign-in.
                dir.set(TestDirectory.userDn("mmueller"), "displayName", "Maria Meier");
                assertEquals(200, s.request("POST", LOGIN, null, login("mmueller", "Sommer2026!")).status());
                assertEquals("Maria Meier", s.server().accounts().user("@mmueller:test.local").orElseThrow().displayname());

                // Accounts created in Amtsbote keep their local passwords, even with a name the directory knows.
                s.server().accounts().createUser("kschmidt", "local-password", false, null);
                s.server().accounts().createUser("localadmin", "local-password", true, null);
                assertEquals(200, s.request("POST", LOGIN, null, login("kschmidt", "local-password")).status());
                assertEquals(200, s.request("POST", LOGIN, null, login("localadmin", "local-password")).status());
                // A directory account has no usable local password.
                s.server().accounts().store().setPasswordHash("@mmueller:test.local",
                        de.amtsbote.users.PasswordHasher.hash("local-password"));
                assertError(s.request("POST", LOGIN, null, login("mmueller", "local-password")), 403, "M_FORBIDDEN");

                // Directory down: a clear refusal, no stack trace; local accounts still sign in.
                dir.stop();
                var down = s.request("POST", LOGIN, null, login("mmueller", "Sommer2026!"));
                assertError(down, 403, "M_FORBIDDEN");
                assertTrue(down.json().get("error").asText().contains("cannot be reached"), down.body());
                assertFalse(down.body().contains("Exception") || down.body().contains("127.0.0.1"), down.body());
                assertEquals(200, s.request("POST", LOGIN, null, login("localadmin", "local-password")).status());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void lockedDirectoryAccountStaysRefused(TestServer.Db db) throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            dir.addUser("mmueller", "Maria Müller", "Sommer2026!");
            try (TestServer s = new TestServer(db, dir.yaml(""))) {
                var first = s.request("POST", LOGIN, null, login("mmueller", "Sommer2026!"));
                assertEquals(200, first.status());
                String admin = s.userToken("admin", true);
                String lock = "/_matrix/client/v1/admin/lock/@mmueller:test.local";
                assertEquals(200, s.request("PUT", lock, admin, Json.object().put("locked", true)).status());
                dir.set(TestDirectory.userDn("mmueller"), "displayName", "Maria Meier");

                // The right directory password: told of the lock; a wrong one: no hint that the account is locked.
                var refused = s.request("POST", LOGIN, null, login("mmueller", "Sommer2026!"));
                assertError(refused, 401, "M_USER_LOCKED");
                assertError(s.request("POST", LOGIN, null, login("mmueller", "wrong")), 403, "M_FORBIDDEN");
                assertEquals("Maria Müller", s.server().accounts().user("@mmueller:test.local").orElseThrow().displayname(),
                        "nothing taken over from the directory for a locked account");
                // Disabled in the directory while locked (as the sync locks it): still the lock, after the password.
                dir.disable("mmueller");
                assertError(s.request("POST", LOGIN, null, login("mmueller", "Sommer2026!")), 401, "M_USER_LOCKED");
                assertError(s.request("POST", LOGIN, null, login("mmueller", "wrong")), 403, "M_FORBIDDEN");
                assertError(s.request("GET", "/_matrix/client/v3/account/whoami", first.json().get("access_token").asText(),
                        null), 401, "M_USER_LOCKED");

                // Unlocked but still disabled in the directory: a disabled entry never signs in.
                assertEquals(200, s.request("PUT", lock, admin, Json.object().put("locked", false)).status());
                assertError(s.request("POST", LOGIN, null, login("mmueller", "Sommer2026!")), 403, "M_FORBIDDEN");
                dir.enable("mmueller");
                assertEquals(200, s.request("POST", LOGIN, null, login("mmueller", "Sommer2026!")).status());
                assertEquals("Maria Meier", s.server().accounts().user("@mmueller:test.local").orElseThrow().displayname());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void adminEndpointsOnlyForAdmins(TestServer.Db db) throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            dir.addUser("mmueller", "Maria Müller", "Sommer2026!");
            try (TestServer s = new TestServer(db, dir.yaml(""))) {
                String admin = s.userToken("admin", true);
                String bob = s.userToken("bob");
                assertError(s.request("GET", "/_amtsbote/admin/v1/ldap", bob, null), 403, "M_FORBIDDEN");
                assertError(s.request("POST", "/_amtsbote/admin/v1/ldap/sync", bob, null), 403, "M_FORBIDDEN");
                assertError(s.request("GET", "/_amtsbote/admin/v1/ldap", null, null), 401, "M_MISSING_TOKEN");
                assertTrue(s.server().accounts().user("@mmueller:test.local").isEmpty(), "refused sync did nothing");

                var before = s.request("GET", "/_amtsbote/admin/v1/ldap", admin, null);
                assertEquals(200, before.status(), before.body());
                assertTrue(before.json().get("enabled").asBoolean());
                assertTrue(before.json().get("last_sync_ts").isNull());
                assertTrue(before.json().get("last_result").isNull());

                var sync = s.request("POST", "/_amtsbote/admin/v1/ldap/sync", admin, null);
                assertEquals(200, sync.status(), sync.body());
                assertTrue(sync.json().get("ok").asBoolean(), sync.body());
                assertEquals("@mmueller:test.local", sync.json().get("created").get(0).asText());

                var after = s.request("GET", "/_amtsbote/admin/v1/ldap", admin, null).json();
                assertEquals(sync.json().get("started_ts").asLong(), after.get("last_sync_ts").asLong());
                assertEquals(sync.json(), after.get("last_result"));
                assertFalse(after.toString().contains(TestDirectory.SERVICE_PASSWORD), "no secret in the status");

                // Demoted while signed in: refused at once.
                new de.amtsbote.storage.jdbc.JdbcLdapStore(s.server().stores().db()).setAdminGranted("@admin:test.local", false);
                assertError(s.request("GET", "/_amtsbote/admin/v1/ldap", admin, null), 403, "M_FORBIDDEN");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void switchedOffByDefault(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            var status = s.request("GET", "/_amtsbote/admin/v1/ldap", admin, null);
            assertEquals(200, status.status());
            assertFalse(status.json().get("enabled").asBoolean());
            assertNull(s.server().ldap().sync());
            assertError(s.request("POST", "/_amtsbote/admin/v1/ldap/sync", admin, null), 400, "M_UNKNOWN");
        }
    }
}
