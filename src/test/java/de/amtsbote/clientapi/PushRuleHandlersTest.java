package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import static de.amtsbote.testing.TestServer.assertError;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PushRuleHandlersTest {
    private static final String P = "/_matrix/client/v3/pushrules";

    private static List<String> ids(JsonNode rules) {
        List<String> out = new ArrayList<>();
        rules.forEach(r -> out.add(r.get("rule_id").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void readAllRulesWithAndWithoutTrailingSlash(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            var slash = s.request("GET", P + "/", t, null);
            assertEquals(200, slash.status(), slash.body());
            JsonNode global = slash.json().get("global");
            assertEquals(".m.rule.master", global.get("override").get(0).get("rule_id").asText());
            assertEquals(0, global.get("content").size());
            // The user's own ID is substituted into the default rules.
            assertTrue(slash.body().contains("@alice:test.local"));
            assertEquals(slash.json(), s.request("GET", P, t, null).json());
            assertEquals(global, s.request("GET", P + "/global/", t, null).json());
            assertEquals(slash.json(), s.request("GET", "/_matrix/client/r0/pushrules/", t, null).json());
            assertEquals(401, s.request("GET", P + "/", null, null).status());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void createReadOrderAndDeleteUserRules(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            var put = s.request("PUT", P + "/global/content/cake", t,
                    Json.parseObject("{\"pattern\": \"cake*lie\", \"actions\": [\"notify\"]}"));
            assertEquals(200, put.status(), put.body());
            var got = s.request("GET", P + "/global/content/cake", t, null);
            assertEquals(200, got.status());
            assertEquals("cake*lie", got.json().get("pattern").asText());
            assertTrue(got.json().get("enabled").asBoolean());
            assertFalse(got.json().get("default").asBoolean());

            ObjectNode notify = Json.parseObject("{\"actions\": [\"notify\"], \"conditions\": []}");
            assertEquals(200, s.request("PUT", P + "/global/override/a", t, notify).status());
            assertEquals(200, s.request("PUT", P + "/global/override/b", t, notify).status()); // newest first
            assertEquals(200, s.request("PUT", P + "/global/override/c?after=a", t, notify).status());
            assertEquals(200, s.request("PUT", P + "/global/override/d?before=b", t, notify).status());
            List<String> order = ids(s.request("GET", P + "/", t, null).json().get("global").get("override"));
            assertEquals(List.of(".m.rule.master", "d", "b", "a", "c", ".m.rule.suppress_notices"), order.subList(0, 6));

            // Room rules have the room ID as rule ID, percent-encoded in the path.
            assertEquals(200, s.request("PUT", P + "/global/room/%21room%3Atest.local", t,
                    Json.parseObject("{\"actions\": []}")).status());
            assertEquals("!room:test.local",
                    s.request("GET", P + "/global/room/%21room%3Atest.local", t, null).json().get("rule_id").asText());

            assertEquals(200, s.request("DELETE", P + "/global/override/b", t, null).status());
            assertError(s.request("GET", P + "/global/override/b", t, null), 404, "M_NOT_FOUND");
            assertError(s.request("DELETE", P + "/global/override/b", t, null), 404, "M_NOT_FOUND");

            // Another user does not see alice's rules.
            String bob = s.userToken("bob");
            assertError(s.request("GET", P + "/global/content/cake", bob, null), 404, "M_NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void errorsFollowTheSpec(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            ObjectNode notify = Json.parseObject("{\"actions\": [\"notify\"]}");
            assertError(s.request("PUT", P + "/global/override/.m.mine", t, notify), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", P + "/global/nonsense/x", t, notify), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", P + "/device/override/x", t, notify), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", P + "/global/override/x?before=missing", t, notify), 400, "M_UNKNOWN");
            assertError(s.request("PUT", P + "/global/override/x?after=.m.rule.master", t, notify), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", P + "/global/content/x", t, notify), 400, "M_BAD_JSON"); // no pattern
            assertError(s.request("PUT", P + "/global/override/x", t, Json.object()), 400, "M_BAD_JSON"); // no actions
            assertError(s.requestRaw("PUT", P + "/global/override/x", t, "{nope", "application/json"), 400, "M_NOT_JSON");
            assertError(s.request("GET", P + "/global/override/nope", t, null), 404, "M_NOT_FOUND");
            assertError(s.request("GET", P + "/global/override/nope/enabled", t, null), 404, "M_NOT_FOUND");
            assertError(s.request("PUT", P + "/global/override/nope/enabled", t,
                    Json.parseObject("{\"enabled\": false}")), 404, "M_NOT_FOUND");
            assertError(s.request("PUT", P + "/global/override/nope/actions", t, notify), 404, "M_NOT_FOUND");
            assertError(s.request("DELETE", P + "/global/override/.m.rule.master", t, null), 400, "M_INVALID_PARAM");
            assertError(s.request("PUT", P + "/global/override/.m.rule.master/enabled", t,
                    Json.parseObject("{\"enabled\": \"yes\"}")), 400, "M_BAD_JSON");
            assertError(s.request("PUT", P + "/global/override/.m.rule.master/actions", t,
                    Json.parseObject("{\"actions\": \"notify\"}")), 400, "M_BAD_JSON");
            // Nothing of the failed requests was stored.
            assertTrue(s.server().stores().accountData().pushRules(s.userId("alice")).isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void enabledAndActionsAlsoOnDefaultRulesAndAccountDataFollows(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            String alice = s.userId("alice");
            var store = s.server().stores().accountData();
            assertTrue(store.get(alice, "", "m.push_rules").isEmpty());
            long before = store.since(alice, 0, Long.MAX_VALUE).size();

            String master = P + "/global/override/.m.rule.master";
            assertFalse(s.request("GET", master + "/enabled", t, null).json().get("enabled").asBoolean());
            assertEquals(200, s.request("PUT", master + "/enabled", t, Json.parseObject("{\"enabled\": true}")).status());
            assertTrue(s.request("GET", master + "/enabled", t, null).json().get("enabled").asBoolean());
            assertTrue(s.request("GET", master, t, null).json().get("enabled").asBoolean());

            String call = P + "/global/underride/.m.rule.call";
            var set = s.request("PUT", call + "/actions", t, Json.parseObject("{\"actions\": [\"notify\"]}"));
            assertEquals(200, set.status(), set.body());
            assertEquals(Json.parse("[\"notify\"]"), s.request("GET", call + "/actions", t, null).json().get("actions"));

            // The m.push_rules account data (what /sync shows) carries the current rules.
            ObjectNode ad = store.get(alice, "", "m.push_rules").orElseThrow();
            assertEquals(s.request("GET", P + "/", t, null).json(), ad);
            assertTrue(ad.get("global").get("override").get(0).get("enabled").asBoolean());
            assertTrue(store.since(alice, 0, Long.MAX_VALUE).size() > before);
            // Readable through the account data API too; not writable there.
            assertEquals(ad, s.request("GET", "/_matrix/client/v3/user/" + alice + "/account_data/m.push_rules", t, null).json());

            // A user rule's enabled flag survives replacing the rule.
            ObjectNode notify = Json.parseObject("{\"actions\": [\"notify\"]}");
            assertEquals(200, s.request("PUT", P + "/global/sender/%40bob%3Atest.local", t, notify).status());
            assertEquals(200, s.request("PUT", P + "/global/sender/%40bob%3Atest.local/enabled", t,
                    Json.parseObject("{\"enabled\": false}")).status());
            assertEquals(200, s.request("PUT", P + "/global/sender/%40bob%3Atest.local", t,
                    Json.parseObject("{\"actions\": []}")).status());
            var bobRule = s.request("GET", P + "/global/sender/%40bob%3Atest.local", t, null).json();
            assertFalse(bobRule.get("enabled").asBoolean());
            assertEquals(0, bobRule.get("actions").size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void rulesSurviveARestartOfTheCache(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            String alice = s.userId("alice");
            assertEquals(200, s.request("PUT", P + "/global/content/x", t,
                    Json.parseObject("{\"pattern\": \"x\", \"actions\": [\"notify\"]}")).status());
            var fresh = new de.amtsbote.push.PushRules(s.server().stores().accountData(), new de.amtsbote.sync.Notifier());
            assertEquals(List.of("x"), ids(fresh.globalRuleset(alice).get("content")));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void rulesOfOneKindAndHistoricalActions(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String t = s.userToken("alice");
            var override = s.request("GET", P + "/global/override/", t, null);
            assertEquals(200, override.status(), override.body());
            assertEquals(".m.rule.master", override.json().get(0).get("rule_id").asText());
            assertEquals(s.request("GET", P + "/", t, null).json().get("global").get("override"), override.json());
            assertEquals(200, s.request("PUT", P + "/global/content/cake", t,
                    Json.parseObject("{\"pattern\": \"cake*lie\", \"actions\": [\"notify\"]}")).status());
            assertEquals(List.of("cake"), ids(s.request("GET", P + "/global/content/", t, null).json()));
            assertEquals(List.of("cake"), ids(s.request("GET", P + "/global/content", t, null).json()));
            assertError(s.request("GET", P + "/global/nonsense/", t, null), 400, "M_INVALID_PARAM");
            assertEquals(401, s.request("GET", P + "/global/override/", null, null).status());

            // "dont_notify" is historical: stored and shown as an empty actions array (spec, push.md).
            assertEquals(200, s.request("PUT", P + "/global/room/%21r%3Atest.local", t,
                    Json.parseObject("{\"actions\": [\"dont_notify\"]}")).status());
            assertEquals(0, s.request("GET", P + "/global/room/%21r%3Atest.local/actions", t, null)
                    .json().get("actions").size());
            // The server-default rules of the current spec: the legacy body-matching rules were removed in v1.17.
            String all = s.request("GET", P + "/", t, null).body();
            assertFalse(all.contains(".m.rule.contains_display_name"), all);
            assertFalse(all.contains(".m.rule.roomnotif"), all);
            assertFalse(all.contains(".m.rule.contains_user_name"), all);
            assertTrue(all.contains(".m.rule.is_user_mention") && all.contains(".m.rule.is_room_mention"), all);
        }
    }

    /** Security: pattern size is bounded (before the fix a 500k-character glob was accepted and slowed every message). */
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void patternsAreBoundedAndAPathologicalOneDoesNotBreakSending(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            String huge = "*a".repeat(250_000);
            assertError(s.request("PUT", P + "/global/content/evil", bob,
                    Json.object().put("pattern", huge).set("actions", Json.parse("[\"notify\"]"))), 400, "M_INVALID_PARAM");
            ObjectNode cond = Json.object().put("kind", "event_match").put("key", "content.body").put("pattern", "x".repeat(256));
            ObjectNode rule = Json.object();
            rule.putArray("conditions").add(cond);
            rule.putArray("actions").add("notify");
            assertError(s.request("PUT", P + "/global/override/evil", bob, rule), 400, "M_INVALID_PARAM");
            assertTrue(s.server().stores().accountData().pushRules(s.userId("bob")).isEmpty());

            // The longest allowed pathological pattern: accepted, and messages to bob's rooms still go through.
            String longest = "*a".repeat(127) + "b";
            assertEquals(200, s.request("PUT", P + "/global/content/evil", bob,
                    Json.object().put("pattern", longest).set("actions", Json.parse("[\"notify\"]"))).status());
            var room = s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object().put("preset", "public_chat"));
            String roomId = room.json().get("room_id").asText();
            assertEquals(200, s.request("POST", "/_matrix/client/v3/join/" + java.net.URLEncoder.encode(roomId,
                    java.nio.charset.StandardCharsets.UTF_8), bob, Json.object()).status());
            var sent = s.request("PUT", "/_matrix/client/v3/rooms/" + java.net.URLEncoder.encode(roomId,
                    java.nio.charset.StandardCharsets.UTF_8) + "/send/m.room.message/t1", alice,
                    Json.object().put("msgtype", "m.text").put("body", "a".repeat(50_000)));
            assertEquals(200, sent.status(), sent.body());
        }
    }
}
