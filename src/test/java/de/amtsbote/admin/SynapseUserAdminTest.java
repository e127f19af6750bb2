package de.amtsbote.admin;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Synapse's user admin API: list, query, create/modify, deactivate/erase, passwords, admin flag, whois. */
class SynapseUserAdminTest {
    private static final String V1 = "/_synapse/admin/v1";
    private static final String V2 = "/_synapse/admin/v2";

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** Signs in with a password; returns the access token (fails the test otherwise). */
    static String login(TestServer s, String user, String password) throws Exception {
        var body = Json.object().put("type", "m.login.password").put("user", user).put("password", password);
        var r = s.request("POST", "/_matrix/client/v3/login", null, body);
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("users").forEach(u -> out.add(u.get("name").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void listAndQuery(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            s.server().accounts().createUser("carla", "password-carla", false, "Anna Schmidt");
            s.server().accounts().createUser("bernd", "password-bernd", false, "Bernd Maier");
            s.server().accounts().createUser("dora", "password-dora", false, null);

            var all = s.request("GET", V2 + "/users", admin, null);
            assertEquals(200, all.status(), all.body());
            assertEquals(List.of(s.userId("admin"), s.userId("bernd"), s.userId("carla"), s.userId("dora")), names(all.json()));
            assertEquals(4, all.json().get("total").asInt());
            assertFalse(all.json().has("next_token"));
            JsonNode carla = all.json().get("users").get(2);
            assertEquals("Anna Schmidt", carla.get("displayname").asText());
            assertFalse(carla.get("admin").asBoolean());
            assertFalse(carla.get("is_guest").asBoolean());
            assertFalse(carla.get("locked").asBoolean());
            assertTrue(carla.get("creation_ts").asLong() > 1_000_000_000_000L, "list: milliseconds");

            var page1 = s.request("GET", V2 + "/users?from=0&limit=2", admin, null).json();
            assertEquals(List.of(s.userId("admin"), s.userId("bernd")), names(page1));
            assertEquals("2", page1.get("next_token").asText());
            assertEquals(4, page1.get("total").asInt());
            var page2 = s.request("GET", V2 + "/users?from=" + page1.get("next_token").asText() + "&limit=2", admin, null).json();
            assertEquals(List.of(s.userId("carla"), s.userId("dora")), names(page2));
            assertFalse(page2.has("next_token"));

            // name: localpart or display name; user_id: part of the id.
            assertEquals(List.of(s.userId("bernd")), names(s.request("GET", V2 + "/users?name=maier", admin, null).json()));
            assertEquals(List.of(s.userId("carla")), names(s.request("GET", V2 + "/users?name=carl", admin, null).json()));
            assertEquals(List.of(s.userId("dora")), names(s.request("GET", V2 + "/users?user_id=" + enc("@dor"), admin, null).json()));
            assertEquals(List.of(s.userId("admin")), names(s.request("GET", V2 + "/users?admins=true", admin, null).json()));
            assertEquals(List.of(s.userId("dora"), s.userId("carla"), s.userId("bernd"), s.userId("admin")),
                    names(s.request("GET", V2 + "/users?dir=b", admin, null).json()));
            assertEquals(List.of(s.userId("carla"), s.userId("bernd"), s.userId("dora")),
                    names(s.request("GET", V2 + "/users?order_by=displayname&name=r", admin, null).json()));
            assertEquals(List.of(s.userId("carla")), names(s.request("GET", V2 + "/users?name=schmidt", admin, null).json()));

            // Deactivated and locked users only when asked for.
            assertEquals(200, s.request("POST", V1 + "/deactivate/" + enc(s.userId("dora")), admin, Json.object()).status());
            assertEquals(200, s.request("PUT", V2 + "/users/" + enc(s.userId("bernd")), admin,
                    Json.object().put("locked", true)).status());
            assertEquals(List.of(s.userId("admin"), s.userId("carla")), names(s.request("GET", V2 + "/users", admin, null).json()));
            var withAll = s.request("GET", V2 + "/users?deactivated=true&locked=true", admin, null).json();
            assertEquals(4, withAll.get("total").asInt());
            assertTrue(withAll.get("users").get(1).get("locked").asBoolean());
            assertTrue(withAll.get("users").get(3).get("deactivated").asBoolean());

            // Bad input: Synapse's errors.
            assertError(s.request("GET", V2 + "/users?from=-1", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V2 + "/users?limit=abc", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V2 + "/users?order_by=password", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V2 + "/users?dir=x", admin, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", V2 + "/users?deactivated=yes", admin, null), 400, "M_INVALID_PARAM");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void createModifyAndQuery(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String erika = s.userId("erika");
            var body = Json.object().put("password", "erste-pass-1").put("displayname", "Erika Muster")
                    .put("avatar_url", "mxc://test.local/abc").put("admin", false);
            var created = s.request("PUT", V2 + "/users/" + enc(erika), admin, body);
            assertEquals(201, created.status(), created.body());
            assertEquals(erika, created.json().get("name").asText());
            assertEquals("Erika Muster", created.json().get("displayname").asText());
            assertEquals("mxc://test.local/abc", created.json().get("avatar_url").asText());
            assertTrue(created.json().get("creation_ts").asLong() < 10_000_000_000L, "details: seconds, as Synapse documents");
            String erikaToken = login(s, "erika", "erste-pass-1");

            // Modify: 200; a password change signs out all devices unless logout_devices is false.
            var renamed = s.request("PUT", V2 + "/users/" + enc(erika), admin, Json.object().put("displayname", "Erika M."));
            assertEquals(200, renamed.status(), renamed.body());
            assertEquals("Erika M.", renamed.json().get("displayname").asText());
            assertEquals("Erika M.", s.request("GET", "/_matrix/client/v3/profile/" + enc(erika), erikaToken, null)
                    .json().get("displayname").asText());
            assertEquals(200, s.request("PUT", V2 + "/users/" + enc(erika), admin,
                    Json.object().put("password", "zweite-pass-2").put("logout_devices", false)).status());
            assertEquals(200, s.request("GET", "/_matrix/client/v3/account/whoami", erikaToken, null).status());
            assertEquals(200, s.request("PUT", V2 + "/users/" + enc(erika), admin,
                    Json.object().put("password", "dritte-pass-3")).status());
            assertError(s.request("GET", "/_matrix/client/v3/account/whoami", erikaToken, null), 401, "M_UNKNOWN_TOKEN");
            login(s, "erika", "dritte-pass-3");

            // Admin flag through PUT v2 and the v1 admin endpoint.
            var details = s.request("GET", V2 + "/users/" + enc(erika), admin, null).json();
            assertFalse(details.get("admin").asBoolean());
            assertEquals(0, details.get("threepids").size());
            assertEquals(200, s.request("PUT", V1 + "/users/" + enc(erika) + "/admin", admin, Json.object().put("admin", true)).status());
            assertTrue(s.request("GET", V1 + "/users/" + enc(erika) + "/admin", admin, null).json().get("admin").asBoolean());
            assertError(s.request("PUT", V1 + "/users/" + enc(s.userId("admin")) + "/admin", admin,
                    Json.object().put("admin", false)), 400, "M_UNKNOWN");

            // Bad input.
            assertError(s.request("PUT", V2 + "/users/" + enc("@Bad Name:test.local"), admin, body), 400, "M_INVALID_USERNAME");
            assertError(s.request("PUT", V2 + "/users/" + enc("no-at-sign"), admin, body), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", V2 + "/users/" + enc("@x:other.example"), admin, body), 400, "M_UNKNOWN");
            assertError(s.request("PUT", V2 + "/users/" + enc(s.userId("neu")), admin,
                    Json.object().put("password", "kurz")), 400, "M_WEAK_PASSWORD");
            assertError(s.request("PUT", V2 + "/users/" + enc(erika), admin, Json.object().put("admin", "yes")), 400, "M_BAD_JSON");
            assertError(s.request("PUT", V2 + "/users/" + enc(erika), admin, Json.object().put("avatar_url", "http://x/")),
                    400, "M_INVALID_PARAM");
            assertError(s.request("GET", V2 + "/users/" + enc(s.userId("nobody")), admin, null), 404, "M_NOT_FOUND");
            assertError(s.request("POST", V1 + "/reset_password/" + enc(erika), admin, Json.object()), 400, "M_MISSING_PARAM");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deactivateEraseResetPasswordWhois(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String frank = s.userToken("frank");
            String frankId = s.userId("frank");
            String room = s.request("POST", "/_matrix/client/v3/createRoom", frank, Json.object()).json().get("room_id").asText();
            assertEquals(List.of(room), toList(s.request("GET", V1 + "/users/" + enc(frankId) + "/joined_rooms", admin, null)
                    .json().get("joined_rooms")));

            // whois: one session per device with ip, last_seen and the client's user agent.
            var whois = s.request("GET", V1 + "/whois/" + enc(frankId), admin, null);
            assertEquals(200, whois.status(), whois.body());
            assertEquals(frankId, whois.json().get("user_id").asText());
            JsonNode connection = whois.json().get("devices").elements().next().get("sessions").get(0).get("connections").get(0);
            assertEquals("127.0.0.1", connection.get("ip").asText());
            assertTrue(connection.get("last_seen").asLong() > 0);
            assertTrue(connection.get("user_agent").asText().startsWith("Java-http-client"), connection.toString());

            // reset_password signs out by default.
            assertEquals(200, s.request("POST", V1 + "/reset_password/" + enc(frankId), admin,
                    Json.object().put("new_password", "neues-passwort")).status());
            assertError(s.request("GET", "/_matrix/client/v3/account/whoami", frank, null), 401, "M_UNKNOWN_TOKEN");
            frank = login(s, "frank", "neues-passwort");

            // Deactivate with erase: signed out, cannot sign in, left the room, profile gone, marked erased.
            var deactivated = s.request("POST", V1 + "/deactivate/" + enc(frankId), admin, Json.object().put("erase", true));
            assertEquals(200, deactivated.status(), deactivated.body());
            assertEquals("success", deactivated.json().get("id_server_unbind_result").asText());
            assertError(s.request("GET", "/_matrix/client/v3/account/whoami", frank, null), 401, "M_UNKNOWN_TOKEN");
            var login = Json.object().put("type", "m.login.password").put("user", "frank").put("password", "neues-passwort");
            assertError(s.request("POST", "/_matrix/client/v3/login", null, login), 403, "M_FORBIDDEN");
            var details = s.request("GET", V2 + "/users/" + enc(frankId), admin, null).json();
            assertTrue(details.get("deactivated").asBoolean());
            assertTrue(details.get("erased").asBoolean());
            assertTrue(details.get("displayname").isNull());
            assertEquals(0, s.request("GET", V1 + "/users/" + enc(frankId) + "/joined_rooms", admin, null)
                    .json().get("total").asInt());
            assertEquals(0, s.request("GET", V2 + "/users/" + enc(frankId) + "/devices", admin, null).json().get("total").asInt());

            // Reactivation needs a password (Synapse's rule), then sign-in works again.
            assertError(s.request("PUT", V2 + "/users/" + enc(frankId), admin, Json.object().put("deactivated", false)),
                    400, "M_UNKNOWN");
            assertEquals(200, s.request("PUT", V2 + "/users/" + enc(frankId), admin,
                    Json.object().put("deactivated", false).put("password", "wieder-da-123")).status());
            login(s, "frank", "wieder-da-123");
        }
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void onlyAdminsAndNotAfterDemotion(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String second = s.userToken("second", true);
            String user = s.userToken("user");
            String target = enc(s.userId("user"));
            String[][] calls = {
                {"GET", V2 + "/users"}, {"GET", V2 + "/users/" + target}, {"PUT", V2 + "/users/" + target},
                {"GET", V1 + "/whois/" + target}, {"POST", V1 + "/deactivate/" + target},
                {"POST", V1 + "/reset_password/" + target}, {"GET", V1 + "/users/" + target + "/admin"},
                {"PUT", V1 + "/users/" + target + "/admin"}, {"GET", V1 + "/users/" + target + "/joined_rooms"},
                {"GET", V2 + "/users/" + target + "/devices"}, {"GET", V2 + "/users/" + target + "/devices/X"},
                {"PUT", V2 + "/users/" + target + "/devices/X"}, {"DELETE", V2 + "/users/" + target + "/devices/X"},
                {"POST", V2 + "/users/" + target + "/delete_devices"},
                {"POST", "/_amtsbote/admin/v1/users/" + target + "/devices/X/wipe"},
                {"GET", "/_amtsbote/admin/v1/users/" + target + "/wipes"},
            };
            var body = Json.object().put("new_password", "whatever-123").put("admin", true);
            for (String[] c : calls) {
                assertError(s.request(c[0], c[1], user, c[0].equals("GET") ? null : body), 403, "M_FORBIDDEN");
                assertError(s.request(c[0], c[1], null, c[0].equals("GET") ? null : body), 401, "M_MISSING_TOKEN");
            }
            // A demoted admin loses access with the very next request, on the same token.
            assertEquals(200, s.request("GET", V2 + "/users", second, null).status());
            assertEquals(200, s.request("PUT", V2 + "/users/" + enc(s.userId("second")), admin,
                    Json.object().put("admin", false)).status());
            assertError(s.request("GET", V2 + "/users", second, null), 403, "M_FORBIDDEN");
            assertError(s.request("POST", V1 + "/deactivate/" + target, second, Json.object()), 403, "M_FORBIDDEN");
            assertFalse(s.request("GET", V2 + "/users/" + target, admin, null).json().get("deactivated").asBoolean());
            // The version is public in Synapse, too.
            assertTrue(s.request("GET", V1 + "/server_version", null, null).json().get("server_version").asText()
                    .startsWith("Amtsbote"));
        }
    }
}
