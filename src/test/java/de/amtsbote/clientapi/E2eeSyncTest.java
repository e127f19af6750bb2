package de.amtsbote.clientapi;

import static de.amtsbote.clientapi.KeysHandlersTest.V3;
import static de.amtsbote.clientapi.KeysHandlersTest.claimBody;
import static de.amtsbote.clientapi.KeysHandlersTest.deviceKeys;
import static de.amtsbote.clientapi.KeysHandlersTest.deviceOf;
import static de.amtsbote.clientapi.KeysHandlersTest.otks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The E2EE parts of /sync: device_lists.changed/left in incremental syncs (and a device-list change ending a
 * waiting long-poll), one-time key counts and unused fallback key types on every response, one-time keys
 * running out so that claims hand out the fallback key, and an m.room.encrypted to-device message arriving.
 */
class E2eeSyncTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deviceListsInSync(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String carol = s.userToken("carol");
            String dave = s.userToken("dave");
            ObjectNode create = Json.object();
            create.putArray("invite").add(s.userId("bob")).add(s.userId("carol"));
            String room = URLEncoder.encode(s.request("POST", V3 + "/createRoom", alice, create).json()
                    .get("room_id").asText(), StandardCharsets.UTF_8);
            assertEquals(200, s.request("POST", V3 + "/join/" + room, bob, Json.object()).status());

            JsonNode first = sync(s, bob, null, 0);
            assertFalse(first.has("device_lists"), "a first sync has no device_lists: " + first);
            String t0 = first.get("next_batch").asText();

            // Bob waits; Alice uploads device keys: his long-poll ends with her in device_lists.changed.
            CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> syncUnchecked(s, bob, t0, 20_000));
            Thread.sleep(300);
            upload(s, alice, "alice", null, null);
            JsonNode woke = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(s.userId("alice")), strings(woke.path("device_lists").path("changed")), woke.toString());

            // Dave shares no room with Bob: not in Bob's device_lists. Carol joins: she is.
            String t1 = woke.get("next_batch").asText();
            upload(s, dave, "dave", null, null);
            assertEquals(200, s.request("POST", V3 + "/join/" + room, carol, Json.object()).status());
            JsonNode joined = sync(s, bob, t1, 0);
            assertEquals(List.of(s.userId("carol")), strings(joined.path("device_lists").path("changed")), joined.toString());
            // Nothing after that token: no device_lists at all.
            String t2 = joined.get("next_batch").asText();
            assertFalse(sync(s, bob, t2, 0).has("device_lists"));

            // Carol leaves: Bob sees her in device_lists.left.
            assertEquals(200, s.request("POST", V3 + "/rooms/" + room + "/leave", carol, Json.object()).status());
            JsonNode left = sync(s, bob, t2, 0);
            assertEquals(List.of(s.userId("carol")), strings(left.path("device_lists").path("left")), left.toString());
            assertEquals(List.of(), strings(left.path("device_lists").path("changed")), left.toString());

            // A device of Alice with keys signs out: its keys are gone, and Bob is told to re-fetch her list.
            String second = s.login("alice");
            upload(s, second, "alice", null, null);
            String t3 = sync(s, bob, null, 0).get("next_batch").asText();
            assertEquals(200, s.request("POST", V3 + "/logout", second, Json.object()).status());
            JsonNode gone = sync(s, bob, t3, 0);
            assertEquals(List.of(s.userId("alice")), strings(gone.path("device_lists").path("changed")), gone.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void keyCountsAndFallbackAfterOneTimeKeysRunOut(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String aliceDevice = deviceOf(s, alice);
            JsonNode before = sync(s, alice, null, 0);
            // Present before any upload, with signed_curve25519 always listed (clients read absence as unknown).
            assertEquals(0, before.path("device_one_time_keys_count").path("signed_curve25519").asInt(-1), before.toString());
            assertTrue(before.path("device_unused_fallback_key_types").isArray(), before.toString());

            ObjectNode fallback = Json.object();
            fallback.putObject("signed_curve25519:fb").put("key", "fallback-key").put("fallback", true).putObject("signatures");
            upload(s, alice, "alice", otks("a", 2), fallback);
            JsonNode after = sync(s, alice, null, 0);
            assertEquals(2, after.path("device_one_time_keys_count").path("signed_curve25519").asInt(), after.toString());
            assertEquals(List.of("signed_curve25519"), strings(after.path("device_unused_fallback_key_types")));
            String t = after.get("next_batch").asText();

            // Two claims take the one-time keys, the third gets the fallback key (again and again).
            List<String> claimed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                var r = s.request("POST", V3 + "/keys/claim", bob, claimBody(s.userId("alice"), aliceDevice));
                assertEquals(200, r.status(), r.body());
                JsonNode keys = r.json().path("one_time_keys").path(s.userId("alice")).path(aliceDevice);
                claimed.add(keys.fieldNames().next());
            }
            assertEquals(List.of("signed_curve25519:fb", "signed_curve25519:fb"), claimed.subList(2, 4), claimed.toString());
            assertTrue(claimed.subList(0, 2).containsAll(List.of("signed_curve25519:a0", "signed_curve25519:a1")), claimed.toString());

            // The incremental sync shows the empty count and the used fallback key even with nothing else new.
            JsonNode inc = sync(s, alice, t, 0);
            assertEquals(0, inc.path("device_one_time_keys_count").path("signed_curve25519").asInt(-1), inc.toString());
            assertEquals(List.of(), strings(inc.path("device_unused_fallback_key_types")), inc.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void encryptedToDeviceMessageArrives(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String bobDevice = deviceOf(s, bob);
            String t = sync(s, bob, null, 0).get("next_batch").asText();
            CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> syncUnchecked(s, bob, t, 20_000));
            Thread.sleep(300);
            ObjectNode content = Json.object();
            content.put("algorithm", "m.olm.v1.curve25519-aes-sha2").put("sender_key", "c2VuZGVy");
            content.putObject("ciphertext").putObject("Ym9iY3VydmU").put("type", 0).put("body", "b2xtIGJvZHk");
            ObjectNode body = Json.object();
            body.putObject("messages").putObject(s.userId("bob")).set(bobDevice, content);
            var r = s.request("PUT", V3 + "/sendToDevice/m.room.encrypted/olm1", alice, body);
            assertEquals(200, r.status(), r.body());
            JsonNode got = waiting.get(10, TimeUnit.SECONDS);
            JsonNode events = got.path("to_device").path("events");
            assertEquals(1, events.size(), got.toString());
            assertEquals("m.room.encrypted", events.get(0).get("type").asText());
            assertEquals(s.userId("alice"), events.get(0).get("sender").asText());
            assertEquals(content, events.get(0).get("content"));
        }
    }

    private static void upload(TestServer s, String token, String localpart, ObjectNode otks, ObjectNode fallback)
            throws Exception {
        ObjectNode body = Json.object();
        body.set("device_keys", deviceKeys(s.userId(localpart), deviceOf(s, token), new TestSigningKey()));
        if (otks != null) body.set("one_time_keys", otks);
        if (fallback != null) body.set("fallback_keys", fallback);
        var r = s.request("POST", V3 + "/keys/upload", token, body);
        assertEquals(200, r.status(), r.body());
    }

    private static JsonNode sync(TestServer s, String token, String since, long timeout) throws Exception {
        String q = "?timeout=" + timeout + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
        var r = s.request("GET", V3 + "/sync" + q, token, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static JsonNode syncUnchecked(TestServer s, String token, String since, long timeout) {
        try {
            return sync(s, token, since, timeout);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
