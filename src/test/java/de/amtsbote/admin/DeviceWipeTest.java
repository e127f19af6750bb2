package de.amtsbote.admin;

import static de.amtsbote.admin.SynapseUserAdminTest.enc;
import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Remote wipe: the device is deleted (keys too), its token answers 401 M_UNKNOWN_TOKEN with soft_logout false
 * and de.amtsbote.wiped true, and the wipe is confirmed by the device's next contact. Also Synapse's device API.
 */
class DeviceWipeTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void wipeDeletesDeviceAndIsConfirmedOnNextContact(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String ida = s.userToken("ida");
            String idaLaptop = s.login("ida");
            String idaId = s.userId("ida");
            String device = s.request("GET", "/_matrix/client/v3/account/whoami", ida, null).json().get("device_id").asText();
            var keys = Json.object();
            keys.putObject("one_time_keys").put("curve25519:AAAA", "key1");
            assertEquals(200, s.request("POST", "/_matrix/client/v3/keys/upload", ida, keys).status());
            String wipes = "/_amtsbote/admin/v1/users/" + enc(idaId) + "/wipes";
            String wipe = "/_amtsbote/admin/v1/users/" + enc(idaId) + "/devices/" + enc(device) + "/wipe";

            assertError(s.request("POST", wipe, idaLaptop, Json.object()), 403, "M_FORBIDDEN");
            var r = s.request("POST", wipe, admin, Json.object());
            assertEquals(200, r.status(), r.body());
            assertEquals("{}", r.body());
            JsonNode listed = s.request("GET", wipes, admin, null).json().get("wipes");
            assertEquals(1, listed.size());
            assertEquals(device, listed.get(0).get("device_id").asText());
            assertEquals(s.userId("admin"), listed.get(0).get("requested_by").asText());
            assertTrue(listed.get(0).get("requested_ts").asLong() > 0);
            assertTrue(listed.get(0).get("confirmed_ts").isNull());

            // The device is gone for the admin API too, and its one-time keys with it.
            assertError(s.request("GET", "/_synapse/admin/v2/users/" + enc(idaId) + "/devices/" + enc(device), admin, null),
                    404, "M_NOT_FOUND");
            var claim = Json.object();
            claim.putObject("one_time_keys").putObject(idaId).put(device, "signed_curve25519");
            assertFalse(s.request("POST", "/_matrix/client/v3/keys/claim", idaLaptop, claim).body().contains("key1"));

            // Next contact: the old token is told it was wiped, and the wipe is confirmed.
            var contact = s.request("GET", "/_matrix/client/v3/sync?timeout=0", ida, null);
            assertError(contact, 401, "M_UNKNOWN_TOKEN");
            assertFalse(contact.json().get("soft_logout").asBoolean());
            assertTrue(contact.json().get("de.amtsbote.wiped").asBoolean());
            long confirmed = s.request("GET", wipes, admin, null).json().get("wipes").get(0).get("confirmed_ts").asLong();
            assertTrue(confirmed >= listed.get(0).get("requested_ts").asLong());
            // Later contacts keep the flag but do not move the confirmation.
            assertTrue(s.request("GET", "/_matrix/client/v3/account/whoami", ida, null).json().get("de.amtsbote.wiped").asBoolean());
            assertEquals(confirmed, s.request("GET", wipes, admin, null).json().get("wipes").get(0).get("confirmed_ts").asLong());
            // An ordinary unknown token has no wipe flag; the other device still works.
            assertFalse(s.request("GET", "/_matrix/client/v3/account/whoami", "abt_unknown", null).json().has("de.amtsbote.wiped"));
            assertEquals(200, s.request("GET", "/_matrix/client/v3/account/whoami", idaLaptop, null).status());

            // A device that is not there: 404; a retried wipe does not record a second one.
            assertError(s.request("POST", wipe, admin, Json.object()), 404, "M_NOT_FOUND");
            assertEquals(1, s.request("GET", wipes, admin, null).json().get("wipes").size());
            assertError(s.request("GET", "/_amtsbote/admin/v1/users/" + enc("@nobody:test.local") + "/wipes", admin, null),
                    404, "M_NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void synapseDeviceApi(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String jan = s.userToken("jan");
            String second = s.login("jan");
            String third = s.login("jan");
            String janId = s.userId("jan");
            String devices = "/_synapse/admin/v2/users/" + enc(janId) + "/devices";
            JsonNode list = s.request("GET", devices, admin, null).json();
            assertEquals(3, list.get("total").asInt());
            JsonNode first = list.get("devices").get(0);
            assertEquals(janId, first.get("user_id").asText());
            assertEquals("127.0.0.1", first.get("last_seen_ip").asText());
            assertFalse(first.get("dehydrated").asBoolean());
            String d = first.get("device_id").asText();

            assertEquals(200, s.request("PUT", devices + "/" + enc(d), admin, Json.object().put("display_name", "Dienst-PC")).status());
            assertEquals("Dienst-PC", s.request("GET", devices + "/" + enc(d), admin, null).json().get("display_name").asText());
            assertError(s.request("PUT", devices + "/" + enc(d), admin, Json.object().put("display_name", "x".repeat(101))),
                    400, "M_TOO_LARGE");
            assertError(s.request("PUT", devices + "/NOPE", admin, Json.object().put("display_name", "x")), 404, "M_NOT_FOUND");

            String secondDevice = s.request("GET", "/_matrix/client/v3/account/whoami", second, null).json().get("device_id").asText();
            assertEquals(200, s.request("DELETE", devices + "/" + enc(secondDevice), admin, null).status());
            assertError(s.request("GET", "/_matrix/client/v3/account/whoami", second, null), 401, "M_UNKNOWN_TOKEN");
            assertEquals(200, s.request("DELETE", devices + "/" + enc(secondDevice), admin, null).status()); // retry: no-op

            String thirdDevice = s.request("GET", "/_matrix/client/v3/account/whoami", third, null).json().get("device_id").asText();
            var del = Json.object();
            del.putArray("devices").add(thirdDevice).add("UNKNOWN");
            assertEquals(200, s.request("POST", "/_synapse/admin/v2/users/" + enc(janId) + "/delete_devices", admin, del).status());
            assertError(s.request("GET", "/_matrix/client/v3/account/whoami", third, null), 401, "M_UNKNOWN_TOKEN");
            assertEquals(200, s.request("GET", "/_matrix/client/v3/account/whoami", jan, null).status());
            assertEquals(1, s.request("GET", devices, admin, null).json().get("total").asInt());
            assertError(s.request("POST", "/_synapse/admin/v2/users/" + enc(janId) + "/delete_devices", admin, Json.object()),
                    400, "M_MISSING_PARAM");
        }
    }
}
