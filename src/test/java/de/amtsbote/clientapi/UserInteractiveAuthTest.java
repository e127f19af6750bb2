package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A UIA session authorises exactly the request it was started for, and only with the caller's password. */
@ParameterizedClass
@EnumSource(TestServer.Db.class)
class UserInteractiveAuthTest {
    static TestServer s;

    @Parameter
    TestServer.Db db;

    @BeforeParameterizedClassInvocation
    static void start(TestServer.Db db) throws Exception {
        s = new TestServer(db);
        s.server().accounts().createUser("bob", "password-bob", false, null);
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception { s.close(); }

    private static String deviceOf(String token) throws Exception {
        return s.request("GET", "/_matrix/client/v3/account/whoami", token, null).json().get("device_id").asText();
    }

    private static boolean exists(String token, String deviceId) throws Exception {
        return s.request("GET", "/_matrix/client/v3/devices/" + deviceId, token, null).status() == 200;
    }

    private static ObjectNode auth(String session, String user, String password) {
        ObjectNode a = Json.object();
        a.put("type", "m.login.password");
        a.put("session", session);
        a.putObject("identifier").put("type", "m.id.user").put("user", user);
        a.put("password", password);
        return a;
    }

    @Test
    void sessionForOneDeviceCannotDeleteAnother() throws Exception {
        String main = s.userToken("alice1");
        String a = deviceOf(s.login("alice1"));
        String b = deviceOf(s.login("alice1"));
        var started = s.request("DELETE", "/_matrix/client/v3/devices/" + a, main, Json.object());
        assertEquals(401, started.status(), started.body());
        String session = started.json().get("session").asText();

        ObjectNode other = Json.object();
        other.set("auth", auth(session, "alice1", "password-alice1"));
        assertError(s.request("DELETE", "/_matrix/client/v3/devices/" + b, main, other), 403, "M_FORBIDDEN");
        assertTrue(exists(main, b), "device B survives");

        ObjectNode same = Json.object();
        same.set("auth", auth(session, "alice1", "password-alice1"));
        assertEquals(200, s.request("DELETE", "/_matrix/client/v3/devices/" + a, main, same).status());
        assertFalse(exists(main, a));
    }

    @Test
    void deleteDevicesSessionIsBoundToTheList() throws Exception {
        String main = s.userToken("alice2");
        String a = deviceOf(s.login("alice2"));
        String b = deviceOf(s.login("alice2"));
        String c = deviceOf(s.login("alice2"));
        ObjectNode first = Json.object();
        first.putArray("devices").add(a).add(c);
        var started = s.request("POST", "/_matrix/client/v3/delete_devices", main, first);
        assertEquals(401, started.status(), started.body());
        String session = started.json().get("session").asText();

        ObjectNode changed = Json.object();
        changed.putArray("devices").add(b);
        changed.set("auth", auth(session, "alice2", "password-alice2"));
        assertError(s.request("POST", "/_matrix/client/v3/delete_devices", main, changed), 403, "M_FORBIDDEN");
        assertTrue(exists(main, b));
        // The same session on another endpoint is refused, too.
        ObjectNode elsewhere = Json.object();
        elsewhere.set("auth", auth(session, "alice2", "password-alice2"));
        assertError(s.request("DELETE", "/_matrix/client/v3/devices/" + b, main, elsewhere), 403, "M_FORBIDDEN");

        // The same request (auth first this time: key order does not matter) goes through.
        ObjectNode again = Json.object();
        again.set("auth", auth(session, "alice2", "password-alice2"));
        again.putArray("devices").add(a).add(c);
        assertEquals(200, s.request("POST", "/_matrix/client/v3/delete_devices", main, again).status());
        assertFalse(exists(main, a));
        assertFalse(exists(main, c));
        assertTrue(exists(main, b));
    }

    @Test
    void passwordOfAnotherUserIsForbidden() throws Exception {
        String main = s.userToken("alice3");
        String a = deviceOf(s.login("alice3"));
        String session = s.request("DELETE", "/_matrix/client/v3/devices/" + a, main, Json.object()).json()
                .get("session").asText();
        for (String who : new String[] {"bob", "@bob:test.local"}) {
            for (String pw : new String[] {"wrong", "password-bob"}) {
                ObjectNode body = Json.object();
                body.set("auth", auth(session, who, pw));
                var r = s.request("DELETE", "/_matrix/client/v3/devices/" + a, main, body);
                assertError(r, 403, "M_FORBIDDEN");
                assertFalse(r.json().has("flows"), r.body());
            }
        }
        // A wrong own password is the ordinary 401 with the flows again.
        ObjectNode wrong = Json.object();
        wrong.set("auth", auth(session, "alice3", "wrong"));
        var r = s.request("DELETE", "/_matrix/client/v3/devices/" + a, main, wrong);
        assertError(r, 401, "M_FORBIDDEN");
        assertTrue(r.json().has("flows"), r.body());
        assertTrue(exists(main, a));
    }

    @Test
    void authFieldsOfTheWrongTypeAreBadJson() throws Exception {
        String main = s.userToken("alice4");
        String a = deviceOf(s.login("alice4"));
        String session = s.request("DELETE", "/_matrix/client/v3/devices/" + a, main, Json.object()).json()
                .get("session").asText();
        for (String auth : new String[] {
                "{\"type\":\"m.login.password\",\"session\":\"" + session + "\",\"user\":\"alice4\",\"password\":12345678}",
                "{\"type\":\"m.login.password\",\"session\":7,\"user\":\"alice4\",\"password\":\"password-alice4\"}",
                "{\"type\":[\"m.login.password\"],\"session\":\"" + session + "\"}",
                "{\"type\":\"m.login.password\",\"session\":\"" + session + "\",\"identifier\":\"alice4\",\"password\":\"x\"}",
                "\"password-alice4\""}) {
            assertError(s.requestRaw("DELETE", "/_matrix/client/v3/devices/" + a, main, "{\"auth\":" + auth + "}",
                    "application/json"), 400, "M_BAD_JSON");
        }
        assertError(s.requestRaw("POST", "/_matrix/client/v3/login", null,
                "{\"type\":\"m.login.password\",\"user\":\"alice4\",\"password\":5}", "application/json"), 400, "M_BAD_JSON");
        assertError(s.requestRaw("POST", "/_matrix/client/v3/login", null,
                "{\"type\":\"m.login.password\",\"identifier\":[],\"password\":\"x\"}", "application/json"), 400, "M_BAD_JSON");
        assertTrue(exists(main, a));
        // The typed reader still accepts the legacy top-level 'user' at login.
        assertEquals(200, s.requestRaw("POST", "/_matrix/client/v3/login", null,
                "{\"type\":\"m.login.password\",\"user\":\"alice4\",\"password\":\"password-alice4\"}",
                "application/json").status());
    }
}
