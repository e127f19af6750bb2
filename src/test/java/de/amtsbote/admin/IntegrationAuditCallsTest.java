package de.amtsbote.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.config.Config;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.http.HttpServer;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.EncryptionPolicy;
import de.amtsbote.rooms.Profiles;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.rooms.RoomCreator;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.ServerSigningKey;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.Stores;
import de.amtsbote.storage.jdbc.JdbcBotStore;
import de.amtsbote.storage.jdbc.JdbcOutgoingRuleStore;
import de.amtsbote.storage.jdbc.JdbcWebhookStore;
import de.amtsbote.sync.Notifier;
import de.amtsbote.testing.EmbeddedPostgres;
import de.amtsbote.testing.TestServer;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.BotAccounts;
import de.amtsbote.util.Json;
import de.amtsbote.webhooks.IntegrationBots;
import de.amtsbote.webhooks.OutgoingRules;
import de.amtsbote.webhooks.Webhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every admin act on webhooks, outgoing rules and bot accounts reaches AdminAudit (actor, action, target), with
 * no secret or token in the details; refused acts are not recorded.
 */
class IntegrationAuditCallsTest {
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private final AdminAudit audit = new AdminAudit() {
        @Override
        public void record(Req req, String action, String target, ObjectNode details) {
            String d = Json.write(details);
            boolean leak = secrets.stream().anyMatch(d::contains);
            recorded.add(req.userId() + " " + action + " " + target + (leak ? " LEAK" : ""));
        }

        @Override
        public void recordSystem(String actor, String action, String target, ObjectNode details) {
            recorded.add(actor + " " + action + " " + target);
        }
    };

    private JsonNode call(String method, String path, String token, ObjectNode body, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return Json.parse(r.body());
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void everyActIsRecorded(TestServer.Db db) throws Exception {
        Path dir = Files.createTempDirectory("integration-audit");
        String database = db == TestServer.Db.SQLITE
                ? "database:\n  type: sqlite\n  path: " + dir.resolve("db.sqlite") + "\n"
                : "database:\n  type: postgresql\n  url: " + EmbeddedPostgres.newDatabaseUrl() + "\n  user: postgres\n";
        Config config = ConfigLoader.parse("server_name: test.local\n" + database, dir, "test");
        try (Database dbase = Database.open(config.database())) {
            Stores stores = Stores.of(dbase);
            Accounts accounts = new Accounts(stores.accounts(), "test.local", 1000);
            RoomService rooms = new RoomService(stores.events(), dbase, ServerSigningKey.generate("a_test"), "test.local",
                    new Notifier());
            Profiles profiles = u -> stores.accounts().user(u).map(x -> new Profiles.Profile(x.displayname(), null)).orElse(null);
            RoomActions actions = new RoomActions(rooms, stores.directory(), profiles, EncryptionPolicy.of(config.encryption()));
            JdbcWebhookStore hookStore = new JdbcWebhookStore(dbase);
            JdbcOutgoingRuleStore ruleStore = new JdbcOutgoingRuleStore(dbase);
            IntegrationBots bots = new IntegrationBots(accounts, actions, hookStore, ruleStore, System::currentTimeMillis);
            OutgoingRules rules = new OutgoingRules(ruleStore, bots, false, 1000, System::currentTimeMillis);
            Router router = new Router();
            new WebhookAdminHandlers(new Webhooks(hookStore, bots, "http://127.0.0.1/", 60, 65_536,
                    System::currentTimeMillis), audit).register(router);
            new RuleAdminHandlers(rules, audit).register(router);
            new BotAdminHandlers(new BotAccounts(accounts, new JdbcBotStore(dbase), System::currentTimeMillis), audit)
                    .register(router);
            HttpServer server = new HttpServer("127.0.0.1", 0, router, accounts, 1_048_576, 60_000, null);
            server.start();
            try {
                port = server.port();
                accounts.createUser("admin", "password-admin", true, null);
                String admin = accounts.login(new Accounts.LoginRequest("admin", "password-admin", null, null), "127.0.0.1")
                        .get("access_token").asText();
                String roomId = new RoomCreator(actions).create("@admin:test.local", Json.object().put("name", "EDV"));
                String a = "@admin:test.local ";

                JsonNode hook = call("POST", "/_amtsbote/admin/v1/webhooks", admin, Json.object().put("room_id", roomId)
                        .put("name", "PRTG").put("format", "prtg").put("bot_user", "prtg"), 200);
                secrets.add(hook.get("url").asText().substring(hook.get("url").asText().lastIndexOf('/') + 1));
                call("POST", "/_amtsbote/admin/v1/webhooks", admin, Json.object().put("room_id", roomId)
                        .put("name", "x").put("format", "nagios").put("bot_user", "prtg"), 400);
                call("DELETE", "/_amtsbote/admin/v1/webhooks/" + hook.get("id").asText(), admin, null, 200);
                call("DELETE", "/_amtsbote/admin/v1/webhooks/" + hook.get("id").asText(), admin, null, 404);

                JsonNode rule = call("POST", "/_amtsbote/admin/v1/rules", admin, Json.object().put("room_id", roomId)
                        .put("name", "Ticket").put("kind", "command").put("command", "!ticket")
                        .put("url", "https://tickets.stadt.example/hook?apikey=geheim123").put("bot_user", "ticket"), 200);
                secrets.add(rule.get("secret").asText());
                secrets.add("geheim123");
                call("POST", "/_amtsbote/admin/v1/rules", admin, Json.object().put("room_id", roomId).put("name", "R")
                        .put("kind", "pattern").put("pattern", "(").put("url", "https://x.example/").put("bot_user", "t"), 400);
                call("DELETE", "/_amtsbote/admin/v1/rules/" + rule.get("id").asText(), admin, null, 200);

                JsonNode bot = call("POST", "/_amtsbote/admin/v1/bots", admin, Json.object().put("username", "backup"), 200);
                secrets.add(bot.get("access_token").asText());
                JsonNode second = call("POST", "/_amtsbote/admin/v1/bots/@backup:test.local/tokens", admin, Json.object(), 200);
                secrets.add(second.get("access_token").asText());
                call("DELETE", "/_amtsbote/admin/v1/bots/@backup:test.local/tokens/" + second.get("device_id").asText(),
                        admin, null, 200);

                assertEquals(List.of(a + "webhook.create " + hook.get("id").asText(),
                        a + "webhook.delete " + hook.get("id").asText(),
                        a + "rule.create " + rule.get("id").asText(),
                        a + "rule.delete " + rule.get("id").asText(),
                        a + "bot.create @backup:test.local",
                        a + "bot.token.issue @backup:test.local",
                        a + "bot.token.revoke @backup:test.local"), recorded);
            } finally {
                server.close();
                rules.close();
            }
        }
    }
}
