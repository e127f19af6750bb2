package de.amtsbote.sync;

import static de.amtsbote.sync.SlidingSyncTest.listRequest;
import static de.amtsbote.sync.SlidingSyncTest.slide;
import static de.amtsbote.sync.SyncHttp.*;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sliding sync extensions: to_device, e2ee, account_data, receipts, typing. */
class SlidingSyncExtensionsTest {
    static ObjectNode withExtensions(ObjectNode req, String... names) {
        ObjectNode ext = req.putObject("extensions");
        for (String n : names) ext.putObject(n).put("enabled", true);
        return req;
    }

    static List<Integer> seqs(JsonNode resp) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : resp.path("extensions").path("to_device").path("events")) out.add(e.path("content").path("seq").asInt());
        return out;
    }

    static void toDevice(TestServer s, String from, String toUser, int seq) throws Exception {
        ObjectNode body = Json.object();
        body.putObject("messages").putObject(toUser).putObject("*").put("seq", seq);
        var r = s.request("PUT", "/_matrix/client/v3/sendToDevice/m.test/t" + seq, from, body);
        assertEquals(200, r.status(), r.body());
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void toDeviceDeliveredOnceAndKeptUntilAcknowledged(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            toDevice(s, alice, s.userId("bob"), 1);
            JsonNode first = slide(s, bob, null, withExtensions(listRequest(0, 9, 1), "to_device"));
            assertEquals(List.of(1), seqs(first));
            String since = first.path("extensions").path("to_device").path("next_batch").asText();

            // A long-poll wakes for a new to-device message.
            CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    ObjectNode req = withExtensions(listRequest(0, 9, 1), "to_device");
                    ((ObjectNode) req.path("extensions").path("to_device")).put("since", since);
                    return slide(s, bob, first.path("pos").asText(), 20_000, req);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(waiting.isDone());
            toDevice(s, alice, s.userId("bob"), 2);
            JsonNode second = waiting.get();
            assertEquals(List.of(2), seqs(second), "message 1 is not repeated");

            // The second response got lost: the same pos again brings message 2 again.
            ObjectNode retry = withExtensions(listRequest(0, 9, 1), "to_device");
            ((ObjectNode) retry.path("extensions").path("to_device")).put("since", since);
            assertEquals(List.of(2), seqs(slide(s, bob, first.path("pos").asText(), retry)));
            // Extensions left out of a later request stay on; nothing pending is sent.
            JsonNode third = slide(s, bob, second.path("pos").asText(), listRequest(0, 9, 1));
            assertEquals(List.of(), seqs(third));
            assertTrue(third.path("extensions").has("to_device"));

            // A client restarting (new connection, no pos) sends the since token it kept: nothing old again.
            toDevice(s, alice, s.userId("bob"), 3);
            JsonNode x = slide(s, bob, null, withExtensions(listRequest(0, 9, 1).put("conn_id", "x"), "to_device"));
            assertEquals(List.of(3), seqs(x));
            ObjectNode restart = withExtensions(listRequest(0, 9, 1).put("conn_id", "y"), "to_device");
            ((ObjectNode) restart.path("extensions").path("to_device"))
                    .put("since", x.path("extensions").path("to_device").path("next_batch").asText());
            assertEquals(List.of(), seqs(slide(s, bob, null, restart)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void e2eeCountsAndDeviceLists(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = createRoom(s, alice, s.userId("bob"));
            join(s, bob, room);
            ObjectNode upload = Json.object();
            upload.putObject("one_time_keys").putObject("signed_curve25519:AAAA").put("key", "k1");
            ((ObjectNode) upload.path("one_time_keys")).putObject("signed_curve25519:AAAB").put("key", "k2");
            upload.putObject("fallback_keys").putObject("signed_curve25519:FFFF").put("key", "fb").put("fallback", true);
            var up = s.request("POST", "/_matrix/client/v3/keys/upload", alice, upload);
            assertEquals(200, up.status(), up.body());

            JsonNode first = slide(s, alice, null, withExtensions(listRequest(0, 9, 1), "e2ee"));
            JsonNode e2ee = first.path("extensions").path("e2ee");
            assertEquals(2, e2ee.path("device_one_time_keys_count").path("signed_curve25519").asInt(), e2ee.toString());
            assertEquals("signed_curve25519", e2ee.path("device_unused_fallback_key_types").get(0).asText());

            // Bob has a second device with keys.
            String bob2 = s.login("bob");
            ObjectNode bobKeys = Json.object();
            bobKeys.putObject("one_time_keys").putObject("signed_curve25519:B1").put("key", "b");
            assertEquals(200, s.request("POST", "/_matrix/client/v3/keys/upload", bob2, bobKeys).status());
            // A claim of one of alice's keys changes her count.
            ObjectNode claim = Json.object();
            claim.putObject("one_time_keys").putObject(s.userId("alice"));
            String aliceDevice = s.request("GET", "/_matrix/client/v3/account/whoami", alice, null).json().path("device_id").asText();
            ((ObjectNode) claim.path("one_time_keys").path(s.userId("alice"))).put(aliceDevice, "signed_curve25519");
            var claimed = s.request("POST", "/_matrix/client/v3/keys/claim", bob, claim);
            assertEquals(200, claimed.status(), claimed.body());
            JsonNode next = slide(s, alice, first.path("pos").asText(), 5_000, listRequest(0, 9, 1));
            JsonNode e2 = next.path("extensions").path("e2ee");
            assertEquals(1, e2.path("device_one_time_keys_count").path("signed_curve25519").asInt(), e2.toString());

            // Bob signs out his second device: alice learns his device list changed.
            assertEquals(200, s.request("POST", "/_matrix/client/v3/logout", bob2, Json.object()).status());
            JsonNode third = slide(s, alice, next.path("pos").asText(), 5_000, listRequest(0, 9, 1));
            JsonNode changed = third.path("extensions").path("e2ee").path("device_lists").path("changed");
            assertEquals(s.userId("bob"), changed.path(0).asText(), third.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void accountDataReceiptsAndTyping(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = createRoom(s, alice, s.userId("bob"));
            join(s, bob, room);
            String event = send(s, alice, room, "hello");
            var ad = s.request("PUT", "/_matrix/client/v3/user/" + enc(s.userId("bob")) + "/account_data/org.example.setting",
                    bob, Json.object().put("v", 1));
            assertEquals(200, ad.status(), ad.body());
            var rad = s.request("PUT", "/_matrix/client/v3/user/" + enc(s.userId("bob")) + "/rooms/" + enc(room)
                    + "/account_data/org.example.room", bob, Json.object().put("w", 2));
            assertEquals(200, rad.status(), rad.body());

            ObjectNode req = withExtensions(listRequest(0, 9, 1), "account_data", "receipts", "typing");
            JsonNode first = slide(s, bob, null, req);
            JsonNode ext = first.path("extensions");
            boolean found = false;
            for (JsonNode e : ext.path("account_data").path("global")) {
                if (e.path("type").asText().equals("org.example.setting")) found = e.path("content").path("v").asInt() == 1;
            }
            assertTrue(found, ext.toString());
            assertEquals(2, ext.path("account_data").path("rooms").path(room).get(0).path("content").path("w").asInt());

            // Alice reads and types: bob's long-poll wakes with both.
            var rc = s.request("POST", "/_matrix/client/v3/rooms/" + enc(room) + "/receipt/m.read/" + enc(event), alice, Json.object());
            assertEquals(200, rc.status(), rc.body());
            var ty = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(room) + "/typing/" + enc(s.userId("alice")), alice,
                    Json.object().put("typing", true).put("timeout", 30000));
            assertEquals(200, ty.status(), ty.body());
            JsonNode next = slide(s, bob, first.path("pos").asText(), 5_000, listRequest(0, 9, 1));
            JsonNode ext2 = next.path("extensions");
            JsonNode receipt = ext2.path("receipts").path("rooms").path(room);
            assertEquals("m.receipt", receipt.path("type").asText(), ext2.toString());
            assertTrue(receipt.path("content").path(event).path("m.read").has(s.userId("alice")));
            JsonNode typing = ext2.path("typing").path("rooms").path(room);
            assertEquals(s.userId("alice"), typing.path("content").path("user_ids").get(0).asText(), ext2.toString());
            assertEquals(0, ext2.path("account_data").path("global").size(), "account data is not repeated");
        }
    }
}
