package de.amtsbote.admin;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.storage.AuditStore;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The audit log through the admin API: acts recorded with actor/IP/target, listing, export, verify, refusal. */
class AuditHttpTest {
    private static final String A = "/_amtsbote/admin/v1";

    private static JsonNode entries(TestServer s, String admin, String query) throws Exception {
        var r = s.request("GET", A + "/audit" + query, admin, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void nonAdminsAndAnonymousAreRefused(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String bob = s.userToken("bob");
            for (String path : List.of("/audit", "/audit?limit=5", "/audit/export?format=csv", "/audit/export?format=json",
                    "/audit/verify", "/status")) {
                assertError(s.request("GET", A + path, bob, null), 403, "M_FORBIDDEN");
                assertError(s.request("GET", A + path, null, null), 401, "M_MISSING_TOKEN");
            }
            // An admin demoted while signed in loses access at once.
            String carla = s.userToken("carla", true);
            assertEquals(200, s.request("GET", A + "/audit/verify", carla, null).status());
            AuditTamper.sql(s.server().stores().db(), "UPDATE users SET is_admin = 0 WHERE user_id = '" + s.userId("carla") + "'");
            assertError(s.request("GET", A + "/audit", carla, null), 403, "M_FORBIDDEN");
            assertError(s.request("GET", A + "/audit/export?format=csv", carla, null), 403, "M_FORBIDDEN");
            // A refused export is no export: nothing recorded.
            assertEquals(0, s.server().auditLog().verify().entries());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void adminActsAppearWithActorIpTargetAndNoSecrets(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            var created = s.request("POST", A + "/users", admin, Json.object().put("username", "erika")
                    .put("password", "Geheim-123-Passwort").put("displayname", "Erika Mustermann"));
            assertEquals(200, created.status(), created.body());
            var bot = s.request("POST", A + "/bots", admin, Json.object().put("username", "backup-bot"));
            assertEquals(200, bot.status(), bot.body());
            String device = bot.json().get("device_id").asText();
            String botToken = bot.json().get("access_token").asText();
            var second = s.request("POST", A + "/bots/" + s.userId("backup-bot") + "/tokens", admin, Json.object().put("name", "zwei"));
            assertEquals(200, second.status(), second.body());
            assertEquals(200, s.request("DELETE", A + "/bots/" + s.userId("backup-bot") + "/tokens/" + device, admin, null).status());
            // A failed act is not recorded.
            assertError(s.request("POST", A + "/users", admin, Json.object().put("username", "erika").put("password", "x-y-z-123456")),
                    400, "M_USER_IN_USE");

            JsonNode page = entries(s, admin, "");
            JsonNode list = page.get("entries");
            assertEquals(4, list.size(), page.toString());
            assertFalse(page.has("next_from"));
            JsonNode userCreate = list.get(3);
            assertEquals(1, userCreate.get("seq").asLong());
            assertEquals("user.create", userCreate.get("action").asText());
            assertEquals(s.userId("admin"), userCreate.get("actor").asText());
            assertEquals("127.0.0.1", userCreate.get("ip").asText());
            assertEquals(s.userId("erika"), userCreate.get("target").asText());
            assertEquals("Erika Mustermann", userCreate.get("details").get("displayname").asText());
            assertFalse(userCreate.get("details").get("admin").asBoolean());
            assertEquals(AuditChain.GENESIS, userCreate.get("prev_hash").asText());
            assertTrue(Math.abs(System.currentTimeMillis() - userCreate.get("ts").asLong()) < 60_000);
            assertEquals(List.of("bot.token.revoke", "bot.token.issue", "bot.create", "user.create"),
                    actions(list));
            assertEquals(device, list.get(0).get("details").get("device_id").asText());
            assertEquals(s.userId("backup-bot"), list.get(0).get("target").asText());
            // Newest first, each pointing to the one before it.
            for (int i = 0; i < list.size() - 1; i++) {
                assertEquals(list.get(i + 1).get("hash").asText(), list.get(i).get("prev_hash").asText());
                assertEquals(list.get(i + 1).get("seq").asLong() + 1, list.get(i).get("seq").asLong());
            }
            String all = page.toString();
            assertFalse(all.contains("Geheim-123-Passwort") || all.contains(botToken)
                    || all.contains(second.json().get("access_token").asText()), "no secrets in the log");

            // Reading and verifying are not recorded.
            assertEquals(Json.object().put("ok", true).put("entries", 4), s.request("GET", A + "/audit/verify", admin, null).json());
            assertEquals(4, entries(s, admin, "").get("entries").size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void webhookCreateAndDeleteAreRecordedWithoutTheSecretUrl(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            var room = s.request("POST", "/_matrix/client/v3/createRoom", admin, Json.object().put("name", "EDV"));
            String roomId = room.json().get("room_id").asText();
            var hook = s.request("POST", A + "/webhooks", admin, Json.object().put("room_id", roomId).put("name", "PRTG")
                    .put("format", "prtg").put("bot_user", "prtg-bot"));
            assertEquals(200, hook.status(), hook.body());
            String id = hook.json().get("id").asText();
            String url = hook.json().get("url").asText();
            assertEquals(200, s.request("DELETE", A + "/webhooks/" + id, admin, null).status());

            JsonNode list = entries(s, admin, "?target=" + id).get("entries");
            assertEquals(List.of("webhook.delete", "webhook.create"), actions(list));
            JsonNode details = list.get(1).get("details");
            assertEquals(roomId, details.get("room_id").asText());
            assertEquals("prtg", details.get("format").asText());
            assertEquals(s.userId("admin"), list.get(1).get("actor").asText());
            String secret = url.substring(url.lastIndexOf('/') + 1);
            assertFalse(entries(s, admin, "").toString().contains(secret), "the hook's secret is not in the log");
        }
    }

    private static List<String> actions(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list) out.add(e.get("action").asText());
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void pagingFiltersAndBadParameters(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            AuditLog log = s.server().auditLog();
            for (int i = 1; i <= 25; i++) {
                log.recordSystem(i % 2 == 0 ? "ldap-sync" : "cli", i % 5 == 0 ? "user.lock" : "user.create",
                        "@u" + (i % 3) + ":test.local", Json.object().put("n", i));
            }
            JsonNode p1 = entries(s, admin, "?limit=10");
            assertEquals(10, p1.get("entries").size());
            assertEquals(25, p1.get("entries").get(0).get("seq").asLong());
            assertEquals(15, p1.get("next_from").asLong());
            JsonNode p3 = entries(s, admin, "?limit=10&from=5");
            assertEquals(5, p3.get("entries").size());
            assertEquals(1, p3.get("entries").get(4).get("seq").asLong());
            assertFalse(p3.has("next_from"));

            JsonNode locks = entries(s, admin, "?action=user.lock");
            assertEquals(List.of(25L, 20L, 15L, 10L, 5L), seqs(locks));
            JsonNode ldapOnU1 = entries(s, admin, "?actor=ldap-sync&target=%40u1%3Atest.local&limit=2");
            assertEquals(List.of(22L, 16L), seqs(ldapOnU1));
            assertEquals(10, ldapOnU1.get("next_from").asLong());
            assertTrue(ldapOnU1.get("entries").get(0).get("ip").isNull(), "system acts have no IP");
            assertEquals(0, entries(s, admin, "?action=nothing.like.this").get("entries").size());

            for (String bad : List.of("?from=abc", "?from=0", "?from=-3", "?limit=zehn")) {
                assertError(s.request("GET", A + "/audit" + bad, admin, null), 400, "M_INVALID_PARAM");
            }
            assertError(s.request("GET", A + "/audit/export?format=xlsx", admin, null), 400, "M_INVALID_PARAM");
            assertEquals(25, log.verify().entries(), "a refused export is not recorded");
        }
    }

    private static List<Long> seqs(JsonNode page) {
        List<Long> out = new ArrayList<>();
        for (JsonNode e : page.get("entries")) out.add(e.get("seq").asLong());
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void exportCsvAndJsonAreRecordedAndEscaped(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            AuditLog log = s.server().auditLog();
            log.recordSystem("cli", "user.create", "=HYPERLINK(\"http://evil.example\",\"x\")",
                    Json.object().put("note", "Komma, \"Zitat\"\nZeile 2").put("umlaut", "Prüfprotokoll"));
            log.recordSystem("@admin:test.local", "room.delete", "-1+1", Json.object());

            var csv = s.requestBytes("GET", A + "/audit/export?format=csv", admin, null, null);
            assertEquals(200, csv.statusCode());
            assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
            String disposition = csv.headers().firstValue("Content-Disposition").orElseThrow();
            assertTrue(disposition.matches("attachment; filename=\"amtsbote-audit-\\d{4}-\\d{2}-\\d{2}\\.csv\""), disposition);
            String text = new String(csv.body(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("\uFEFFseq,ts,time_utc,actor,ip,action,target,details,prev_hash,hash\r\n"), text);
            String[] lines = text.substring(1).split("\r\n");
            // Header, two entries, and the export's own entry (recorded before the file is written).
            assertEquals(4, lines.length, text);
            assertTrue(lines[1].startsWith("1,"), lines[1]);
            assertTrue(lines[1].contains(",cli,,user.create,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","), lines[1]);
            assertTrue(lines[1].contains("\"{\"\"note\"\":\"\"Komma, \\\"\"Zitat\\\"\"\\nZeile 2\"\",\"\"umlaut\"\":\"\"Prüfprotokoll\"\"}\""),
                    lines[1]);
            assertTrue(lines[2].contains(",room.delete,'-1+1,"), lines[2]);
            // Matrix user ids start with @, which a spreadsheet would read as a formula: defused like the rest.
            assertTrue(lines[3].contains(",'" + s.userId("admin") + ",127.0.0.1,audit.export,,"), lines[3]);

            var json = s.requestBytes("GET", A + "/audit/export?format=json", admin, null, null);
            assertEquals(200, json.statusCode());
            assertTrue(json.headers().firstValue("Content-Disposition").orElseThrow().endsWith(".json\""));
            JsonNode file = Json.parse(json.body());
            assertEquals(AuditChain.GENESIS, file.get("genesis").asText());
            JsonNode exported = file.get("entries");
            assertEquals(4, exported.size(), "the CSV export and this export's own entry are in it");
            assertEquals("=HYPERLINK(\"http://evil.example\",\"x\")", exported.get(0).get("target").asText());
            assertEquals("Komma, \"Zitat\"\nZeile 2", exported.get(0).get("details").get("note").asText());
            assertEquals("csv", exported.get(2).get("details").get("format").asText());
            assertEquals("json", exported.get(3).get("details").get("format").asText());
            // The JSON file carries everything needed to check the chain without the server.
            List<AuditStore.Entry> rows = new ArrayList<>();
            for (JsonNode e : exported) {
                rows.add(new AuditStore.Entry(e.get("seq").asLong(), e.get("ts").asLong(), e.get("actor").asText(),
                        e.get("ip").isNull() ? null : e.get("ip").asText(), e.get("action").asText(),
                        e.get("target").isNull() ? null : e.get("target").asText(),
                        de.amtsbote.rooms.CanonicalJson.encode(e.get("details")), e.get("prev_hash").asText(), e.get("hash").asText()));
            }
            assertTrue(AuditChain.verify(after -> after == 0 ? rows : List.of()).ok());
            // Default format is JSON.
            assertEquals(200, s.requestBytes("GET", A + "/audit/export", admin, null, null).statusCode());
        }
    }

    @ParameterizedTest
    @EnumSource(AuditTamper.Kind.class)
    void verifyReportsFirstBrokenEntrySqlite(AuditTamper.Kind kind) throws Exception {
        tamperAndVerify(TestServer.Db.SQLITE, kind);
    }

    @ParameterizedTest
    @EnumSource(AuditTamper.Kind.class)
    void verifyReportsFirstBrokenEntryPostgres(AuditTamper.Kind kind) throws Exception {
        tamperAndVerify(TestServer.Db.POSTGRESQL, kind);
    }

    private static void tamperAndVerify(TestServer.Db db, AuditTamper.Kind kind) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            for (int i = 1; i <= 10; i++) {
                s.server().auditLog().recordSystem("cli", "user.create", "@u" + i + ":test.local", Json.object().put("n", i));
            }
            assertEquals(Json.object().put("ok", true).put("entries", 10), s.request("GET", A + "/audit/verify", admin, null).json());
            AuditTamper.sql(s.server().stores().db(), kind.sql);
            JsonNode v = s.request("GET", A + "/audit/verify", admin, null).json();
            assertFalse(v.get("ok").asBoolean(), v.toString());
            assertEquals(kind.brokenSeq, v.get("first_broken_seq").asLong(), v.toString());
            assertTrue(v.get("reason").asText().startsWith(kind.reasonStart), v.toString());
            assertEquals(kind == AuditTamper.Kind.DELETE_MIDDLE ? 9 : 10, v.get("entries").asLong());
            // New entries still chain onto the (tampered) head; the break stays reported at the same place.
            s.server().auditLog().recordSystem("cli", "user.create", "@later:test.local", Json.object());
            assertEquals(kind.brokenSeq, s.request("GET", A + "/audit/verify", admin, null).json().get("first_broken_seq").asLong());
        }
    }
}
