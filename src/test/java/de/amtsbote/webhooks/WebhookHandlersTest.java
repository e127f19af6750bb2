package de.amtsbote.webhooks;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incoming webhooks over HTTP: the admin API, the delivery endpoint with PRTG (form and JSON), Alertmanager and
 * generic bodies, the outage/recovery thread pairing, retries posted once, and the errors.
 */
class WebhookHandlersTest {
    private static final String C = "/_matrix/client/v3";
    private static final String ADMIN = "/_amtsbote/admin/v1/webhooks";
    private static final String FORM = "application/x-www-form-urlencoded";

    private record Hook(String id, String path) {}

    private static String room(TestServer s, String token) throws Exception {
        var r = s.request("POST", C + "/createRoom", token, Json.object().put("name", "EDV-Notfall"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("room_id").asText();
    }

    private static Hook hook(TestServer s, String admin, String roomId, String format, String bot) throws Exception {
        var r = s.request("POST", ADMIN, admin, Json.object().put("room_id", roomId).put("name", "Monitoring " + format)
                .put("format", format).put("bot_user", bot));
        assertEquals(200, r.status(), r.body());
        String path = URI.create(r.json().get("url").asText()).getPath();
        assertTrue(path.startsWith("/_amtsbote/hooks/v1/" + r.json().get("id").asText() + "/"), path);
        return new Hook(r.json().get("id").asText(), path);
    }

    /** The room's messages, oldest first. */
    private static List<JsonNode> messages(TestServer s, String token, String roomId) throws Exception {
        var r = s.request("GET", C + "/rooms/" + roomId + "/messages?dir=b&limit=100", token, null);
        assertEquals(200, r.status(), r.body());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : r.json().get("chunk")) if ("m.room.message".equals(e.path("type").asText())) out.addFirst(e);
        return out;
    }

    private static String prtgForm(String device, String sensor, String status, String down, String message, String datetime) {
        String[][] f = {{"sensor", sensor}, {"device", device}, {"status", status}, {"down", down}, {"message", message},
                {"datetime", datetime}, {"linksensor", "https://prtg.stadt.example/sensor.htm?id=2061"}};
        StringBuilder b = new StringBuilder();
        for (String[] kv : f) {
            if (!b.isEmpty()) b.append('&');
            b.append(kv[0]).append('=').append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** type null: no Content-Type header at all. */
    private static String post(TestServer s, Hook h, String body, String type) throws Exception {
        var r = s.requestBytes("POST", h.path(), null, body.getBytes(StandardCharsets.UTF_8), type);
        String answer = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(200, r.statusCode(), answer);
        return Json.parse(answer).get("event_id").asText();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void prtgDownAndUpPairedInThreadAndRetryPostedOnce(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            Hook h = hook(s, admin, roomId, "prtg", "prtg-bot");

            String down = prtgForm("Fileserver FS01", "Ping", "Down", "2 m 30 s", "Request timed out (ICMP error # 11010)",
                    "02.12.2026 01:05:12");
            String outage = post(s, h, down, FORM);
            // PRTG retries a notification it thinks failed: same event, nothing posted twice.
            assertEquals(outage, post(s, h, down, FORM));
            // Another sensor, sent as JSON (PRTG's "Execute HTTP Action" with a JSON post body).
            ObjectNode json = Json.object().put("sensor", "HTTP").put("device", "Webserver WWW1").put("status", "Down")
                    .put("down", "1 m").put("message", "Connection refused").put("datetime", "02.12.2026 01:06:00")
                    .put("linksensor", "https://prtg.stadt.example/sensor.htm?id=3001");
            String otherOutage = post(s, h, Json.write(json), "application/json");
            String up = post(s, h, prtgForm("Fileserver FS01", "Ping", "Up", "", "OK", "02.12.2026 01:09:40"), FORM);

            List<JsonNode> msgs = messages(s, admin, roomId);
            assertEquals(3, msgs.size(), msgs.toString());
            JsonNode first = msgs.get(0);
            assertEquals(outage, first.get("event_id").asText());
            assertEquals(s.userId("prtg-bot"), first.get("sender").asText());
            JsonNode c = first.get("content");
            assertEquals("m.notice", c.get("msgtype").asText());
            assertEquals("org.matrix.custom.html", c.get("format").asText());
            assertTrue(c.get("body").asText().contains("[Down] Fileserver FS01 / Ping: Request timed out"), c.toString());
            assertTrue(c.get("formatted_body").asText().contains("data-mx-color=\"#c62828\""), c.toString());
            assertTrue(c.get("formatted_body").asText().contains("<a href=\"https://prtg.stadt.example/sensor.htm?id=2061\">"));
            assertFalse(c.has("m.relates_to"));
            assertFalse(msgs.get(1).get("content").has("m.relates_to"));
            assertEquals(otherOutage, msgs.get(1).get("event_id").asText());

            JsonNode rec = msgs.get(2).get("content");
            assertEquals(up, msgs.get(2).get("event_id").asText());
            assertEquals("m.thread", rec.at("/m.relates_to/rel_type").asText());
            assertEquals(outage, rec.at("/m.relates_to/event_id").asText());
            assertTrue(rec.get("formatted_body").asText().contains("#2e7d32"), rec.toString());

            // After the recovery a new outage of the same sensor starts a new thread.
            String again = post(s, h, prtgForm("Fileserver FS01", "Ping", "Down", "10 s", "timeout", "02.12.2026 02:00:00"), FORM);
            assertFalse(messages(s, admin, roomId).getLast().get("content").has("m.relates_to"));
            assertEquals(again, messages(s, admin, roomId).getLast().get("event_id").asText());
        }
    }

    private static ObjectNode alert(String status, String name, String instance, String fingerprint, String endsAt) {
        ObjectNode a = Json.object().put("status", status);
        a.putObject("labels").put("alertname", name).put("instance", instance).put("job", "node").put("severity", "critical");
        a.putObject("annotations").put("summary", instance + " is unreachable").put("description", "scrape failed");
        a.put("startsAt", "2026-12-02T00:58:10.123Z").put("endsAt", endsAt)
                .put("generatorURL", "http://prometheus.stadt.example:9090/graph?g0.expr=up+%3D%3D+0")
                .put("fingerprint", fingerprint);
        return a;
    }

    private static ObjectNode alertmanager(String status, ObjectNode... alerts) {
        ObjectNode b = Json.object().put("version", "4").put("groupKey", "{}:{alertname=\"InstanceDown\"}")
                .put("truncatedAlerts", 0).put("status", status).put("receiver", "matrix");
        b.putObject("groupLabels").put("alertname", "InstanceDown");
        b.putObject("commonLabels").put("alertname", "InstanceDown").put("job", "node");
        b.putObject("commonAnnotations");
        b.put("externalURL", "http://alertmanager.stadt.example:9093");
        var arr = b.putArray("alerts");
        for (ObjectNode a : alerts) arr.add(a);
        return b;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void alertmanagerGroupedFiringThenResolvedInThread(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            Hook h = hook(s, admin, roomId, "alertmanager", "alertmanager");
            String zero = "0001-01-01T00:00:00Z";
            ObjectNode firing = alertmanager("firing", alert("firing", "InstanceDown", "db01:9100", "a1b2c3d4e5f60718", zero),
                    alert("firing", "InstanceDown", "db02:9100", "0f1e2d3c4b5a6978", zero));
            String outage = post(s, h, Json.write(firing), "application/json");
            assertEquals(outage, post(s, h, Json.write(firing), "application/json"));
            String end = "2026-12-02T01:10:00Z";
            ObjectNode resolved = alertmanager("resolved", alert("resolved", "InstanceDown", "db01:9100", "a1b2c3d4e5f60718", end),
                    alert("resolved", "InstanceDown", "db02:9100", "0f1e2d3c4b5a6978", end));
            String rec = post(s, h, Json.write(resolved), "application/json");

            List<JsonNode> msgs = messages(s, admin, roomId);
            assertEquals(2, msgs.size(), msgs.toString());
            String body = msgs.get(0).get("content").get("body").asText();
            assertTrue(body.startsWith("[FIRING:2] InstanceDown"), body);
            assertTrue(body.contains("db01:9100") && body.contains("db02:9100"), body);
            assertTrue(msgs.get(0).get("content").get("formatted_body").asText()
                    .contains("<a href=\"http://prometheus.stadt.example:9090/graph?g0.expr=up+%3D%3D+0\">"));
            JsonNode rc = msgs.get(1).get("content");
            assertEquals(rec, msgs.get(1).get("event_id").asText());
            assertTrue(rc.get("body").asText().startsWith("[RESOLVED] InstanceDown"), rc.toString());
            assertEquals("m.thread", rc.at("/m.relates_to/rel_type").asText());
            assertEquals(outage, rc.at("/m.relates_to/event_id").asText());

            // A group where one alert still fires and one has resolved: a problem message in the thread;
            // the resolved one's thread is closed, the firing one's stays open for its recovery.
            String fp3 = "1111222233334444";
            String fp4 = "5555666677778888";
            String second = post(s, h, Json.write(alertmanager("firing", alert("firing", "DiskFull", "nas01:9100", fp3, zero),
                    alert("firing", "DiskFull", "nas02:9100", fp4, zero))), "application/json");
            String mixed = post(s, h, Json.write(alertmanager("firing", alert("firing", "DiskFull", "nas01:9100", fp3, zero),
                    alert("resolved", "DiskFull", "nas02:9100", fp4, end))), "application/json");
            String last = post(s, h, Json.write(alertmanager("resolved", alert("resolved", "DiskFull", "nas01:9100", fp3,
                    "2026-12-02T02:00:00Z"))), "application/json");
            msgs = messages(s, admin, roomId);
            assertEquals(5, msgs.size());
            assertFalse(msgs.get(2).get("content").has("m.relates_to"));
            assertEquals(mixed, msgs.get(3).get("event_id").asText());
            assertTrue(msgs.get(3).get("content").get("body").asText().startsWith("[FIRING:1]"));
            assertEquals(second, msgs.get(3).get("content").at("/m.relates_to/event_id").asText());
            assertEquals(last, msgs.get(4).get("event_id").asText());
            assertEquals(second, msgs.get(4).get("content").at("/m.relates_to/event_id").asText());

            assertError(s.requestRaw("POST", h.path(), null, Json.write(firing.deepCopy().put("version", "3")), "application/json"),
                    400, "M_BAD_JSON");
            assertError(s.requestRaw("POST", h.path(), null, Json.write(firing.deepCopy().put("status", "pending")),
                    "application/json"), 400, "M_BAD_JSON");
            assertError(s.requestRaw("POST", h.path(), null, Json.write(alertmanager("firing")), "application/json"),
                    400, "M_BAD_JSON");
            assertEquals(5, messages(s, admin, roomId).size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void limitsComeFromTheConfig(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, "webhooks:\n  deliveries_per_minute: 3\n  max_body_bytes: 2048\n")) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            Hook h = hook(s, admin, roomId, "generic", "bot");
            String justFits = "{\"text\":\"" + "a".repeat(2048 - 11) + "\"}";
            assertEquals(2048, justFits.length());
            post(s, h, justFits, "application/json");
            assertError(s.requestRaw("POST", h.path(), null, justFits.replace("{", "{ "), "application/json"), 413, "M_TOO_LARGE");
            post(s, h, "{\"text\":\"zwei\"}", "application/json");
            // Three deliveries a minute (the refused one counted): the fourth gets 429.
            assertError(s.requestRaw("POST", h.path(), null, "{\"text\":\"drei\"}", "application/json"), 429, "M_LIMIT_EXCEEDED");
            assertEquals(2, messages(s, admin, roomId).size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void adminApiAndErrors(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String bob = s.userToken("bob");
            String roomId = room(s, admin);
            ObjectNode create = Json.object().put("room_id", roomId).put("name", "x").put("format", "generic").put("bot_user", "bot");
            assertError(s.request("POST", ADMIN, bob, create), 403, "M_FORBIDDEN");
            assertError(s.request("GET", ADMIN, bob, null), 403, "M_FORBIDDEN");
            assertError(s.request("DELETE", ADMIN + "/abc", bob, null), 403, "M_FORBIDDEN");
            assertError(s.request("POST", ADMIN, admin, create.deepCopy().put("format", "nagios")), 400, "M_INVALID_PARAM");
            // A human's account cannot be turned into a webhook bot.
            assertError(s.request("POST", ADMIN, admin, create.deepCopy().put("bot_user", "bob")), 400, "M_USER_IN_USE");

            Hook h = hook(s, admin, roomId, "generic", "bot");
            var list = s.request("GET", ADMIN, admin, null);
            assertEquals(200, list.status());
            assertEquals(1, list.json().get("webhooks").size());
            assertFalse(list.body().contains(h.path().substring(h.path().lastIndexOf('/') + 1)), "no secret in the list");

            String ev = post(s, h, "{\"text\":\"Backup fertig\",\"html\":\"<b>Backup</b> fertig\"}", "application/json");
            JsonNode m = messages(s, admin, roomId).getLast();
            assertEquals(ev, m.get("event_id").asText());
            assertEquals("Backup fertig", m.get("content").get("body").asText());
            assertEquals("<b>Backup</b> fertig", m.get("content").get("formatted_body").asText());

            String wrongSecret = h.path().substring(0, h.path().lastIndexOf('/') + 1) + "x".repeat(40);
            assertError(s.requestRaw("POST", wrongSecret, null, "{\"text\":\"a\"}", "application/json"), 404, "M_NOT_FOUND");
            assertError(s.requestRaw("POST", "/_amtsbote/hooks/v1/nohook/secret", null, "{\"text\":\"a\"}", "application/json"),
                    404, "M_NOT_FOUND");
            assertError(s.requestRaw("POST", h.path(), null, "{\"text\":\"" + "a".repeat(70_000) + "\"}", "application/json"),
                    413, "M_TOO_LARGE");
            assertError(s.requestRaw("POST", h.path(), null, "not json", "application/json"), 400, "M_NOT_JSON");
            assertError(s.requestRaw("POST", h.path(), null, "{\"text\":5}", "application/json"), 400, "M_BAD_JSON");
            assertError(s.requestRaw("POST", h.path(), null, "{}", "application/json"), 400, "M_MISSING_PARAM");
            // None of the refused deliveries posted anything: still only the one message.
            assertEquals(1, messages(s, admin, roomId).size());

            // 60 deliveries a minute per hook (the ones above count too); then 429 with retry_after_ms.
            var r = s.requestRaw("POST", h.path(), null, "{}", "application/json");
            for (int i = 0; i < 60 && r.status() != 429; i++) r = s.requestRaw("POST", h.path(), null, "{}", "application/json");
            assertError(r, 429, "M_LIMIT_EXCEEDED");
            assertTrue(r.json().get("retry_after_ms").asLong() > 0);

            assertEquals(200, s.request("DELETE", ADMIN + "/" + h.id(), admin, null).status());
            assertError(s.request("DELETE", ADMIN + "/" + h.id(), admin, null), 404, "M_NOT_FOUND");
            assertError(s.requestRaw("POST", h.path(), null, "{\"text\":\"a\"}", "application/json"), 404, "M_NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void prtgBadInputNothingPosted(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            Hook h = hook(s, admin, roomId, "prtg", "prtg");
            assertError(s.requestRaw("POST", h.path(), null, "device=FS01&sensor=Ping", FORM), 400, "M_MISSING_PARAM");
            assertError(s.requestRaw("POST", h.path(), null, "status=Down", FORM), 400, "M_MISSING_PARAM");
            assertError(s.requestRaw("POST", h.path(), null, "device=FS01&sensor=Ping&status=Down&message=%00", FORM),
                    400, "M_BAD_JSON");
            assertError(s.requestRaw("POST", h.path(), null, "{\"device\":{\"a\":1},\"status\":\"Down\"}", "application/json"),
                    400, "M_BAD_JSON");
            assertEquals(0, messages(s, admin, roomId).size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void prtgAcknowledgedGoesIntoTheOutageThread(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String roomId = room(s, admin);
            Hook h = hook(s, admin, roomId, "prtg", "prtg");
            String outage = post(s, h, prtgForm("Switch SW-Rathaus", "Port 12", "Down", "1 m", "No link", "02.12.2026 03:00:00"), FORM);
            // A form body without a Content-Type header (as some PRTG versions send it) is read as form data.
            String ack = post(s, h, prtgForm("Switch SW-Rathaus", "Port 12", "Down (Acknowledged)", "5 m", "Techniker informiert",
                    "02.12.2026 03:04:00"), null);
            List<JsonNode> msgs = messages(s, admin, roomId);
            assertEquals(2, msgs.size());
            assertEquals(ack, msgs.get(1).get("event_id").asText());
            assertEquals(outage, msgs.get(1).get("content").at("/m.relates_to/event_id").asText());
            assertTrue(msgs.get(1).get("content").get("body").asText().startsWith("[Down (Acknowledged)] Switch SW-Rathaus / Port 12"));
        }
    }
}
