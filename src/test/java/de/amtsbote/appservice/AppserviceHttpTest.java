package de.amtsbote.appservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The application service API against the real server and a local receiver playing the service, on SQLite
 * and PostgreSQL: as_token identity assertion, namespaces, registration, transactions (order, exactly once
 * per txn id, backlog after downtime and across a restart), queries and ping.
 */
class AppserviceHttpTest {
    private static final String C = "/_matrix/client/v3";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record R(int status, String body) {
        JsonNode json() { return Json.parse(body); }
        String errcode() { return json().path("errcode").asText(null); }
    }

    static R call(AppserviceServer s, String method, String path, String token, JsonNode body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new R(r.statusCode(), r.body());
    }

    static void assertError(R r, int status, String errcode) {
        assertEquals(status, r.status(), r.body());
        assertEquals(errcode, r.errcode(), r.body());
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static String userToken(AppserviceServer s, String localpart) throws Exception {
        s.server.accounts().createUser(localpart, "password-" + localpart, false, null);
        ObjectNode body = Json.object().put("type", "m.login.password").put("password", "password-" + localpart);
        body.putObject("identifier").put("type", "m.id.user").put("user", localpart);
        return call(s, "POST", C + "/login", null, body).json().get("access_token").asText();
    }

    static R registerAs(AppserviceServer s, String token, String username) throws Exception {
        return call(s, "POST", C + "/register", token, Json.object().put("type", "m.login.application_service")
                .put("username", username).put("inhibit_login", true));
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void identityAssertionNamespacesAndRegistration(TestServer.Db db) throws Exception {
        try (FakeAppservice as = new FakeAppservice(AppserviceServer.HS_TOKEN);
             AppserviceServer s = new AppserviceServer(db, as.url())) {
            String tok = AppserviceServer.AS_TOKEN;
            // The sender exists from the start and is who the token acts as.
            R who = call(s, "GET", C + "/account/whoami", tok, null);
            assertEquals(200, who.status(), who.body());
            assertEquals("@_bridge:test.local", who.json().get("user_id").asText());

            // Registration inside the namespace (no password, no device with inhibit_login).
            R reg = registerAs(s, tok, "_bridge_alice");
            assertEquals(200, reg.status(), reg.body());
            assertEquals("@_bridge_alice:test.local", reg.json().get("user_id").asText());
            assertFalse(reg.json().has("access_token"), reg.body());
            assertError(registerAs(s, tok, "_bridge_alice"), 400, "M_USER_IN_USE");
            assertError(registerAs(s, tok, "mallory"), 400, "M_EXCLUSIVE");
            assertError(registerAs(s, "wrong-token", "_bridge_bob"), 401, "M_UNKNOWN_TOKEN");
            assertError(registerAs(s, null, "_bridge_bob"), 401, "M_MISSING_TOKEN");
            // A user's token is not a service's token either.
            String alice = userToken(s, "alice");
            assertError(registerAs(s, alice, "_bridge_bob"), 401, "M_UNKNOWN_TOKEN");
            // Without inhibit_login the service gets a token for the user (legacy login is supported here).
            R withLogin = call(s, "POST", C + "/register", tok, Json.object().put("type", "m.login.application_service")
                    .put("username", "_bridge_carol"));
            assertEquals(200, withLogin.status(), withLogin.body());
            String carolToken = withLogin.json().get("access_token").asText();
            assertEquals("@_bridge_carol:test.local", call(s, "GET", C + "/account/whoami", carolToken, null).json()
                    .get("user_id").asText());
            // /login as a user of its namespaces, without a password (spec v1.2); outside them M_EXCLUSIVE.
            ObjectNode asLogin = Json.object().put("type", "m.login.application_service");
            asLogin.putObject("identifier").put("type", "m.id.user").put("user", "_bridge_alice");
            R loggedIn = call(s, "POST", C + "/login", tok, asLogin);
            assertEquals(200, loggedIn.status(), loggedIn.body());
            assertEquals("@_bridge_alice:test.local", loggedIn.json().get("user_id").asText());
            assertTrue(loggedIn.json().get("access_token").asText().length() > 10);
            assertError(call(s, "POST", C + "/login", alice, asLogin), 401, "M_UNKNOWN_TOKEN");
            ObjectNode outside = Json.object().put("type", "m.login.application_service");
            outside.putObject("identifier").put("type", "m.id.user").put("user", "alice");
            assertError(call(s, "POST", C + "/login", tok, outside), 400, "M_EXCLUSIVE");
            // A body over the size limit is refused as such, also where the type is peeked at.
            ObjectNode huge = Json.object().put("type", "m.login.application_service").put("pad", "x".repeat(1_100_000));
            assertError(call(s, "POST", C + "/register", tok, huge), 413, "M_TOO_LARGE");
            assertError(call(s, "POST", C + "/login", tok, huge), 413, "M_TOO_LARGE");
            // Not JSON: the ordinary answer of the endpoint.
            assertError(call(s, "POST", C + "/register", null, null), 400, "M_NOT_JSON");
            // Ordinary /register stays closed: without auth it only offers sign-up with a registration token.
            R open = call(s, "POST", C + "/register", null, Json.object().put("username", "x").put("password", "p"));
            assertEquals(401, open.status(), open.body());
            assertEquals("[{\"stages\":[\"m.login.registration_token\"]}]", open.json().get("flows").toString());

            // Masquerading: a registered user in the namespace yes; outside it, or unregistered, no.
            R asAlice = call(s, "GET", C + "/account/whoami?user_id=" + enc("@_bridge_alice:test.local"), tok, null);
            assertEquals("@_bridge_alice:test.local", asAlice.json().get("user_id").asText(), asAlice.body());
            assertError(call(s, "GET", C + "/account/whoami?user_id=" + enc("@alice:test.local"), tok, null), 403, "M_FORBIDDEN");
            assertError(call(s, "GET", C + "/account/whoami?user_id=" + enc("@_bridge_nobody:test.local"), tok, null),
                    403, "M_FORBIDDEN");
            assertError(call(s, "GET", C + "/account/whoami?user_id=" + enc("@_bridge_alice:test.local") + "&device_id=NOPE",
                    tok, null), 400, "M_UNKNOWN_DEVICE");
            assertError(call(s, "GET", C + "/account/whoami", "wrong-token", null), 401, "M_UNKNOWN_TOKEN");
            // device_id: one of the user's devices (created by a login of the service's user).
            R asCarolDevice = call(s, "GET", C + "/account/whoami?user_id=" + enc("@_bridge_carol:test.local") + "&device_id="
                    + withLogin.json().get("device_id").asText(), tok, null);
            assertEquals(withLogin.json().get("device_id").asText(), asCarolDevice.json().get("device_id").asText(), asCarolDevice.body());
            // user_id means nothing on an ordinary user's token.
            assertEquals("@alice:test.local", call(s, "GET", C + "/account/whoami?user_id=" + enc("@_bridge_alice:test.local"),
                    alice, null).json().get("user_id").asText());

            // Exclusive user namespace: admins cannot create users in it (nor the sender's id).
            String admin = s.server.accounts().createUser("admin", "password-admin", true, null);
            assertEquals("@admin:test.local", admin);
            ObjectNode login = Json.object().put("type", "m.login.password").put("password", "password-admin");
            login.putObject("identifier").put("type", "m.id.user").put("user", "admin");
            String adminToken = call(s, "POST", C + "/login", null, login).json().get("access_token").asText();
            assertError(call(s, "POST", "/_amtsbote/admin/v1/users", adminToken, Json.object().put("username", "_bridge_eve")
                    .put("password", "long-enough-password")), 400, "M_EXCLUSIVE");
            assertError(call(s, "POST", "/_amtsbote/admin/v1/users", adminToken, Json.object().put("username", "_bridge")
                    .put("password", "long-enough-password")), 400, "M_EXCLUSIVE");
            assertEquals(200, call(s, "POST", "/_amtsbote/admin/v1/users", adminToken, Json.object().put("username", "bridgefan")
                    .put("password", "long-enough-password")).status());

            // Exclusive alias namespace: a normal user is refused, the service's user may.
            String roomId = call(s, "POST", C + "/createRoom", alice, Json.object()).json().get("room_id").asText();
            assertError(call(s, "PUT", C + "/directory/room/" + enc("#_bridge_x:test.local"), alice,
                    Json.object().put("room_id", roomId)), 400, "M_EXCLUSIVE");
            assertEquals(200, call(s, "PUT", C + "/directory/room/" + enc("#plain:test.local"), alice,
                    Json.object().put("room_id", roomId)).status());
            String bridgeRoom = call(s, "POST", C + "/createRoom", tok, Json.object()).json().get("room_id").asText();
            R own = call(s, "PUT", C + "/directory/room/" + enc("#_bridge_x:test.local"), tok, Json.object().put("room_id", bridgeRoom));
            assertEquals(200, own.status(), own.body());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void transactionsReachTheServiceInOrderAfterDowntimeAndRestart(TestServer.Db db) throws Exception {
        try (FakeAppservice as = new FakeAppservice(AppserviceServer.HS_TOKEN);
             AppserviceServer s = new AppserviceServer(db, as.url())) {
            String tok = AppserviceServer.AS_TOKEN;
            String alice = userToken(s, "alice");
            String other = userToken(s, "bob");
            assertEquals(200, registerAs(s, tok, "_bridge_alice").status());
            String roomId = call(s, "POST", C + "/createRoom", alice, Json.object()).json().get("room_id").asText();
            // A room the service has nobody in: its events must not be pushed.
            String privateRoom = call(s, "POST", C + "/createRoom", other, Json.object()).json().get("room_id").asText();
            assertEquals(200, call(s, "POST", C + "/rooms/" + enc(roomId) + "/invite", alice,
                    Json.object().put("user_id", "@_bridge_alice:test.local")).status());
            String asAlice = "?user_id=" + enc("@_bridge_alice:test.local");
            R join = call(s, "POST", C + "/rooms/" + enc(roomId) + "/join" + asAlice, tok, Json.object());
            assertEquals(200, join.status(), join.body());
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) send(s, alice, roomId, "live " + i, sent);
            send(s, other, privateRoom, "secret", new ArrayList<>());
            await("the live messages", () -> as.messageBodies().size() >= 3);
            assertEquals(sent, as.messageBodies());
            // Every call carries the hs_token.
            for (FakeAppservice.Call c : as.callsTo("/_matrix/app/v1/transactions/")) {
                assertEquals("Bearer " + AppserviceServer.HS_TOKEN, c.authorization());
            }
            assertTrue(as.events.stream().anyMatch(e -> e.path("type").asText().equals("m.room.member")
                    && e.path("content").path("membership").asText().equals("invite")), "the invite was pushed");

            // Ephemeral data (the registration asks for it): typing and a read receipt, with room_id.
            String lastEvent = as.events.getLast().get("event_id").asText();
            assertEquals(200, call(s, "PUT", C + "/rooms/" + enc(roomId) + "/typing/" + enc("@alice:test.local"), alice,
                    Json.object().put("typing", true).put("timeout", 30000)).status());
            assertEquals(200, call(s, "POST", C + "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(lastEvent), alice,
                    Json.object()).status());
            await("typing and receipt pushed", () -> as.ephemeral.stream().anyMatch(e -> e.path("type").asText().equals("m.typing")
                    && e.path("room_id").asText().equals(roomId)
                    && e.path("content").path("user_ids").toString().contains("@alice:test.local"))
                    && as.ephemeral.stream().anyMatch(e -> e.path("type").asText().equals("m.receipt")
                    && e.path("content").path(lastEvent).path("m.read").has("@alice:test.local")));
            // To-device messages for its users' devices (push_to_device).
            R tod = call(s, "POST", C + "/register", tok, Json.object().put("type", "m.login.application_service")
                    .put("username", "_bridge_dev"));
            String devId = tod.json().get("device_id").asText();
            ObjectNode msgs = Json.object();
            msgs.putObject("messages").putObject("@_bridge_dev:test.local").putObject(devId).put("hello", "device");
            assertEquals(200, call(s, "PUT", C + "/sendToDevice/m.test.ping/td1", alice, msgs).status());
            await("the to-device message pushed", () -> as.toDevice.stream().anyMatch(m -> m.path("to_device_id").asText().equals(devId)
                    && m.path("to_user_id").asText().equals("@_bridge_dev:test.local") && m.path("type").asText().equals("m.test.ping")
                    && m.path("sender").asText().equals("@alice:test.local") && m.path("content").path("hello").asText().equals("device")));
            // Typing in a room the service has nobody in is not pushed.
            call(s, "PUT", C + "/rooms/" + enc(privateRoom) + "/typing/" + enc("@bob:test.local"), other,
                    Json.object().put("typing", true).put("timeout", 30000));

            // The service goes down; messages pile up, the server restarts meanwhile, more messages follow.
            as.down();
            for (int i = 0; i < 4; i++) send(s, alice, roomId, "while down " + i, sent);
            // Sending as the service's user works while the service is down (the send path does not wait for it).
            R bridged = call(s, "PUT", C + "/rooms/" + enc(roomId) + "/send/m.room.message/t1" + asAlice, tok,
                    Json.object().put("msgtype", "m.text").put("body", "from the bridge"));
            assertEquals(200, bridged.status(), bridged.body());
            sent.add("from the bridge");
            // A retried send with the same txn id is the same event.
            R again = call(s, "PUT", C + "/rooms/" + enc(roomId) + "/send/m.room.message/t1" + asAlice, tok,
                    Json.object().put("msgtype", "m.text").put("body", "from the bridge"));
            assertEquals(bridged.json().get("event_id"), again.json().get("event_id"));
            Thread.sleep(1500);
            s.restart();
            for (int i = 0; i < 3; i++) send(s, alice, roomId, "after restart " + i, sent);
            as.up();
            await("the backlog", () -> as.messageBodies().size() >= sent.size());
            Thread.sleep(500);
            assertEquals(sent, as.messageBodies(), "every message once, in order");
            assertFalse(as.messageBodies().contains("secret"));
            assertTrue(as.ephemeral.stream().noneMatch(e -> e.path("room_id").asText().equals(privateRoom)));
            // Transaction ids go up, and a resent id carried the same body (FakeAppservice checks that).
            List<Long> ids = as.txnOrder.stream().map(Long::parseLong).toList();
            for (int i = 1; i < ids.size(); i++) assertTrue(ids.get(i) > ids.get(i - 1), "txn ids ascend: " + ids);
            assertTrue(as.callsTo("/_matrix/app/v1/transactions/").size() >= ids.size());
            // A ping that reaches the service ends the backoff wait: the waiting transaction goes at once. Down for
            // about 7.5 s, the worker has tried at 0, 1, 3 and 7 s and would wait until about 15 s on its own.
            as.down();
            send(s, alice, roomId, "after ping", sent);
            Thread.sleep(7_500);
            as.up();
            long pinged = System.currentTimeMillis();
            assertEquals(200, call(s, "POST", "/_matrix/client/v1/appservice/bridge/ping", tok, Json.object()).status());
            await("the message after the ping", () -> as.messageBodies().contains("after ping"));
            assertTrue(System.currentTimeMillis() - pinged < 5_000, "delivered right after the ping");
            assertEquals(sent, as.messageBodies());
            await("the queue to drain", () -> s.server.stores().db() != null
                    && new de.amtsbote.storage.jdbc.JdbcAppserviceStore(s.server.stores().db()).pendingCount("bridge") == 0);
        }
    }

    private static void send(AppserviceServer s, String token, String roomId, String body, List<String> sent) throws Exception {
        R r = call(s, "PUT", C + "/rooms/" + enc(roomId) + "/send/m.room.message/" + body.hashCode()
                + "_" + System.nanoTime(), token, Json.object().put("msgtype", "m.text").put("body", body));
        assertEquals(200, r.status(), r.body());
        sent.add(body);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void queriesAndPing(TestServer.Db db) throws Exception {
        try (FakeAppservice as = new FakeAppservice(AppserviceServer.HS_TOKEN);
             AppserviceServer s = new AppserviceServer(db, as.url())) {
            String tok = AppserviceServer.AS_TOKEN;
            String alice = userToken(s, "alice");
            String roomId = call(s, "POST", C + "/createRoom", alice, Json.object()).json().get("room_id").asText();
            String bridgeRoom = call(s, "POST", C + "/createRoom", tok, Json.object()).json().get("room_id").asText();

            // User query: the service says no (404), so the invite fails; then it creates the user on demand.
            R unknown = call(s, "POST", C + "/rooms/" + enc(roomId) + "/invite", alice,
                    Json.object().put("user_id", "@_bridge_dave:test.local"));
            assertError(unknown, 404, "M_NOT_FOUND");
            assertEquals(1, as.callsTo("/_matrix/app/v1/users/" + enc("@_bridge_dave:test.local").replace("+", "%20")).size());
            // A profile lookup asks too.
            assertError(call(s, "GET", C + "/profile/" + enc("@_bridge_dave:test.local"), alice, null), 404, "M_NOT_FOUND");
            assertEquals(2, as.callsTo("/_matrix/app/v1/users/" + enc("@_bridge_dave:test.local").replace("+", "%20")).size());
            // Users outside its namespace are never asked about.
            call(s, "POST", C + "/rooms/" + enc(roomId) + "/invite", alice, Json.object().put("user_id", "@nobody:test.local"));
            assertTrue(as.callsTo("/_matrix/app/v1/users/" + enc("@nobody")).isEmpty());
            as.queryAnswer = c -> {
                try {
                    if (c.path().startsWith("/_matrix/app/v1/users/")) {
                        return registerAs(s, tok, "_bridge_dave").status();
                    }
                    if (c.path().startsWith("/_matrix/app/v1/rooms/")) {
                        return call(s, "PUT", C + "/directory/room/" + enc("#_bridge_irc:test.local"), tok,
                                Json.object().put("room_id", bridgeRoom)).status();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return 404;
            };
            R invited = call(s, "POST", C + "/rooms/" + enc(roomId) + "/invite", alice,
                    Json.object().put("user_id", "@_bridge_dave:test.local"));
            assertEquals(200, invited.status(), invited.body());
            R zed = call(s, "GET", C + "/profile/" + enc("@_bridge_zed:test.local"), alice, null);
            assertEquals(404, zed.status(), zed.body()); // the stub registers only _bridge_dave
            assertEquals(200, call(s, "GET", C + "/profile/" + enc("@_bridge_dave:test.local"), alice, null).status());

            // Alias query: an unknown alias in the namespace is asked for; the service creates it.
            R alias = call(s, "GET", C + "/directory/room/" + enc("#_bridge_irc:test.local"), alice, null);
            assertEquals(200, alias.status(), alias.body());
            assertEquals(bridgeRoom, alias.json().get("room_id").asText());
            assertEquals(1, as.callsTo("/_matrix/app/v1/rooms/").size());
            assertError(call(s, "GET", C + "/directory/room/" + enc("#elsewhere:test.local"), alice, null), 404, "M_NOT_FOUND");
            assertEquals(1, as.callsTo("/_matrix/app/v1/rooms/").size(), "aliases outside the namespace are not asked for");

            // Ping.
            R ping = call(s, "POST", "/_matrix/client/v1/appservice/bridge/ping", tok, Json.object().put("transaction_id", "meow"));
            assertEquals(200, ping.status(), ping.body());
            assertTrue(ping.json().get("duration_ms").isIntegralNumber(), ping.body());
            FakeAppservice.Call pinged = as.callsTo("/_matrix/app/v1/ping").getLast();
            assertEquals("meow", pinged.json().get("transaction_id").asText());
            assertEquals("Bearer " + AppserviceServer.HS_TOKEN, pinged.authorization());
            assertError(call(s, "POST", "/_matrix/client/v1/appservice/other/ping", tok, Json.object()), 403, "M_FORBIDDEN");
            assertError(call(s, "POST", "/_matrix/client/v1/appservice/bridge/ping", alice, Json.object()), 403, "M_FORBIDDEN");
            assertError(call(s, "POST", "/_matrix/client/v1/appservice/bridge/ping", null, Json.object()), 401, "M_MISSING_TOKEN");
            // The service refuses our hs_token: 502 M_BAD_STATUS with its status and body.
            as.hsToken = "another-token";
            R bad = call(s, "POST", "/_matrix/client/v1/appservice/bridge/ping", tok, Json.object());
            assertError(bad, 502, "M_BAD_STATUS");
            assertEquals(403, bad.json().get("status").asInt());
            assertTrue(bad.json().get("body").asText().contains("M_FORBIDDEN"), bad.body());
            as.down();
            R failed = call(s, "POST", "/_matrix/client/v1/appservice/bridge/ping", tok, Json.object());
            assertError(failed, 502, "M_CONNECTION_FAILED");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void serviceWithoutUrlGetsNoTrafficAndPingSaysSo(TestServer.Db db) throws Exception {
        try (AppserviceServer s = new AppserviceServer(db, null)) {
            String tok = AppserviceServer.AS_TOKEN;
            assertEquals("@_bridge:test.local", call(s, "GET", C + "/account/whoami", tok, null).json().get("user_id").asText());
            assertError(call(s, "POST", "/_matrix/client/v1/appservice/bridge/ping", tok, Json.object()), 400, "M_URL_NOT_SET");
            // Its users still work; sending as one does not wait for anything.
            assertEquals(200, registerAs(s, tok, "_bridge_a").status());
            String room = call(s, "POST", C + "/createRoom", tok, Json.object()).json().get("room_id").asText();
            R sent = call(s, "PUT", C + "/rooms/" + enc(room) + "/send/m.room.message/x", tok,
                    Json.object().put("msgtype", "m.text").put("body", "hi"));
            assertEquals(200, sent.status(), sent.body());
            assertEquals(0, new de.amtsbote.storage.jdbc.JdbcAppserviceStore(s.server.stores().db()).pendingCount("bridge"));
        }
    }

    @org.junit.jupiter.api.Test
    void aBadRegistrationStopsTheStartNamingTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path reg = dir.resolve("broken.yaml");
        java.nio.file.Files.writeString(reg, AppserviceServer.registrationYaml("http://127.0.0.1:1").replace("regex: \"#_bridge_.*\"",
                "regex: \"#_bridge_[\""));
        var config = de.amtsbote.config.ConfigLoader.parse("database:\n  path: " + dir.resolve("db.sqlite") + "\nmedia:\n  path: "
                + dir.resolve("media") + "\nsigning_key_path: " + dir.resolve("k") + "\nlisten:\n  port: 0\nappservices: [" + reg + "]\n",
                dir, "t");
        var e = org.junit.jupiter.api.Assertions.assertThrows(de.amtsbote.config.ConfigException.class,
                () -> new de.amtsbote.AmtsboteServer(config));
        assertTrue(e.getMessage().contains(reg + ": namespaces.aliases[0].regex '#_bridge_[' is not a valid regular expression"),
                e.getMessage());
        assertFalse(java.nio.file.Files.exists(dir.resolve("db.sqlite")), "nothing was opened");
    }
}
