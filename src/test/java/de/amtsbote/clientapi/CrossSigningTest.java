package de.amtsbote.clientapi;

import static de.amtsbote.clientapi.KeysHandlersTest.V3;
import static de.amtsbote.clientapi.KeysHandlersTest.deviceKeys;
import static de.amtsbote.clientapi.KeysHandlersTest.deviceOf;
import static de.amtsbote.clientapi.KeysHandlersTest.query;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** /keys/device_signing/upload (UIA on replacing) and /keys/signatures/upload, with real Ed25519 keys. */
@ParameterizedClass
@EnumSource(TestServer.Db.class)
class CrossSigningTest {
    static TestServer s;

    @Parameter
    TestServer.Db db;

    @BeforeParameterizedClassInvocation
    static void start(TestServer.Db db) throws Exception { s = new TestServer(db); }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception { s.close(); }

    /** A user's three cross-signing keys, the second and third signed by the first. */
    record Keys(String userId, TestSigningKey master, TestSigningKey selfSigning, TestSigningKey userSigning) {
        static Keys create(String userId) throws Exception {
            return new Keys(userId, new TestSigningKey(), new TestSigningKey(), new TestSigningKey());
        }

        ObjectNode json(String type, TestSigningKey key, TestSigningKey signer) throws Exception {
            ObjectNode k = Json.object();
            k.put("user_id", userId);
            k.putArray("usage").add(type);
            k.putObject("keys").put("ed25519:" + key.publicKey, key.publicKey);
            return signer == null ? k : signer.sign(k, userId, "ed25519:" + signer.publicKey);
        }

        ObjectNode upload() throws Exception {
            ObjectNode body = Json.object();
            body.set("master_key", json("master", master, null));
            body.set("self_signing_key", json("self_signing", selfSigning, master));
            body.set("user_signing_key", json("user_signing", userSigning, master));
            return body;
        }
    }

    static ObjectNode withAuth(ObjectNode body, String session, String localpart) {
        ObjectNode b = body.deepCopy();
        b.putObject("auth").put("type", "m.login.password").put("session", session).put("password", "password-" + localpart)
                .putObject("identifier").put("type", "m.id.user").put("user", localpart);
        return b;
    }

    @Test
    void firstUploadNeedsNoAuthReplacingDoes() throws Exception {
        String alice = s.userToken("xs");
        String bob = s.userToken("xs-bob");
        String me = s.userId("xs");
        Keys keys = Keys.create(me);
        ObjectNode upload = keys.upload();
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", alice, upload).status());
        // The same keys again (a lost response retried) pass without UIA.
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", alice, upload).status());

        JsonNode own = s.request("POST", V3 + "/keys/query", alice, query(me)).json();
        assertEquals(keys.master().publicKey, pub(own.path("master_keys").path(me)));
        assertEquals(keys.selfSigning().publicKey, pub(own.path("self_signing_keys").path(me)));
        assertEquals(keys.userSigning().publicKey, pub(own.path("user_signing_keys").path(me)));
        JsonNode theirs = s.request("POST", V3 + "/keys/query", bob, query(me)).json();
        assertEquals(keys.master().publicKey, pub(theirs.path("master_keys").path(me)));
        assertEquals(keys.selfSigning().publicKey, pub(theirs.path("self_signing_keys").path(me)));
        assertFalse(theirs.path("user_signing_keys").has(me), "a user-signing key is only for its owner");

        // Replacing needs the password.
        Keys replacement = Keys.create(me);
        var challenge = s.request("POST", V3 + "/keys/device_signing/upload", alice, replacement.upload());
        assertEquals(401, challenge.status(), challenge.body());
        assertTrue(challenge.json().has("flows"));
        assertEquals(keys.master().publicKey,
                pub(s.request("POST", V3 + "/keys/query", bob, query(me)).json().path("master_keys").path(me)));
        // Only a new self-signing key, still signed by the stored master key: also a replacement.
        ObjectNode sskOnly = Json.object();
        sskOnly.set("self_signing_key", keys.json("self_signing", new TestSigningKey(), keys.master()));
        assertEquals(401, s.request("POST", V3 + "/keys/device_signing/upload", alice, sskOnly).status());

        String session = challenge.json().get("session").asText();
        var done = s.request("POST", V3 + "/keys/device_signing/upload", alice, withAuth(replacement.upload(), session, "xs"));
        assertEquals(200, done.status(), done.body());
        assertEquals(replacement.master().publicKey,
                pub(s.request("POST", V3 + "/keys/query", bob, query(me)).json().path("master_keys").path(me)));
    }

    @Test
    void badCrossSigningUploadsAreRefused() throws Exception {
        String alice = s.userToken("xsbad");
        String me = s.userId("xsbad");
        Keys keys = Keys.create(me);

        ObjectNode noMaster = keys.upload();
        noMaster.remove("master_key");
        assertError(s.request("POST", V3 + "/keys/device_signing/upload", alice, noMaster), 400, "M_MISSING_PARAM");

        ObjectNode badSig = keys.upload();
        badSig.set("self_signing_key", keys.json("self_signing", keys.selfSigning(), new TestSigningKey()));
        assertError(s.request("POST", V3 + "/keys/device_signing/upload", alice, badSig), 400, "M_INVALID_SIGNATURE");

        ObjectNode unsignedUsk = keys.upload();
        unsignedUsk.set("user_signing_key", keys.json("user_signing", keys.userSigning(), null));
        assertError(s.request("POST", V3 + "/keys/device_signing/upload", alice, unsignedUsk), 400, "M_INVALID_SIGNATURE");

        ObjectNode otherUser = keys.upload();
        ((ObjectNode) otherUser.get("master_key")).put("user_id", "@mallory:test.local");
        assertError(s.request("POST", V3 + "/keys/device_signing/upload", alice, otherUser), 400, "M_INVALID_PARAM");

        ObjectNode wrongUsage = keys.upload();
        wrongUsage.set("master_key", keys.json("self_signing", keys.master(), null));
        assertError(s.request("POST", V3 + "/keys/device_signing/upload", alice, wrongUsage), 400, "M_INVALID_PARAM");

        ObjectNode twoKeys = keys.upload();
        ((ObjectNode) twoKeys.get("master_key").get("keys")).put("ed25519:other", "other");
        assertError(s.request("POST", V3 + "/keys/device_signing/upload", alice, twoKeys), 400, "M_INVALID_PARAM");

        assertError(s.requestRaw("POST", V3 + "/keys/device_signing/upload", alice, "{\"master_key\": []}",
                "application/json"), 400, "M_BAD_JSON");
        // Nothing was stored by the refused uploads: the first valid upload still needs no UIA.
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", alice, keys.upload()).status());
    }

    @Test
    void concurrentFirstUploadsCannotAllSkipAuth() throws Exception {
        String alice = s.userToken("xsrace");
        String me = s.userId("xsrace");
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ObjectNode body = Keys.create(me).upload();
            CompletableFuture<Integer> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(s.request("POST", V3 + "/keys/device_signing/upload", alice, body).status());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            results.add(f);
        }
        int ok = 0;
        for (CompletableFuture<Integer> f : results) {
            int status = f.get();
            if (status == 200) ok++;
            else assertEquals(401, status, "the others need UIA: a master key exists by then");
        }
        assertEquals(1, ok, "only one set of keys went in without UIA");
    }

    @Test
    void aKeyMayNotHaveTheIdOfADevice() throws Exception {
        String alice = s.userToken("xsdev");
        Keys keys = Keys.create(s.userId("xsdev"));
        ObjectNode login = Json.object();
        login.put("type", "m.login.password").put("password", "password-xsdev").put("device_id", keys.master().publicKey)
                .putObject("identifier").put("type", "m.id.user").put("user", "xsdev");
        assertEquals(200, s.request("POST", V3 + "/login", null, login).status());
        assertError(s.request("POST", V3 + "/keys/device_signing/upload", alice, keys.upload()), 403, "M_FORBIDDEN");
    }

    @Test
    void signaturesAreVerifiedStoredAndShown() throws Exception {
        String alice = s.userToken("sig");
        String bob = s.userToken("sig-bob");
        String me = s.userId("sig");
        String bobId = s.userId("sig-bob");
        String dev = deviceOf(s, alice);
        TestSigningKey deviceKey = new TestSigningKey();
        ObjectNode up = Json.object();
        up.set("device_keys", deviceKeys(me, dev, deviceKey));
        assertEquals(200, s.request("POST", V3 + "/keys/upload", alice, up).status());
        Keys aliceKeys = Keys.create(me);
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", alice, aliceKeys.upload()).status());
        Keys bobKeys = Keys.create(bobId);
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", bob, bobKeys.upload()).status());

        // Alice's self-signing key signs her device; her device signs her master key.
        JsonNode q = s.request("POST", V3 + "/keys/query", alice, query(me)).json();
        ObjectNode device = (ObjectNode) q.path("device_keys").path(me).path(dev).deepCopy();
        device.remove("unsigned");
        aliceKeys.selfSigning().sign(device, me, "ed25519:" + aliceKeys.selfSigning().publicKey);
        ObjectNode master = (ObjectNode) q.path("master_keys").path(me).deepCopy();
        deviceKey.sign(master, me, "ed25519:" + dev);
        ObjectNode body = Json.object();
        body.putObject(me).<ObjectNode>set(dev, device).set(aliceKeys.master().publicKey, master);
        var r = s.request("POST", V3 + "/keys/signatures/upload", alice, body);
        assertEquals(200, r.status(), r.body());
        assertEquals(0, r.json().path("failures").size(), r.body());
        JsonNode seen = s.request("POST", V3 + "/keys/query", bob, query(me)).json();
        assertTrue(seen.path("device_keys").path(me).path(dev).path("signatures").path(me)
                .has("ed25519:" + aliceKeys.selfSigning().publicKey), seen.toString());
        assertTrue(seen.path("master_keys").path(me).path("signatures").path(me).has("ed25519:" + dev), seen.toString());
        // A retry, and the queried device sent back with a signature by some other key of Alice's: both fine.
        assertEquals(0, s.request("POST", V3 + "/keys/signatures/upload", alice, body).json().path("failures").size());
        ObjectNode echoed = (ObjectNode) seen.path("device_keys").path(me).path(dev).deepCopy();
        new TestSigningKey().sign(echoed, me, "ed25519:retiredselfsigningkey");
        ObjectNode echo = Json.object();
        echo.putObject(me).set(dev, echoed);
        var re = s.request("POST", V3 + "/keys/signatures/upload", alice, echo);
        assertEquals(0, re.json().path("failures").size(), re.body());
        // Only the device's own self-signature: nothing a cross-signing key signed, so it is refused.
        ObjectNode bare = (ObjectNode) q.path("device_keys").path(me).path(dev).deepCopy();
        ObjectNode bareBody = Json.object();
        bareBody.putObject(me).set(dev, bare);
        assertEquals("M_INVALID_SIGNATURE", s.request("POST", V3 + "/keys/signatures/upload", alice, bareBody).json()
                .path("failures").path(me).path(dev).path("errcode").asText());

        // Bob's user-signing key signs Alice's master key: only Bob sees that signature.
        ObjectNode aliceMaster = aliceKeys.json("master", aliceKeys.master(), null);
        bobKeys.userSigning().sign(aliceMaster, bobId, "ed25519:" + bobKeys.userSigning().publicKey);
        ObjectNode bobBody = Json.object();
        bobBody.putObject(me).set(aliceKeys.master().publicKey, aliceMaster);
        var rb = s.request("POST", V3 + "/keys/signatures/upload", bob, bobBody);
        assertEquals(0, rb.json().path("failures").size(), rb.body());
        assertTrue(s.request("POST", V3 + "/keys/query", bob, query(me)).json().path("master_keys").path(me)
                .path("signatures").path(bobId).has("ed25519:" + bobKeys.userSigning().publicKey));
        assertFalse(s.request("POST", V3 + "/keys/query", alice, query(me)).json().path("master_keys").path(me)
                .path("signatures").has(bobId));
    }

    @Test
    void signingAnotherUsersMasterKeyMakesTheSignerRefetchThem() throws Exception {
        // Without this the signer's clients never re-query the signed user, so an emoji verification never shows
        // that user as verified (matrix-js-sdk only learns the new signature from /keys/query).
        String alice = s.userToken("sigchg");
        String bob = s.userToken("sigchg-bob");
        String me = s.userId("sigchg");
        String bobId = s.userId("sigchg-bob");
        ObjectNode create = Json.object();
        create.putArray("invite").add(bobId);
        String roomId = s.request("POST", V3 + "/createRoom", alice, create).json().get("room_id").asText();
        String room = java.net.URLEncoder.encode(roomId, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(200, s.request("POST", V3 + "/join/" + room, bob, Json.object()).status());
        Keys aliceKeys = Keys.create(me);
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", alice, aliceKeys.upload()).status());
        Keys bobKeys = Keys.create(bobId);
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", bob, bobKeys.upload()).status());
        String t0 = s.request("GET", V3 + "/sync?timeout=0", bob, null).json().get("next_batch").asText();

        ObjectNode aliceMaster = aliceKeys.json("master", aliceKeys.master(), null);
        bobKeys.userSigning().sign(aliceMaster, bobId, "ed25519:" + bobKeys.userSigning().publicKey);
        ObjectNode body = Json.object();
        body.putObject(me).set(aliceKeys.master().publicKey, aliceMaster);
        assertEquals(0, s.request("POST", V3 + "/keys/signatures/upload", bob, body).json().path("failures").size());

        String t1 = s.request("GET", V3 + "/sync?timeout=0", bob, null).json().get("next_batch").asText();
        JsonNode c = s.request("GET", V3 + "/keys/changes?from=" + t0 + "&to=" + t1, bob, null).json();
        List<String> changed = new ArrayList<>();
        c.path("changed").forEach(n -> changed.add(n.asText()));
        assertTrue(changed.contains(me), c.toString());
    }

    @Test
    void badSignaturesAreReportedPerKey() throws Exception {
        String alice = s.userToken("sigbad");
        String bob = s.userToken("sigbad-bob");
        String me = s.userId("sigbad");
        String bobId = s.userId("sigbad-bob");
        String dev = deviceOf(s, alice);
        up(alice, deviceKeys(me, dev, new TestSigningKey()));
        Keys aliceKeys = Keys.create(me);
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", alice, aliceKeys.upload()).status());
        Keys bobKeys = Keys.create(bobId);
        assertEquals(200, s.request("POST", V3 + "/keys/device_signing/upload", bob, bobKeys.upload()).status());
        ObjectNode device = (ObjectNode) s.request("POST", V3 + "/keys/query", alice, query(me)).json()
                .path("device_keys").path(me).path(dev).deepCopy();

        ObjectNode body = Json.object();
        ObjectNode mine = body.putObject(me);
        // Signed by a key that is not Alice's self-signing key.
        ObjectNode forged = new TestSigningKey().sign(device.deepCopy(), me, "ed25519:" + aliceKeys.selfSigning().publicKey);
        mine.set(dev, forged);
        // A device that does not exist.
        mine.set("NODEVICE", aliceKeys.selfSigning().sign(device.deepCopy(), me, "ed25519:" + aliceKeys.selfSigning().publicKey));
        // Bob's master key signed by Alice's self-signing key (only her user-signing key may).
        ObjectNode bobMaster = bobKeys.json("master", bobKeys.master(), null);
        aliceKeys.selfSigning().sign(bobMaster, me, "ed25519:" + aliceKeys.selfSigning().publicKey);
        body.putObject(bobId).set(bobKeys.master().publicKey, bobMaster);
        // A changed object, validly signed: it is not the stored key.
        ObjectNode changedMaster = aliceKeys.json("master", aliceKeys.master(), null);
        changedMaster.putArray("usage").add("master").add("something");
        aliceKeys.selfSigning().sign(changedMaster, me, "ed25519:" + aliceKeys.selfSigning().publicKey);
        mine.set(aliceKeys.master().publicKey, changedMaster);
        // Another user's key id that is not their master key.
        ObjectNode notMaster = bobKeys.json("self_signing", bobKeys.selfSigning(), bobKeys.master());
        ((ObjectNode) body.get(bobId)).set(bobKeys.selfSigning().publicKey, notMaster);

        var r = s.request("POST", V3 + "/keys/signatures/upload", alice, body);
        assertEquals(200, r.status(), r.body());
        JsonNode f = r.json().path("failures");
        assertEquals("M_INVALID_SIGNATURE", f.path(me).path(dev).path("errcode").asText(), r.body());
        assertEquals("M_NOT_FOUND", f.path(me).path("NODEVICE").path("errcode").asText(), r.body());
        assertEquals("M_INVALID_SIGNATURE", f.path(bobId).path(bobKeys.master().publicKey).path("errcode").asText(), r.body());
        assertEquals("M_INVALID_SIGNATURE", f.path(me).path(aliceKeys.master().publicKey).path("errcode").asText(), r.body());
        assertEquals("M_NOT_FOUND", f.path(bobId).path(bobKeys.selfSigning().publicKey).path("errcode").asText(), r.body());
        // Nothing of it shows up.
        JsonNode q = s.request("POST", V3 + "/keys/query", alice, query(me)).json();
        assertFalse(q.path("device_keys").path(me).path(dev).path("signatures").path(me)
                .has("ed25519:" + aliceKeys.selfSigning().publicKey), q.toString());

        assertError(s.requestRaw("POST", V3 + "/keys/signatures/upload", alice, "{\"" + me + "\": 1}", "application/json"),
                400, "M_BAD_JSON");
    }

    private static void up(String token, ObjectNode deviceKeys) throws Exception {
        ObjectNode body = Json.object();
        body.set("device_keys", deviceKeys);
        assertEquals(200, s.request("POST", V3 + "/keys/upload", token, body).status());
    }

    private static String pub(JsonNode key) {
        return key.path("keys").fieldNames().hasNext()
                ? key.path("keys").fields().next().getValue().asText() : null;
    }
}
