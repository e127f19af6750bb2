package de.amtsbote.admin;

import static de.amtsbote.admin.SynapseUserAdminTest.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.http.HttpServer;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.Stores;
import de.amtsbote.storage.jdbc.JdbcDeviceWipeStore;
import de.amtsbote.storage.jdbc.JdbcUserAdminStore;
import de.amtsbote.testing.EmbeddedPostgres;
import de.amtsbote.testing.TestServer;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.UserModeration;
import de.amtsbote.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every admin act of the users part reaches AdminAudit (actor, action, target), and failed acts do not. */
class AdminAuditCallsTest {
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private final AdminAudit audit = new AdminAudit() {
        @Override public void record(Req req, String action, String target, ObjectNode details) {
            recorded.add(req.userId() + " " + action + " " + target + (details.has("password") ? " LEAK" : ""));
        }
        @Override public void recordSystem(String actor, String action, String target, ObjectNode details) {
            recorded.add(actor + " " + action + " " + target);
        }
    };

    private int call(String method, String path, String token, ObjectNode body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void everyActIsRecorded(TestServer.Db db) throws Exception {
        Path dir = Files.createTempDirectory("audit-calls");
        String database = db == TestServer.Db.SQLITE
                ? "database:\n  type: sqlite\n  path: " + dir.resolve("db.sqlite") + "\n"
                : "database:\n  type: postgresql\n  url: " + EmbeddedPostgres.newDatabaseUrl() + "\n  user: postgres\n";
        var config = ConfigLoader.parse("server_name: test.local\n" + database, dir, "test");
        try (Database database1 = Database.open(config.database())) {
            Accounts accounts = new Accounts(Stores.of(database1).accounts(), "test.local", 1000);
            UserModeration users = new UserModeration(accounts, new JdbcUserAdminStore(database1),
                    new JdbcDeviceWipeStore(database1), System::currentTimeMillis);
            Router router = new Router();
            new SynapseUserHandlers(users, audit, u -> Map.of()).register(router);
            new SynapseDeviceHandlers(users, audit).register(router);
            new AccountLockHandlers(users, audit).register(router);
            HttpServer server = new HttpServer("127.0.0.1", 0, router, accounts, 1_048_576, 60_000, null);
            server.start();
            try {
                port = server.port();
                accounts.createUser("admin", "password-admin", true, null);
                accounts.createUser("max", "password-max", false, null);
                String admin = accounts.login(new Accounts.LoginRequest("admin", "password-admin", null, null), "127.0.0.1")
                        .get("access_token").asText();
                String maxDevice = accounts.login(new Accounts.LoginRequest("max", "password-max", "PHONE", null), "127.0.0.1")
                        .get("device_id").asText();
                accounts.login(new Accounts.LoginRequest("max", "password-max", "LAPTOP", null), "127.0.0.1");
                String max = enc("@max:test.local");
                String v2 = "/_synapse/admin/v2/users/";
                String v1 = "/_synapse/admin/v1/";

                assertEquals(201, call("PUT", v2 + enc("@neu:test.local"), admin, Json.object().put("password", "password-neu")));
                assertEquals(200, call("PUT", v2 + max, admin, Json.object().put("displayname", "Max M.")));
                assertEquals(200, call("PUT", v2 + max, admin, Json.object())); // nothing changed: nothing recorded
                assertEquals(200, call("PUT", v1 + "users/" + max + "/admin", admin, Json.object().put("admin", true)));
                assertEquals(200, call("PUT", v1 + "users/" + max + "/admin", admin, Json.object().put("admin", false)));
                assertEquals(200, call("PUT", "/_matrix/client/v1/admin/lock/" + max, admin, Json.object().put("locked", true)));
                assertEquals(200, call("PUT", "/_matrix/client/v1/admin/lock/" + max, admin, Json.object().put("locked", false)));
                assertEquals(200, call("PUT", v2 + max + "/devices/" + maxDevice, admin, Json.object().put("display_name", "Handy")));
                assertEquals(200, call("POST", "/_amtsbote/admin/v1/users/" + max + "/devices/" + maxDevice + "/wipe", admin, Json.object()));
                assertEquals(200, call("DELETE", v2 + max + "/devices/LAPTOP", admin, null));
                assertEquals(200, call("POST", v1 + "reset_password/" + max, admin, Json.object().put("new_password", "neues-pw-123")));
                assertEquals(200, call("POST", v1 + "deactivate/" + max, admin, Json.object().put("erase", true)));
                // Refused acts are not recorded.
                assertEquals(400, call("POST", v1 + "reset_password/" + max, admin, Json.object()));
                assertEquals(404, call("POST", v1 + "deactivate/" + enc("@nobody:test.local"), admin, Json.object()));

                assertEquals(List.of(
                        "@admin:test.local user.create @neu:test.local",
                        "@admin:test.local user.modify @max:test.local",
                        "@admin:test.local user.admin.grant @max:test.local",
                        "@admin:test.local user.admin.revoke @max:test.local",
                        "@admin:test.local user.lock @max:test.local",
                        "@admin:test.local user.unlock @max:test.local",
                        "@admin:test.local device.rename @max:test.local PHONE",
                        "@admin:test.local device.wipe @max:test.local PHONE",
                        "@admin:test.local device.delete @max:test.local LAPTOP",
                        "@admin:test.local user.reset_password @max:test.local",
                        "@admin:test.local user.erase @max:test.local"), recorded);
            } finally {
                server.close();
            }
        }
    }
}
