package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bot accounts: admins create bots, issue, list and revoke their long-lived tokens; others get 403. */
class BotAdminHandlersTest {
    private static final String BOTS = "/_amtsbote/admin/v1/bots";

    private static String whoami(TestServer s, String token) throws Exception {
        var r = s.request("GET", "/_matrix/client/v3/account/whoami", token, null);
        return r.status() == 200 ? r.json().get("user_id").asText() : r.errcode();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void createIssueListRevoke(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String bob = s.userToken("bob");
            var body = Json.object().put("username", "backup-bot").put("displayname", "Backup").put("token_name", "nightly");
            assertError(s.request("POST", BOTS, bob, body), 403, "M_FORBIDDEN");
            assertError(s.request("GET", BOTS, bob, null), 403, "M_FORBIDDEN");

            var created = s.request("POST", BOTS, admin, body);
            assertEquals(200, created.status(), created.body());
            String botId = s.userId("backup-bot");
            assertEquals(botId, created.json().get("user_id").asText());
            String first = created.json().get("access_token").asText();
            assertEquals(botId, whoami(s, first));
            assertError(s.request("POST", BOTS, admin, body), 400, "M_USER_IN_USE");

            var second = s.request("POST", BOTS + "/" + botId + "/tokens", admin, Json.object().put("name", "monitoring"));
            assertEquals(200, second.status(), second.body());
            String secondToken = second.json().get("access_token").asText();

            var list = s.request("GET", BOTS, admin, null);
            assertEquals(200, list.status());
            JsonNode bot = list.json().get("bots").get(0);
            assertEquals(botId, bot.get("user_id").asText());
            assertEquals(2, bot.get("tokens").size());
            assertFalse(list.body().contains(first) || list.body().contains(secondToken), "no token in the list");

            String firstDevice = created.json().get("device_id").asText();
            assertError(s.request("DELETE", BOTS + "/" + botId + "/tokens/" + firstDevice, bob, null), 403, "M_FORBIDDEN");
            assertEquals(200, s.request("DELETE", BOTS + "/" + botId + "/tokens/" + firstDevice, admin, null).status());
            assertEquals("M_UNKNOWN_TOKEN", whoami(s, first));
            assertEquals(botId, whoami(s, secondToken));
            assertError(s.request("DELETE", BOTS + "/" + botId + "/tokens/" + firstDevice, admin, null), 404, "M_NOT_FOUND");
            // Human accounts are not bots: no tokens issued for them through this API.
            assertError(s.request("POST", BOTS + "/" + s.userId("bob") + "/tokens", admin, Json.object()), 404, "M_NOT_FOUND");
        }
    }
}
