package de.amtsbote.admin;

import static de.amtsbote.admin.SynapseUserAdminTest.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.AmtsboteServer;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.testing.EmbeddedPostgres;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Locks and wipes are stored: after a restart the lock still holds and a wiped device is still recognised. */
class ModerationRestartTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode call(AmtsboteServer s, String method, String path, String token, JsonNode body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return Json.object().put("status", r.statusCode()).set("body", Json.parse(r.body()));
    }

    private static String login(AmtsboteServer s, HttpClient http, String user) throws Exception {
        var body = Json.object().put("type", "m.login.password").put("user", user).put("password", "password-" + user);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/_matrix/client/v3/login"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.parse(r.body()).get("access_token").asText();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void lockAndWipeSurviveRestart(TestServer.Db db) throws Exception {
        Path dir = Files.createTempDirectory("amtsbote-restart");
        String database = db == TestServer.Db.SQLITE
                ? "database:\n  type: sqlite\n  path: " + dir.resolve("db.sqlite") + "\n"
                : "database:\n  type: postgresql\n  url: " + EmbeddedPostgres.newDatabaseUrl() + "\n  user: postgres\n";
        String yaml = "server_name: test.local\nlisten:\n  address: 127.0.0.1\n  port: 0\n" + database
                + "media:\n  path: " + dir.resolve("media") + "\nsigning_key_path: " + dir.resolve("signing.key") + "\n"
                + "limits:\n  login_attempts_per_minute: 1000\n";
        String admin, locked, wiped;
        try (AmtsboteServer s = new AmtsboteServer(ConfigLoader.parse(yaml, dir, "test")).start()) {
            s.accounts().createUser("admin", "password-admin", true, null);
            s.accounts().createUser("lisa", "password-lisa", false, null);
            s.accounts().createUser("ole", "password-ole", false, null);
            admin = login(s, http, "admin");
            locked = login(s, http, "lisa");
            wiped = login(s, http, "ole");
            String device = call(s, "GET", "/_matrix/client/v3/account/whoami", wiped, null).get("body").get("device_id").asText();
            assertEquals(200, call(s, "GET", "/_matrix/client/v3/account/whoami", locked, null).get("status").asInt());
            assertEquals(200, call(s, "PUT", "/_synapse/admin/v2/users/" + enc("@lisa:test.local"), admin,
                    Json.object().put("locked", true)).get("status").asInt());
            assertEquals(200, call(s, "POST", "/_amtsbote/admin/v1/users/" + enc("@ole:test.local") + "/devices/"
                    + enc(device) + "/wipe", admin, Json.object()).get("status").asInt());
        }
        try (AmtsboteServer s = new AmtsboteServer(ConfigLoader.parse(yaml, dir, "test")).start()) {
            // The client of the device's last request was stored (asked before lisa's device makes any request).
            JsonNode devices = call(s, "GET", "/_synapse/admin/v2/users/" + enc("@lisa:test.local") + "/devices", admin, null);
            assertTrue(devices.get("body").get("devices").get(0).get("last_seen_user_agent").asText().startsWith("Java-http-client"),
                    devices.toString());
            JsonNode lockedAnswer = call(s, "GET", "/_matrix/client/v3/account/whoami", locked, null);
            assertEquals(401, lockedAnswer.get("status").asInt());
            assertEquals("M_USER_LOCKED", lockedAnswer.get("body").get("errcode").asText());
            JsonNode wipedAnswer = call(s, "GET", "/_matrix/client/v3/account/whoami", wiped, null);
            assertEquals("M_UNKNOWN_TOKEN", wipedAnswer.get("body").get("errcode").asText());
            assertTrue(wipedAnswer.get("body").get("de.amtsbote.wiped").asBoolean());
            JsonNode wipes = call(s, "GET", "/_amtsbote/admin/v1/users/" + enc("@ole:test.local") + "/wipes", admin, null);
            assertTrue(wipes.get("body").get("wipes").get(0).get("confirmed_ts").asLong() > 0, wipes.toString());
        }
    }
}
