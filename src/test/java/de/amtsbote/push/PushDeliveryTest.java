package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Delivery to a push gateway: a local fake gateway (the JDK's HTTP server on a random port) receives
 * /_matrix/push/v1/notify for messages that notify a user with a pusher.
 */
class PushDeliveryTest {
    /** The fake gateways of these tests run on this machine, which a default server refuses. */
    static final String LOCAL_GATEWAYS = "push:\n  allow_internal_gateways: true\n";

    private static final String C = "/_matrix/client/v3";

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** The fake gateway: records each request body; answer(n) gives status and body of the n-th request. */
    private static final class FakeGateway implements AutoCloseable {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final AtomicInteger requests = new AtomicInteger();
        final HttpServer server;
        volatile IntFunction<Object[]> answer = n -> new Object[] {200, "{\"rejected\":[]}"};

        FakeGateway() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/_matrix/push/v1/notify", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                int n = requests.incrementAndGet();
                Object[] a = answer.apply(n);
                if ((int) a[0] == 200) received.add(Json.parse(body));
                byte[] out = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders((int) a[0], out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            server.start();
        }

        String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/_matrix/push/v1/notify"; }

        JsonNode next() throws InterruptedException {
            JsonNode n = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(n, "the gateway received no notification");
            return n.get("notification");
        }

        @Override
        public void close() { server.stop(0); }
    }

    private static ObjectNode pusher(String pushkey, String url, String format) {
        ObjectNode b = Json.object().put("kind", "http").put("app_id", "de.amtsbote.app").put("pushkey", pushkey)
                .put("app_display_name", "Amtsbote").put("device_display_name", "Telefon").put("lang", "de");
        ObjectNode data = b.putObject("data").put("url", url).put("custom", "kept");
        if (format != null) data.put("format", format);
        return b;
    }

    /** Alice creates a room, Bob joins; returns the room path. */
    private static String room(TestServer s, String alice, String bob, String name) throws Exception {
        var created = s.request("POST", C + "/createRoom", alice, Json.object().put("preset", "public_chat").put("name", name));
        String roomId = created.json().get("room_id").asText();
        assertEquals(200, s.request("POST", C + "/join/" + enc(roomId), bob, Json.object()).status());
        return C + "/rooms/" + enc(roomId);
    }

    private static String send(TestServer s, String token, String room, String txn, String body) throws Exception {
        var r = s.request("PUT", room + "/send/m.room.message/" + txn, token,
                Json.object().put("msgtype", "m.text").put("body", body));
        assertEquals(200, r.status(), r.body());
        return r.json().get("event_id").asText();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void eventIdOnlyCarriesNoContentAndCountsUnread(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS); FakeGateway gw = new FakeGateway()) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = room(s, alice, bob, "Geheimer Raum");
            assertEquals(200, s.request("POST", C + "/pushers/set", bob, pusher("bob-phone", gw.url(), "event_id_only")).status());

            String first = send(s, alice, room, "t1", "streng geheim");
            JsonNode n = gw.next();
            assertEquals(first, n.get("event_id").asText());
            assertEquals(room.substring(room.lastIndexOf('/') + 1), enc(n.get("room_id").asText()));
            assertEquals(1, n.get("counts").get("unread").asInt(), n.toString());
            for (String hidden : new String[] {"content", "sender", "sender_display_name", "type", "room_name"}) {
                assertFalse(n.has(hidden), hidden + " must not reach the gateway: " + n);
            }
            assertFalse(n.toString().contains("streng geheim"), n.toString());
            assertFalse(n.toString().contains("Geheimer Raum"), n.toString());
            JsonNode device = n.get("devices").get(0);
            assertEquals("de.amtsbote.app", device.get("app_id").asText());
            assertEquals("bob-phone", device.get("pushkey").asText());
            assertTrue(device.get("pushkey_ts").asLong() > 1_600_000_000L && device.get("pushkey_ts").asLong() < 100_000_000_000L);
            // data is forwarded without the url, custom keys and format included.
            assertFalse(device.get("data").has("url"), device.toString());
            assertEquals("kept", device.get("data").get("custom").asText());
            assertEquals("event_id_only", device.get("data").get("format").asText());

            // The second unread message counts two.
            String second = send(s, alice, room, "t2", "noch geheimer");
            assertEquals(2, gw.next().get("counts").get("unread").asInt());
            // Once Bob has read them, the next message counts one again.
            assertEquals(200, s.request("POST", room + "/receipt/m.read/" + enc(second), bob, Json.object()).status());
            send(s, alice, room, "t3", "neu");
            assertEquals(1, gw.next().get("counts").get("unread").asInt());
            // Alice has no pusher and her own messages never notify her: nothing else arrives.
            assertNull(gw.received.poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void fullFormatCarriesTheEvent(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS); FakeGateway gw = new FakeGateway()) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = room(s, alice, bob, "Dienstplan");
            s.request("POST", C + "/pushers/set", bob, pusher("bob-phone", gw.url(), null));
            String eventId = send(s, alice, room, "t1", "Schicht getauscht");
            JsonNode n = gw.next();
            assertEquals(eventId, n.get("event_id").asText());
            assertEquals("m.room.message", n.get("type").asText());
            assertEquals(s.userId("alice"), n.get("sender").asText());
            assertEquals("Schicht getauscht", n.get("content").get("body").asText());
            assertEquals("Dienstplan", n.get("room_name").asText());
            assertEquals("high", n.get("prio").asText());
            assertEquals(1, n.get("counts").get("unread").asInt());
            // A room of two: the one-to-one rule rings ("sound": "default"); nothing highlights.
            JsonNode tweaks = n.get("devices").get(0).get("tweaks");
            assertEquals("default", tweaks.path("sound").asText(), n.toString());
            assertFalse(tweaks.has("highlight"), n.toString());

            // A mention of Bob highlights.
            var mention = Json.object().put("msgtype", "m.text").put("body", "Bob?");
            mention.putObject("m.mentions").putArray("user_ids").add(s.userId("bob"));
            assertEquals(200, s.request("PUT", room + "/send/m.room.message/t2", alice, mention).status());
            JsonNode highlighted = gw.next();
            assertTrue(highlighted.get("devices").get(0).get("tweaks").path("highlight").asBoolean(), highlighted.toString());
            assertEquals(2, highlighted.get("counts").get("unread").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void rejectedPushkeyRemovesThePusher(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS); FakeGateway gw = new FakeGateway()) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = room(s, alice, bob, "r");
            s.request("POST", C + "/pushers/set", bob, pusher("stale-key", gw.url(), "event_id_only"));
            s.request("POST", C + "/pushers/set", bob, pusher("good-key", gw.url(), "event_id_only"));
            gw.answer = n -> new Object[] {200, "{\"rejected\":[\"stale-key\"]}"};
            send(s, alice, room, "t1", "hallo");
            gw.next();
            gw.next();
            // The stale pusher goes; the other stays.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            JsonNode pushers;
            do {
                pushers = s.request("GET", C + "/pushers", bob, null).json().get("pushers");
                if (pushers.size() == 1) break;
                Thread.sleep(50);
            } while (System.nanoTime() < deadline);
            assertEquals(1, pushers.size(), pushers.toString());
            assertEquals("good-key", pushers.get(0).get("pushkey").asText());
            // The next message goes to the remaining pusher only.
            gw.answer = n -> new Object[] {200, "{}"};
            send(s, alice, room, "t2", "nochmal");
            assertEquals("good-key", gw.next().get("devices").get(0).get("pushkey").asText());
            assertNull(gw.received.poll(300, TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void aHangingGatewayDoesNotSlowSending(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS); FakeGateway gw = new FakeGateway()) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = room(s, alice, bob, "r");
            s.request("POST", C + "/pushers/set", bob, pusher("bob-phone", gw.url(), "event_id_only"));
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            gw.answer = n -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Object[] {200, "{}"};
            };
            java.util.List<String> ids = new java.util.ArrayList<>();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < 3; i++) ids.add(send(s, alice, room, "t" + i, "hallo " + i));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < 5_000, "sending waited for the gateway: " + ms + " ms");
            } finally {
                release.countDown();
            }
            // Once the gateway answers, the queued notifications arrive, in the order they were sent (the count
            // is the one when each was prepared: it never goes down and ends at three).
            int lastCount = 0;
            for (int i = 0; i < 3; i++) {
                JsonNode n = gw.next();
                assertEquals(ids.get(i), n.get("event_id").asText());
                int count = n.get("counts").get("unread").asInt();
                assertTrue(count >= lastCount && count >= 1, n.toString());
                lastCount = count;
            }
            assertEquals(3, lastCount);
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void failedDeliveriesAreRetried(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS); FakeGateway gw = new FakeGateway()) {
            s.server().pushGateway().useRetryDelays(Duration.ofMillis(20), Duration.ofMillis(100));
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String room = room(s, alice, bob, "r");
            s.request("POST", C + "/pushers/set", bob, pusher("bob-phone", gw.url(), "event_id_only"));
            // The gateway fails twice (503), then takes it; a 400 would not be retried.
            gw.answer = n -> n <= 2 ? new Object[] {503, "{}"} : new Object[] {200, "{}"};
            String eventId = send(s, alice, room, "t1", "hallo");
            assertEquals(eventId, gw.next().get("event_id").asText());
            assertEquals(3, gw.requests.get());

            gw.answer = n -> new Object[] {400, "{}"};
            send(s, alice, room, "t2", "kaputt");
            Thread.sleep(500);
            assertEquals(4, gw.requests.get(), "a 400 is not retried");
            assertNull(gw.received.poll(10, TimeUnit.MILLISECONDS));
        }
    }
}
