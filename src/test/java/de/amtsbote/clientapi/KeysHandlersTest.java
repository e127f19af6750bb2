package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** /keys/upload, /keys/query, /keys/claim and device deletion, over HTTP on both databases. */
@ParameterizedClass
@EnumSource(TestServer.Db.class)
class KeysHandlersTest {
    static final String V3 = "/_matrix/client/v3";
    static TestServer s;

    @Parameter
    TestServer.Db db;

    @BeforeParameterizedClassInvocation
    static void start(TestServer.Db db) throws Exception { s = new TestServer(db); }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception { s.close(); }

    static String deviceOf(TestServer s, String token) throws Exception {
        return s.request("GET", V3 + "/account/whoami", token, null).json().get("device_id").asText();
    }

    /** Signed device_keys for the device, as a client makes them. */
    static ObjectNode deviceKeys(String userId, String deviceId, TestSigningKey key) throws Exception {
        ObjectNode dk = Json.object();
        dk.put("user_id", userId);
        dk.put("device_id", deviceId);
        dk.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        dk.putObject("keys").put("curve25519:" + deviceId, "Y3VydmUyNTUxOWtleWN1cnZlMjU1MTlrZXljdXJ2ZQ")
                .put("ed25519:" + deviceId, key.publicKey);
        return key.sign(dk, userId, "ed25519:" + deviceId);
    }

    static ObjectNode otks(String prefix, int n) {
        ObjectNode o = Json.object();
        for (int i = 0; i < n; i++) {
            o.putObject("signed_curve25519:" + prefix + i).put("key", "otk-" + prefix + i).putObject("signatures");
        }
        return o;
    }

    static ObjectNode claimBody(String userId, String deviceId) {
        ObjectNode body = Json.object();
        body.putObject("one_time_keys").putObject(userId).put(deviceId, "signed_curve25519");
        return body;
    }

    /** The one claimed key object for the device ("algorithm:id" -> key), or null. */
    static JsonNode claimOne(String token, String userId, String deviceId) throws Exception {
        var r = s.request("POST", V3 + "/keys/claim", token, claimBody(userId, deviceId));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().get("failures").isObject());
        JsonNode keys = r.json().path("one_time_keys").path(userId).path(deviceId);
        return keys.isMissingNode() ? null : keys;
    }

    static ObjectNode query(String userId) {
        ObjectNode q = Json.object();
        q.putObject("device_keys").putArray(userId);
        return q;
    }

    @Test
    void uploadThenQueryShowsSignedKeysWithDisplayName() throws Exception {
        String alice = s.userToken("upq");
        String bob = s.userToken("upq-bob");
        String dev = deviceOf(s, alice);
        s.request("PUT", V3 + "/devices/" + dev, alice, Json.object().put("display_name", "Laptop"));
        TestSigningKey key = new TestSigningKey();
        ObjectNode body = Json.object();
        body.set("device_keys", deviceKeys(s.userId("upq"), dev, key));
        body.set("one_time_keys", otks("a", 3));
        var r = s.request("POST", V3 + "/keys/upload", alice, body);
        assertEquals(200, r.status(), r.body());
        assertEquals(3, r.json().path("one_time_key_counts").path("signed_curve25519").asInt());

        var q = s.request("POST", V3 + "/keys/query", bob, query(s.userId("upq")));
        assertEquals(200, q.status(), q.body());
        JsonNode d = q.json().path("device_keys").path(s.userId("upq")).path(dev);
        assertEquals(key.publicKey, d.path("keys").path("ed25519:" + dev).asText());
        assertEquals("Laptop", d.path("unsigned").path("device_display_name").asText());
        assertTrue(d.path("signatures").path(s.userId("upq")).has("ed25519:" + dev));
        assertTrue(q.json().get("failures").isObject());

        // Only the listed devices; an unknown device gives an empty map.
        ObjectNode only = Json.object();
        only.putObject("device_keys").putArray(s.userId("upq")).add("NOSUCHDEV");
        var none = s.request("POST", V3 + "/keys/query", bob, only);
        assertEquals(0, none.json().path("device_keys").path(s.userId("upq")).size(), none.body());

        // The same upload again is a retry: 200 and nothing counted twice.
        var again = s.request("POST", V3 + "/keys/upload", alice, body);
        assertEquals(200, again.status(), again.body());
        assertEquals(3, again.json().path("one_time_key_counts").path("signed_curve25519").asInt());
    }

    @Test
    void badDeviceKeysAreRefused() throws Exception {
        String alice = s.userToken("bad");
        String dev = deviceOf(s, alice);
        String me = s.userId("bad");
        TestSigningKey key = new TestSigningKey();
        ObjectNode body = Json.object();

        body.set("device_keys", deviceKeys(s.userId("someone"), dev, key));
        assertError(s.request("POST", V3 + "/keys/upload", alice, body), 400, "M_INVALID_PARAM");
        body.set("device_keys", deviceKeys(me, "OTHERDEV", key));
        assertError(s.request("POST", V3 + "/keys/upload", alice, body), 400, "M_INVALID_PARAM");

        ObjectNode forged = deviceKeys(me, dev, key);
        ((ObjectNode) forged.get("keys")).put("curve25519:" + dev, "c29tZXRoaW5nZWxzZXNvbWV0aGluZ2Vsc2Vzb21ldGg");
        body.set("device_keys", forged);
        assertError(s.request("POST", V3 + "/keys/upload", alice, body), 400, "M_INVALID_SIGNATURE");

        ObjectNode unsigned = deviceKeys(me, dev, key);
        unsigned.remove("signatures");
        body.set("device_keys", unsigned);
        assertError(s.request("POST", V3 + "/keys/upload", alice, body), 400, "M_BAD_JSON");

        ObjectNode signedByOther = deviceKeys(me, dev, key);
        signedByOther.remove("signatures");
        new TestSigningKey().sign(signedByOther, me, "ed25519:" + dev);
        body.set("device_keys", signedByOther);
        assertError(s.request("POST", V3 + "/keys/upload", alice, body), 400, "M_INVALID_SIGNATURE");

        assertError(s.requestRaw("POST", V3 + "/keys/upload", alice, "{\"device_keys\": 5}", "application/json"),
                400, "M_BAD_JSON");
        assertError(s.requestRaw("POST", V3 + "/keys/upload", alice, "{\"one_time_keys\": {\"x:1\": 1.5}}",
                "application/json"), 400, "M_BAD_JSON");
        assertError(s.requestRaw("POST", V3 + "/keys/upload", alice, "{\"one_time_keys\": {\"noalgorithm\": \"k\"}}",
                "application/json"), 400, "M_INVALID_PARAM");
        assertError(s.requestRaw("POST", V3 + "/keys/upload", alice, "[]", "application/json"), 400, "M_BAD_JSON");
        assertError(s.requestRaw("POST", V3 + "/keys/query", alice, "{\"device_keys\": {\"@a:test.local\": 3}}",
                "application/json"), 400, "M_BAD_JSON");
        assertError(s.requestRaw("POST", V3 + "/keys/claim", alice, "{}", "application/json"), 400, "M_BAD_JSON");
        assertError(s.requestRaw("POST", V3 + "/keys/claim", alice, "{\"one_time_keys\": {\"@a:test.local\": {\"D\": 1}}}",
                "application/json"), 400, "M_BAD_JSON");
        assertEquals(401, s.request("POST", V3 + "/keys/query", null, query(me)).status());

        // Nothing of the refused uploads was stored; then valid keys, which may not be swapped for others.
        var q = s.request("POST", V3 + "/keys/query", alice, query(me));
        assertEquals(0, q.json().path("device_keys").path(me).size(), q.body());
        body.set("device_keys", deviceKeys(me, dev, key));
        assertEquals(200, s.request("POST", V3 + "/keys/upload", alice, body).status());
        body.set("device_keys", deviceKeys(me, dev, new TestSigningKey()));
        assertError(s.request("POST", V3 + "/keys/upload", alice, body), 400, "M_INVALID_PARAM");
        q = s.request("POST", V3 + "/keys/query", alice, query(me));
        assertEquals(key.publicKey, q.json().path("device_keys").path(me).path(dev).path("keys").path("ed25519:" + dev).asText());
    }

    @Test
    void oneTimeKeyIdCannotBeReusedWithAnotherValue() throws Exception {
        String alice = s.userToken("otkid");
        ObjectNode body = Json.object();
        body.set("one_time_keys", otks("x", 1));
        assertEquals(200, s.request("POST", V3 + "/keys/upload", alice, body).status());
        ObjectNode other = Json.object();
        other.putObject("one_time_keys").putObject("signed_curve25519:x0").put("key", "different").putObject("signatures");
        assertError(s.request("POST", V3 + "/keys/upload", alice, other), 400, "M_INVALID_PARAM");
        ObjectNode twoFallbacks = Json.object();
        twoFallbacks.putObject("fallback_keys").put("signed_curve25519:f1", "a").put("signed_curve25519:f2", "b");
        assertError(s.request("POST", V3 + "/keys/upload", alice, twoFallbacks), 400, "M_INVALID_PARAM");
    }

    @Test
    void aDeviceHoldsAtMostTenThousandOneTimeKeys() throws Exception {
        String alice = s.userToken("cap");
        ObjectNode many = Json.object();
        ObjectNode keys = many.putObject("one_time_keys");
        for (int i = 0; i < 9_999; i++) keys.put("curve25519:" + i, "k" + i);
        var r = s.request("POST", V3 + "/keys/upload", alice, many);
        assertEquals(9_999, r.json().path("one_time_key_counts").path("curve25519").asInt(), r.body());
        ObjectNode two = Json.object();
        two.putObject("one_time_keys").put("curve25519:a", "a").put("curve25519:b", "b");
        assertError(s.request("POST", V3 + "/keys/upload", alice, two), 400, "M_INVALID_PARAM");
        ObjectNode one = Json.object();
        one.putObject("one_time_keys").put("curve25519:a", "a");
        assertEquals(10_000, s.request("POST", V3 + "/keys/upload", alice, one).json().path("one_time_key_counts")
                .path("curve25519").asInt());
    }

    @Test
    void claimGivesEachOneTimeKeyOnceThenTheFallbackKey() throws Exception {
        String alice = s.userToken("claim");
        String bob = s.userToken("claim-bob");
        String dev = deviceOf(s, alice);
        String me = s.userId("claim");
        ObjectNode body = Json.object();
        body.set("one_time_keys", otks("c", 2));
        body.putObject("fallback_keys").putObject("signed_curve25519:fb").put("key", "fallback").put("fallback", true)
                .putObject("signatures");
        assertEquals(200, s.request("POST", V3 + "/keys/upload", alice, body).status());
        assertEquals(List.of("signed_curve25519"), s.server().stores().keys().unusedFallbackKeyTypes(me, dev));

        JsonNode first = claimOne(bob, me, dev);
        JsonNode second = claimOne(bob, me, dev);
        assertTrue(first.fieldNames().next().startsWith("signed_curve25519:c"), first.toString());
        assertTrue(second.fieldNames().next().startsWith("signed_curve25519:c"), second.toString());
        assertNotEquals(first.fieldNames().next(), second.fieldNames().next());
        assertTrue(s.server().stores().keys().oneTimeKeyCounts(me, dev).isEmpty());

        // Exhausted: the fallback key, as often as asked, now marked used.
        for (int i = 0; i < 2; i++) {
            JsonNode fb = claimOne(bob, me, dev);
            assertEquals("fallback", fb.path("signed_curve25519:fb").path("key").asText(), String.valueOf(fb));
        }
        assertEquals(List.of(), s.server().stores().keys().unusedFallbackKeyTypes(me, dev));
        // A new fallback key is unused again; re-uploading the same one keeps it used.
        ObjectNode same = Json.object();
        same.set("fallback_keys", body.get("fallback_keys"));
        s.request("POST", V3 + "/keys/upload", alice, same);
        assertEquals(List.of(), s.server().stores().keys().unusedFallbackKeyTypes(me, dev));
        ObjectNode fresh = Json.object();
        fresh.putObject("fallback_keys").putObject("signed_curve25519:fb2").put("key", "fallback2").put("fallback", true);
        s.request("POST", V3 + "/keys/upload", alice, fresh);
        assertEquals(List.of("signed_curve25519"), s.server().stores().keys().unusedFallbackKeyTypes(me, dev));

        // Unknown devices and users are simply absent.
        assertEquals(null, claimOne(bob, me, "NODEVICE"));
        assertEquals(null, claimOne(bob, "@nobody:test.local", "X"));
    }

    @Test
    void concurrentClaimsNeverHandOutTheSameKey() throws Exception {
        String alice = s.userToken("conc");
        String bob = s.userToken("conc-bob");
        String dev = deviceOf(s, alice);
        String me = s.userId("conc");
        ObjectNode body = Json.object();
        body.set("one_time_keys", otks("k", 15));
        assertEquals(200, s.request("POST", V3 + "/keys/upload", alice, body).status());
        List<CompletableFuture<JsonNode>> claims = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(claimOne(bob, me, dev));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            claims.add(f);
        }
        Set<String> seen = new HashSet<>();
        int got = 0;
        for (CompletableFuture<JsonNode> f : claims) {
            JsonNode k = f.get();
            if (k == null) continue;
            got++;
            assertTrue(seen.add(k.fieldNames().next()), "handed out twice: " + k);
        }
        assertEquals(15, got);
        assertEquals(15, seen.size());
    }

    @Test
    void deletingADeviceRemovesItsKeys() throws Exception {
        String main = s.userToken("del");
        String me = s.userId("del");
        String bob = s.userToken("del-bob");
        List<String> devices = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String t = s.login("del");
            String dev = deviceOf(s, t);
            ObjectNode body = Json.object();
            body.set("device_keys", deviceKeys(me, dev, new TestSigningKey()));
            body.set("one_time_keys", otks("d", 2));
            body.putObject("fallback_keys").put("signed_curve25519:f", "fb");
            assertEquals(200, s.request("POST", V3 + "/keys/upload", t, body).status());
            devices.add(dev);
            tokens.add(t);
        }
        assertEquals(3, s.request("POST", V3 + "/keys/query", bob, query(me)).json().path("device_keys").path(me).size());

        // DELETE /devices/{id} with UIA.
        String session = s.request("DELETE", V3 + "/devices/" + devices.get(0), main, Json.object()).json()
                .get("session").asText();
        ObjectNode auth = Json.object();
        auth.putObject("auth").put("type", "m.login.password").put("session", session).put("password", "password-del")
                .putObject("identifier").put("type", "m.id.user").put("user", "del");
        assertEquals(200, s.request("DELETE", V3 + "/devices/" + devices.get(0), main, auth).status());
        // Logout.
        assertEquals(200, s.request("POST", V3 + "/logout", tokens.get(1), Json.object()).status());

        JsonNode left = s.request("POST", V3 + "/keys/query", bob, query(me)).json().path("device_keys").path(me);
        assertEquals(Set.of(devices.get(2)), fieldSet(left));
        for (int i = 0; i < 2; i++) {
            assertEquals(null, claimOne(bob, me, devices.get(i)), "no one-time or fallback key of a deleted device");
            assertTrue(s.server().stores().keys().deviceKeys(me, devices.get(i)).isEmpty());
        }
        assertTrue(claimOne(bob, me, devices.get(2)) != null);
        assertFalse(s.server().stores().keys().changedUsersBetween(0, Long.MAX_VALUE).isEmpty());
    }

    @Test
    void malformedBodiesGetMatrixErrorsNever500() throws Exception {
        String alice = s.userToken("fuzz");
        String me = s.userId("fuzz");
        String[] bodies = {
            "{}", "[]", "\"x\"", "{\"device_keys\": null}", "{\"device_keys\": {}}", "{\"device_keys\": {\"user_id\": 1}}",
            "{\"device_keys\": {\"user_id\": \"" + me + "\", \"device_id\": \"X\", \"algorithms\": [1], \"keys\": []}}",
            "{\"one_time_keys\": []}", "{\"one_time_keys\": {\"a:b\": {\"key\": 1}}}", "{\"fallback_keys\": \"x\"}",
            "{\"one_time_keys\": {\"a:b\": {\"key\": \"k\", \"signatures\": 3}}}", "{\"timeout\": 1e400}",
            "{\"timeout\": 99999999999999999999999}", "{\"device_keys\": {\"" + me + "\": [\"a\", 1]}}",
            "{\"one_time_keys\": {\"" + me + "\": []}}", "{\"one_time_keys\": {\"" + me + "\": {\"D\": null}}}",
            "{\"master_key\": {\"user_id\": \"" + me + "\", \"usage\": \"master\", \"keys\": {}}}",
            "{\"master_key\": {\"user_id\": \"" + me + "\", \"usage\": [\"master\"], \"keys\": {\"ed25519:a\": 1}}}",
            "{\"master_key\": {\"user_id\": \"" + me + "\", \"usage\": [\"master\"], \"keys\": {\"ed25519:!!\": \"!!\"}}}",
            "{\"" + me + "\": {\"k\": {\"signatures\": 5}}}", "{\"" + me + "\": {\"k\": 5}}", "{\"" + me + "\": []}",
            "{\"@x:elsewhere\": {\"k\": {}}}",
        };
        for (String path : List.of("/keys/upload", "/keys/query", "/keys/claim", "/keys/device_signing/upload",
                "/keys/signatures/upload")) {
            for (String body : bodies) {
                var r = s.requestRaw("POST", V3 + path, alice, body, "application/json");
                assertTrue(r.status() < 500, path + " " + body + " -> " + r.status() + " " + r.body());
                if (r.status() >= 400 && r.status() != 401) {
                    assertTrue(r.errcode() != null && r.errcode().startsWith("M_"), path + " " + body + " -> " + r.body());
                }
            }
        }
    }

    static Set<String> fieldSet(JsonNode o) {
        Set<String> out = new HashSet<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
