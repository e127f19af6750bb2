package de.amtsbote.push;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Web Push end to end: a browser subscription registered as a web pusher, a message in a room, and a local fake
 * push service (the JDK's HTTP server on a random port) that checks VAPID and decrypts the push with the
 * subscription's private key, as the browser would.
 */
class WebPushDeliveryTest {
    /** The fake gateways of these tests run on this machine, which a default server refuses. */
    static final String LOCAL_GATEWAYS = "push:\n  allow_internal_gateways: true\n";

    private static final String C = "/_matrix/client/v3";
    private static final String VAPID_PATH = "/_amtsbote/client/v1/webpush/vapid_public_key";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private record Push(Headers headers, byte[] body) {}

    /** The fake push service; status(n) answers the n-th request. */
    private static final class FakePushService implements AutoCloseable {
        final BlockingQueue<Push> received = new LinkedBlockingQueue<>();
        final AtomicInteger requests = new AtomicInteger();
        final HttpServer server;
        volatile IntUnaryOperator status = n -> 201;

        FakePushService() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/push/", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                int code = status.applyAsInt(requests.incrementAndGet());
                received.add(new Push(ex.getRequestHeaders(), body));
                ex.sendResponseHeaders(code, -1);
                ex.close();
            });
            server.start();
        }

        String origin() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

        Push next() throws InterruptedException {
            Push p = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(p, "the push service received nothing");
            return p;
        }

        @Override
        public void close() { server.stop(0); }
    }

    /** A browser's push subscription: its key pair and auth secret, and the endpoint the push service gave it. */
    private record Subscription(String endpoint, ECPrivateKey privateKey, byte[] publicKey, byte[] auth) {
        static Subscription create(String endpoint) throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            byte[] auth = new byte[16];
            new SecureRandom().nextBytes(auth);
            return new Subscription(endpoint, (ECPrivateKey) kp.getPrivate(),
                    P256.uncompressed((ECPublicKey) kp.getPublic()), auth);
        }

        ObjectNode pusher() {
            ObjectNode b = Json.object().put("kind", "http").put("app_id", Pushers.WEB_PUSH_APP_ID)
                    .put("pushkey", endpoint).put("app_display_name", "Amtsbote Web")
                    .put("device_display_name", "Firefox").put("lang", "de");
            b.putObject("data").put("endpoint", endpoint).put("p256dh", B64.encodeToString(publicKey))
                    .put("auth", B64.encodeToString(auth)).put("format", "event_id_only");
            return b;
        }
    }

    private static String room(TestServer s, String alice, String bob) throws Exception {
        var created = s.request("POST", C + "/createRoom", alice,
                Json.object().put("preset", "public_chat").put("name", "Geheimer Raum"));
        String roomId = created.json().get("room_id").asText();
        assertEquals(200, s.request("POST", C + "/join/" + enc(roomId), bob, Json.object()).status());
        return roomId;
    }

    private static String send(TestServer s, String token, String roomId, String txn, String body) throws Exception {
        var r = s.request("PUT", C + "/rooms/" + enc(roomId) + "/send/m.room.message/" + txn, token,
                Json.object().put("msgtype", "m.text").put("body", body));
        assertEquals(200, r.status(), r.body());
        return r.json().get("event_id").asText();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void theBrowserGetsAnEncryptedSignedPushWithIdsOnly(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS); FakePushService service = new FakePushService()) {
            s.server().pushGateway().useRetryDelays(Duration.ofMillis(20), Duration.ofMillis(100));
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            assertError(s.request("GET", VAPID_PATH, null, null), 401, "M_MISSING_TOKEN");
            String vapidKey = s.request("GET", VAPID_PATH, bob, null).json().get("public_key").asText();
            assertEquals(65, Base64.getUrlDecoder().decode(vapidKey).length);

            String roomId = room(s, alice, bob);
            Subscription sub = Subscription.create(service.origin() + "/push/bob-firefox");
            // Without format: event_id_only: a web push carries ids only whatever the pusher asks for.
            ObjectNode pusher = sub.pusher();
            ((ObjectNode) pusher.get("data")).remove("format");
            var set = s.request("POST", C + "/pushers/set", bob, pusher);
            assertEquals(200, set.status(), set.body());

            // The push service is busy once (429); the push is retried.
            service.status = n -> n == 1 ? 429 : 201;
            String eventId = send(s, alice, roomId, "t1", "streng geheim");
            service.next();
            Push push = service.next();
            assertEquals(2, service.requests.get());

            assertEquals("aes128gcm", push.headers().getFirst("Content-Encoding"));
            assertEquals("86400", push.headers().getFirst("TTL"));
            assertEquals("high", push.headers().getFirst("Urgency"));
            WebPushTestSupport.verifyVapid(push.headers().getFirst("Authorization"), vapidKey, service.origin());
            String plain = new String(WebPushTestSupport.decrypt(push.body(), sub.privateKey(), sub.publicKey(), sub.auth()),
                    StandardCharsets.UTF_8);
            JsonNode payload = Json.parse(plain);
            assertEquals(roomId, payload.get("room_id").asText());
            assertEquals(eventId, payload.get("event_id").asText());
            assertEquals(1, payload.get("counts").get("unread").asInt());
            assertEquals("high", payload.get("prio").asText());
            java.util.Set<String> fields = new java.util.HashSet<>();
            payload.fieldNames().forEachRemaining(fields::add);
            assertEquals(java.util.Set.of("room_id", "event_id", "counts", "prio"), fields);
            for (String secret : new String[] {"streng geheim", "Geheimer Raum", s.userId("alice")}) {
                assertFalse(plain.contains(secret), secret + " must not be in the push: " + plain);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void anExpiredSubscriptionRemovesThePusher(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS); FakePushService service = new FakePushService()) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String roomId = room(s, alice, bob);
            Subscription sub = Subscription.create(service.origin() + "/push/bob-old");
            assertEquals(200, s.request("POST", C + "/pushers/set", bob, sub.pusher()).status());
            assertEquals(1, s.request("GET", C + "/pushers", bob, null).json().get("pushers").size());

            service.status = n -> 410;
            send(s, alice, roomId, "t1", "hallo");
            service.next();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            JsonNode pushers;
            do {
                pushers = s.request("GET", C + "/pushers", bob, null).json().get("pushers");
                if (pushers.isEmpty()) break;
                Thread.sleep(50);
            } while (System.nanoTime() < deadline);
            assertEquals(0, pushers.size(), pushers.toString());
            // Gone for good: the next message is not pushed.
            send(s, alice, roomId, "t2", "nochmal");
            assertNull(service.received.poll(500, TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void badSubscriptionsAreRefused(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, LOCAL_GATEWAYS)) {
            String bob = s.userToken("bob");
            Subscription sub = Subscription.create("https://push.example.net/push/x");
            // A web pusher needs no data.url: our own server is its gateway.
            assertEquals(200, s.request("POST", C + "/pushers/set", bob, sub.pusher()).status());

            ObjectNode plainHttp = sub.pusher().put("pushkey", "http://push.example.net/push/x");
            ((ObjectNode) plainHttp.get("data")).put("endpoint", "http://push.example.net/push/x");
            assertError(s.request("POST", C + "/pushers/set", bob, plainHttp), 400, "M_INVALID_PARAM");

            ObjectNode otherPushkey = sub.pusher().put("pushkey", "something-else");
            assertError(s.request("POST", C + "/pushers/set", bob, otherPushkey), 400, "M_INVALID_PARAM");

            byte[] offCurve = new byte[65];
            offCurve[0] = 4;
            offCurve[64] = 1;
            ObjectNode badKey = sub.pusher();
            ((ObjectNode) badKey.get("data")).put("p256dh", B64.encodeToString(offCurve));
            assertError(s.request("POST", C + "/pushers/set", bob, badKey), 400, "M_INVALID_PARAM");

            ObjectNode notBase64 = sub.pusher();
            ((ObjectNode) notBase64.get("data")).put("p256dh", "***");
            assertError(s.request("POST", C + "/pushers/set", bob, notBase64), 400, "M_INVALID_PARAM");

            ObjectNode shortAuth = sub.pusher();
            ((ObjectNode) shortAuth.get("data")).put("auth", B64.encodeToString(new byte[8]));
            assertError(s.request("POST", C + "/pushers/set", bob, shortAuth), 400, "M_INVALID_PARAM");

            ObjectNode noAuth = sub.pusher();
            ((ObjectNode) noAuth.get("data")).remove("auth");
            assertError(s.request("POST", C + "/pushers/set", bob, noAuth), 400, "M_MISSING_PARAM");

            // Only the first, good one was stored.
            JsonNode pushers = s.request("GET", C + "/pushers", bob, null).json().get("pushers");
            assertEquals(1, pushers.size(), pushers.toString());
            assertTrue(pushers.get(0).get("data").has("p256dh"));
        }
    }
}
