package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /devices shows when and from where each device was last active, without a write per request. */
@ParameterizedClass
@EnumSource(TestServer.Db.class)
class DeviceLastSeenTest {
    static TestServer s;

    @Parameter
    TestServer.Db db;

    @BeforeParameterizedClassInvocation
    static void start(TestServer.Db db) throws Exception {
        s = new TestServer(db);
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception { s.close(); }

    private static JsonNode device(String token, String deviceId) throws Exception {
        var r = s.request("GET", "/_matrix/client/v3/devices/" + deviceId, token, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static Long stored(String user, String deviceId) {
        return s.server().accounts().store().device(s.userId(user), deviceId).orElseThrow().lastSeenTs();
    }

    @Test
    void lastSeenIsShownAndFollowsActivity() throws Exception {
        String admin = s.userToken("carol");
        long beforeLogin = System.currentTimeMillis();
        String phone = s.login("carol"); // no display name: the old reader lost last_seen_ts then
        String phoneId = null;
        for (JsonNode x : s.request("GET", "/_matrix/client/v3/devices", admin, null).json().path("devices")) {
            String id = x.path("device_id").asText();
            if (!id.equals(s.request("GET", "/_matrix/client/v3/account/whoami", admin, null).json().get("device_id").asText())) {
                phoneId = id;
            }
        }

        JsonNode d = device(admin, phoneId);
        assertTrue(d.path("last_seen_ts").asLong(0) >= beforeLogin, "set at login: " + d);
        assertEquals("127.0.0.1", d.path("last_seen_ip").asText(), d.toString());
        for (JsonNode x : s.request("GET", "/_matrix/client/v3/devices", admin, null).json().path("devices")) {
            assertTrue(x.path("last_seen_ts").isIntegralNumber(), x.toString());
        }

        // The device's first activity is written through to the database.
        long beforeUse = System.currentTimeMillis();
        s.request("GET", "/_matrix/client/v3/account/whoami", phone, null);
        long deadline = System.currentTimeMillis() + 5000;
        while (stored("carol", phoneId) < beforeUse && System.currentTimeMillis() < deadline) Thread.sleep(20);
        long written = stored("carol", phoneId);
        assertTrue(written >= beforeUse, "activity reaches the database");

        // Within the minute, further requests are only kept in memory: no write per request.
        Thread.sleep(30);
        long beforeAgain = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) s.request("GET", "/_matrix/client/v3/account/whoami", phone, null);
        Thread.sleep(300);
        assertEquals(written, stored("carol", phoneId));
        assertTrue(device(admin, phoneId).path("last_seen_ts").asLong() >= beforeAgain);
    }
}
