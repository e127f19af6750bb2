package de.amtsbote.webhooks;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Outgoing rules over HTTP against a local receiver: the signed payload, the answer posted back in a thread,
 * failures (timeout, HTTP 500, unreadable answer, refused connection, a too costly pattern) reported in the
 * room, the admin API's refusals, and bots leaving rooms when their last hook or rule there is deleted.
 */
class OutgoingRulesTest {
    private static final String C = "/_matrix/client/v3";
    private static final String RULES = "/_amtsbote/admin/v1/rules";
    /** Short timeout, loopback allowed: the receiver runs on this machine. */
    private static final String CONFIG = "webhooks:\n  outgoing_timeout_ms: 2000\n  outgoing_allow_internal_targets: true\n";

    private record Call(String signature, String timestamp, String rule, byte[] body) {
        JsonNode json() { return Json.parse(new String(body, StandardCharsets.UTF_8)); }
    }

    /** A local service: records each call and answers as told (status, body, delay). */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        volatile int status = 200;
        volatile String answer = "";
        volatile long delayMs;

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/amtsbote"; }

        private void handle(HttpExchange x) throws java.io.IOException {
            calls.add(new Call(x.getRequestHeaders().getFirst("X-Amtsbote-Signature"),
                    x.getRequestHeaders().getFirst("X-Amtsbote-Timestamp"), x.getRequestHeaders().getFirst("X-Amtsbote-Rule"),
                    x.getRequestBody().readAllBytes()));
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            if (status == 204 || out.length == 0) {
                x.sendResponseHeaders(status, -1);
            } else {
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(status, out.length);
                x.getResponseBody().write(out);
            }
            x.close();
        }

        Call next() throws InterruptedException {
            Call c = calls.poll(10, TimeUnit.SECONDS);
            assertNotNull(c, "the rule called the service");
            return c;
        }

        @Override
        public void close() { server.stop(0); }
    }

    private static String room(TestServer s, String token) throws Exception {
        var r = s.request("POST", C + "/createRoom", token, Json.object().put("name", "IT-Service"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("room_id").asText();
    }

    private static int txn;

    private static String say(TestServer s, String token, String roomId, ObjectNode content) throws Exception {
        var r = s.request("PUT", C + "/rooms/" + roomId + "/send/m.room.message/t" + (++txn), token, content);
        assertEquals(200, r.status(), r.body());
        return r.json().get("event_id").asText();
    }

    private static String say(TestServer s, String token, String roomId, String body) throws Exception {
        return say(s, token, roomId, Json.object().put("msgtype", "m.text").put("body", body));
    }

    private static ObjectNode rule(String roomId, String name, String kind, String pattern, String url, String bot) {
        ObjectNode b = Json.object().put("room_id", roomId).put("name", name).put("kind", kind).put("url", url).put("bot_user", bot);
        return b.put(kind.equals("command") ? "command" : "pattern", pattern);
    }

    private static JsonNode create(TestServer s, String admin, ObjectNode rule) throws Exception {
        var r = s.request("POST", RULES, admin, rule);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** Waits for a message of the room that the predicate accepts (the bot posts from a virtual thread). */
    private static JsonNode awaitMessage(TestServer s, String token, String roomId, Predicate<JsonNode> which) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            for (JsonNode e : messages(s, token, roomId)) if (which.test(e)) return e;
            Thread.sleep(50);
        }
        throw new AssertionError("no such message in " + messages(s, token, roomId));
    }

    private static List<JsonNode> messages(TestServer s, String token, String roomId) throws Exception {
        var r = s.request("GET", C + "/rooms/" + roomId + "/messages?dir=b&limit=100", token, null);
        assertEquals(200, r.status(), r.body());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : r.json().get("chunk")) if ("m.room.message".equals(e.path("type").asText())) out.addFirst(e);
        return out;
    }

    private static Predicate<JsonNode> from(String sender, String text) {
        return e -> e.path("sender").asText().equals(sender) && e.at("/content/body").asText().contains(text);
    }

    private static String hmac(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void commandCallIsSignedAndTheAnswerIsPostedInAThread(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, CONFIG); Receiver svc = new Receiver()) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            s.request("PUT", "/_matrix/client/v3/profile/" + s.userId("admin") + "/displayname", admin,
                    Json.object().put("displayname", "Frau Admin"));
            JsonNode created = create(s, admin, rule(roomId, "Ticket", "command", "!ticket", svc.url(), "ticket-bot"));
            String ruleId = created.get("id").asText();
            String secret = created.get("secret").asText();
            assertEquals("!ticket", created.get("command").asText());
            assertEquals(s.userId("ticket-bot"), created.get("bot_user").asText());
            var list = s.request("GET", RULES, admin, null);
            assertEquals(ruleId, list.json().at("/rules/0/id").asText());
            assertFalse(list.body().contains(secret), "the secret is shown only once");

            // Not commands: other words, the command inside a sentence, notices.
            say(s, admin, roomId, "!tickets 3");
            say(s, admin, roomId, "bitte !ticket anlegen");
            say(s, admin, roomId, Json.object().put("msgtype", "m.notice").put("body", "!ticket von einem Bot"));
            svc.answer = "{\"text\": \"Ticket #4711 angelegt\", \"html\": \"<b>Ticket #4711</b> angelegt\"}";
            long before = System.currentTimeMillis() / 1000;
            String trigger = say(s, admin, roomId, "!ticket Drucker im 2. OG defekt");

            Call call = svc.next();
            assertEquals(hmac(secret, call.timestamp(), call.body()), call.signature(), "HMAC over timestamp.body");
            long ts = Long.parseLong(call.timestamp());
            assertTrue(ts >= before - 1 && ts <= before + 10, "timestamp is now: " + ts);
            assertEquals(ruleId, call.rule());
            JsonNode p = call.json();
            assertEquals(ruleId, p.get("rule_id").asText());
            assertEquals("Ticket", p.get("rule_name").asText());
            assertEquals("command", p.get("kind").asText());
            assertEquals(roomId, p.get("room_id").asText());
            assertEquals(trigger, p.get("event_id").asText());
            assertEquals(s.userId("admin"), p.get("sender").asText());
            assertEquals("Frau Admin", p.get("sender_display_name").asText());
            assertEquals("!ticket Drucker im 2. OG defekt", p.get("body").asText());
            assertEquals("!ticket", p.get("command").asText());
            assertEquals("Drucker im 2. OG defekt", p.get("args").asText());
            assertTrue(p.get("match").isNull());
            assertTrue(p.get("ts").asLong() > 0);

            JsonNode reply = awaitMessage(s, admin, roomId, from(s.userId("ticket-bot"), "Ticket #4711"));
            JsonNode c = reply.get("content");
            assertEquals("m.notice", c.get("msgtype").asText());
            assertEquals("Ticket #4711 angelegt", c.get("body").asText());
            assertEquals("<b>Ticket #4711</b> angelegt", c.get("formatted_body").asText());
            assertEquals("m.thread", c.at("/m.relates_to/rel_type").asText());
            assertEquals(trigger, c.at("/m.relates_to/event_id").asText());
            assertEquals(trigger, c.at("/m.relates_to/m.in_reply_to/event_id").asText());

            // A command inside that thread: the answer goes into the same thread, replying to it.
            svc.answer = "{\"text\": \"Ticket #4712 angelegt\"}";
            ObjectNode inThread = Json.object().put("msgtype", "m.text").put("body", "!ticket noch einer");
            inThread.putObject("m.relates_to").put("rel_type", "m.thread").put("event_id", trigger)
                    .put("is_falling_back", true).putObject("m.in_reply_to").put("event_id", reply.get("event_id").asText());
            String second = say(s, admin, roomId, inThread);
            assertEquals("noch einer", svc.next().json().get("args").asText());
            JsonNode c2 = awaitMessage(s, admin, roomId, from(s.userId("ticket-bot"), "#4712")).get("content");
            assertEquals(trigger, c2.at("/m.relates_to/event_id").asText());
            assertEquals(second, c2.at("/m.relates_to/m.in_reply_to/event_id").asText());
            assertFalse(c2.at("/m.relates_to/is_falling_back").asBoolean());

            // An edit is not a new command; 204 posts nothing.
            ObjectNode edit = Json.object().put("msgtype", "m.text").put("body", "* !ticket geändert");
            edit.putObject("m.new_content").put("msgtype", "m.text").put("body", "!ticket geändert");
            edit.putObject("m.relates_to").put("rel_type", "m.replace").put("event_id", trigger);
            say(s, admin, roomId, edit);
            svc.status = 204;
            svc.answer = "";
            say(s, admin, roomId, "!ticket still");
            assertEquals("still", svc.next().json().get("args").asText());
            Thread.sleep(500);
            assertNull(svc.calls.poll(), "no other message was sent to the service");
            assertEquals(2, messages(s, admin, roomId).stream().filter(e -> e.get("sender").asText()
                    .equals(s.userId("ticket-bot"))).count(), "204: nothing posted");

            // Deleted: no more calls, the bot leaves.
            assertEquals(200, s.request("DELETE", RULES + "/" + ruleId, admin, null).status());
            say(s, admin, roomId, "!ticket nach dem Löschen");
            Thread.sleep(300);
            assertNull(svc.calls.poll());
            assertEquals("leave", membership(s, admin, roomId, s.userId("ticket-bot")));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void failuresAreReportedInTheRoom(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, CONFIG); Receiver svc = new Receiver()) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            create(s, admin, rule(roomId, "Störungsmelder", "pattern", "(?i)störung in (\\w+)", svc.url(), "melder"));
            String bot = s.userId("melder");

            svc.answer = "{\"text\": \"erfasst\"}";
            say(s, admin, roomId, "Achtung: Störung in Haus3");
            JsonNode p = svc.next().json();
            assertEquals("pattern", p.get("kind").asText());
            assertEquals("Störung in Haus3", p.get("match").asText());
            assertEquals("Haus3", p.at("/groups/0").asText());
            assertTrue(p.get("command").isNull());
            awaitMessage(s, admin, roomId, from(bot, "erfasst"));

            svc.delayMs = 5_000;
            String slow = say(s, admin, roomId, "Störung in Haus4");
            JsonNode timeout = awaitMessage(s, admin, roomId, from(bot, "Zeitüberschreitung"));
            String body = timeout.at("/content/body").asText();
            assertTrue(body.contains("Regel »Störungsmelder«: Der Dienst antwortete nicht (Zeitüberschreitung nach 2 s)"), body);
            assertTrue(body.contains("Rule »Störungsmelder«: the service did not answer (timeout after 2 s)"), body);
            assertEquals("m.notice", timeout.at("/content/msgtype").asText());
            assertEquals(slow, timeout.at("/content/m.relates_to/event_id").asText());
            svc.delayMs = 0;

            svc.status = 500;
            svc.answer = "{\"error\": \"boom\"}";
            say(s, admin, roomId, "Störung in Haus5");
            awaitMessage(s, admin, roomId, from(bot, "HTTP 500"));

            svc.status = 200;
            svc.answer = "<html>Wartungsarbeiten</html>";
            say(s, admin, roomId, "Störung in Haus6");
            awaitMessage(s, admin, roomId, from(bot, "nicht lesbar"));

            svc.answer = "{\"text\": \"" + "x".repeat(70_000) + "\"}";
            say(s, admin, roomId, "Störung in Haus7");
            awaitMessage(s, admin, roomId, from(bot, "Die Antwort des Dienstes ist größer als 64 KiB"));
            // Fits the 64 KiB answer limit, but as body plus formatted_body not into one event.
            svc.answer = "{\"text\": \"" + "x".repeat(65_000) + "\"}";
            say(s, admin, roomId, "Störung in Haus8");
            awaitMessage(s, admin, roomId, from(bot, "Die Antwort des Dienstes ist zu groß für eine Nachricht"));

            // A pattern that backtracks catastrophically is cut off and reported, the server stays responsive.
            JsonNode evil = create(s, admin, rule(roomId, "Teuer", "pattern", "(.*a){20}x", svc.url(), "melder"));
            say(s, admin, roomId, "a".repeat(40) + "!");
            awaitMessage(s, admin, roomId, from(bot, "Regel »Teuer«: Das Muster ist für diese Nachricht zu aufwendig"));
            assertEquals(200, s.request("DELETE", RULES + "/" + evil.get("id").asText(), admin, null).status());
            assertEquals("join", membership(s, admin, roomId, bot), "the other rule still uses the bot");

            // Nothing listens on the port any more.
            int port = svc.server.getAddress().getPort();
            svc.close();
            create(s, admin, rule(roomId, "Weg", "command", "!weg", "http://127.0.0.1:" + port + "/x", "melder"));
            say(s, admin, roomId, "!weg");
            awaitMessage(s, admin, roomId, from(bot, "Regel »Weg«: Der Dienst ist nicht erreichbar"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void rulesAreLoadedFromTheDatabaseAtStart(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, CONFIG); Receiver svc = new Receiver()) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            JsonNode created = create(s, admin, rule(roomId, "Ticket", "command", "!ticket", svc.url(), "ticket-bot"));
            // A second instance built from the stored rules only, as after a restart, signs with the stored secret.
            var server = s.server();
            var actions = new de.amtsbote.rooms.RoomActions(server.rooms(), server.stores().directory(),
                    u -> new de.amtsbote.rooms.Profiles.Profile(null, null),
                    de.amtsbote.rooms.EncryptionPolicy.of(server.config().encryption()));
            var store = new de.amtsbote.storage.jdbc.JdbcOutgoingRuleStore(server.stores().db());
            var bots = new IntegrationBots(server.accounts(), actions,
                    new de.amtsbote.storage.jdbc.JdbcWebhookStore(server.stores().db()), store, System::currentTimeMillis);
            OutgoingRules restarted = new OutgoingRules(store, bots, true, 2000, System::currentTimeMillis);
            try {
                ObjectNode pdu = Json.object().put("type", "m.room.message").put("sender", s.userId("admin"))
                        .put("origin_server_ts", 1L).put("room_id", roomId);
                pdu.putObject("content").put("msgtype", "m.text").put("body", "!ticket nach dem Neustart");
                restarted.eventCommitted(roomId, "$restart", pdu);
                Call call = svc.next();
                assertEquals(hmac(created.get("secret").asText(), call.timestamp(), call.body()), call.signature());
                assertEquals("nach dem Neustart", call.json().get("args").asText());
            } finally {
                restarted.close();
            }
        }
    }

    private static String membership(TestServer s, String token, String roomId, String userId) throws Exception {
        var r = s.request("GET", C + "/rooms/" + roomId + "/state/m.room.member/" + userId, token, null);
        assertEquals(200, r.status(), r.body());
        return r.json().get("membership").asText();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void adminApiRefusalsAndBadInput(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String bob = s.userToken("bob");
            String roomId = room(s, admin);
            String ok = "https://tickets.stadt.example/amtsbote";
            ObjectNode good = rule(roomId, "Ticket", "command", "!ticket", ok, "ticket-bot");
            assertError(s.request("POST", RULES, bob, good), 403, "M_FORBIDDEN");
            assertError(s.request("GET", RULES, bob, null), 403, "M_FORBIDDEN");
            assertError(s.request("DELETE", RULES + "/x", bob, null), 403, "M_FORBIDDEN");
            assertError(s.request("POST", RULES, null, good), 401, "M_MISSING_TOKEN");

            assertError(s.request("POST", RULES, admin, rule(roomId, "R", "pattern", "(unclosed", ok, "b")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, rule(roomId, "R", "pattern", "x".repeat(501), ok, "b")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, rule(roomId, "R", "regex", "x", ok, "b")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, rule(roomId, "R", "command", "!two words", ok, "b")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().without("command")), 400, "M_MISSING_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().without("url")), 400, "M_MISSING_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("name", 7)), 400, "M_BAD_JSON");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("url", "http://tickets.stadt.example/x")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("url", "ftp://tickets.stadt.example/x")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("url", "https://user:pw@tickets.stadt.example/")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("url", "not a url")), 400, "M_INVALID_PARAM");
            // Internal targets are refused unless the config allows them.
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("url", "https://127.0.0.1:8443/")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("url", "https://10.1.2.3/")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("url", "https://localhost/")), 400, "M_INVALID_PARAM");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("room_id", "!nope:test.local")), 404, "M_NOT_FOUND");
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("room_id", "nope")), 400, "M_INVALID_PARAM");
            // A human's account cannot be made a rule's bot.
            assertError(s.request("POST", RULES, admin, good.deepCopy().put("bot_user", "bob")), 400, "M_USER_IN_USE");
            assertEquals(0, s.request("GET", RULES, admin, null).json().get("rules").size(), "nothing half-created");

            JsonNode created = create(s, admin, good);
            assertError(s.request("POST", RULES, admin, good), 400, "M_INVALID_PARAM");
            assertEquals(1, s.request("GET", RULES, admin, null).json().get("rules").size());
            assertEquals(200, s.request("DELETE", RULES + "/" + created.get("id").asText(), admin, null).status());
            assertError(s.request("DELETE", RULES + "/" + created.get("id").asText(), admin, null), 404, "M_NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deletingTheLastHookOrRuleOfABotTakesItOutOfTheRoom(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            String hooks = "/_amtsbote/admin/v1/webhooks";
            ObjectNode hook = Json.object().put("room_id", roomId).put("name", "PRTG").put("format", "prtg").put("bot_user", "alarm");
            var h1 = s.request("POST", hooks, admin, hook);
            assertEquals(200, h1.status(), h1.body());
            var h2 = s.request("POST", hooks, admin, hook.deepCopy().put("name", "PRTG 2"));
            JsonNode r = create(s, admin, rule(roomId, "Ticket", "command", "!ticket", "https://tickets.stadt.example/", "alarm"));
            String bot = s.userId("alarm");
            assertEquals("join", membership(s, admin, roomId, bot));

            assertEquals(200, s.request("DELETE", hooks + "/" + h1.json().get("id").asText(), admin, null).status());
            assertEquals("join", membership(s, admin, roomId, bot), "hook 2 and the rule still use it");
            assertEquals(200, s.request("DELETE", hooks + "/" + h2.json().get("id").asText(), admin, null).status());
            assertEquals("join", membership(s, admin, roomId, bot), "the rule still uses it");
            assertEquals(200, s.request("DELETE", RULES + "/" + r.get("id").asText(), admin, null).status());
            assertEquals("leave", membership(s, admin, roomId, bot));

            // The bot stays a bot: a new hook may use it again, and it rejoins.
            var again = s.request("POST", hooks, admin, hook);
            assertEquals(200, again.status(), again.body());
            assertEquals("join", membership(s, admin, roomId, bot));
            assertEquals(200, s.request("DELETE", hooks + "/" + again.json().get("id").asText(), admin, null).status());
            assertEquals("leave", membership(s, admin, roomId, bot));
        }
    }
}
