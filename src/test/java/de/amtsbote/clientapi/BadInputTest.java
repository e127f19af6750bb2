package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every bad input gets the spec's errcode and status, never a 500. */
class BadInputTest {
    static TestServer s;
    static String alice;
    static String roomId;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(TestServer.Db.SQLITE, "limits:\n  login_attempts_per_minute: 3\n  max_request_body_bytes: 65536\n");
        alice = s.userToken("alice");
        roomId = s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object()).json().get("room_id").asText();
    }

    @AfterAll
    static void stop() throws Exception { s.close(); }

    private static String room() { return URLEncoder.encode(roomId, StandardCharsets.UTF_8); }

    private void expect(int status, String errcode, TestServer.Response r) {
        assertEquals(status, r.status(), r.body());
        assertEquals(errcode, r.errcode(), r.body());
        assertTrue(r.json().path("error").isTextual(), r.body());
    }

    @Test
    void malformedBodies() throws Exception {
        expect(400, "M_NOT_JSON", s.requestRaw("PUT", "/_matrix/client/v3/rooms/" + room() + "/send/m.room.message/a1",
                alice, "{", "application/json"));
        expect(400, "M_BAD_JSON", s.requestRaw("PUT", "/_matrix/client/v3/rooms/" + room() + "/send/m.room.message/a2",
                alice, "[1,2]", "application/json"));
        expect(400, "M_BAD_JSON", s.requestRaw("PUT", "/_matrix/client/v3/rooms/" + room() + "/send/m.room.message/a3",
                alice, "{\"body\": 1.5}", "application/json"));
        expect(400, "M_BAD_JSON", s.requestRaw("POST", "/_matrix/client/v3/createRoom", alice, "{\"name\": 5}", "application/json"));
        expect(400, "M_BAD_JSON", s.requestRaw("POST", "/_matrix/client/v3/createRoom", alice, "{\"invite\": \"x\"}", "application/json"));
        expect(400, "M_UNSUPPORTED_ROOM_VERSION", s.requestRaw("POST", "/_matrix/client/v3/createRoom", alice,
                "{\"room_version\": \"1\"}", "application/json"));
        String big = "{\"body\":\"" + "x".repeat(70_000) + "\"}";
        expect(413, "M_TOO_LARGE", s.requestRaw("PUT", "/_matrix/client/v3/rooms/" + room() + "/send/m.room.message/a4",
                alice, big, "application/json"));
    }

    @Test
    void oddParametersAndPaths() throws Exception {
        expect(400, "M_INVALID_PARAM", s.request("GET", "/_matrix/client/v3/sync?since=s-5_0", alice, null));
        // A URI Jetty itself refuses (Java's HTTP client would not even send it, hence a raw socket).
        String raw = rawGet("/_matrix/client/v3/rooms/%ZZ/messages");
        assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
        assertTrue(raw.contains("\"errcode\":\"M_UNKNOWN\""), raw);
        assertEquals(200, s.request("GET", "/_matrix/client/v3/rooms/" + room() + "/messages?limit=99999999999", alice, null)
                .status(), "an over-large limit is clamped");
        expect(400, "M_BAD_JSON", s.request("PUT", "/_matrix/client/v3/rooms/" + room() + "/state/m.room.power_levels",
                alice, Json.parseObject("{\"users\": {\"@alice:test.local\": \"high\"}}")));
        expect(400, "M_BAD_JSON", s.request("POST", "/_matrix/client/v3/createRoom", alice,
                Json.parseObject("{\"power_level_content_override\": {\"users_default\": \"x\"}}")));
    }

    private static String rawGet(String path) throws Exception {
        var url = java.net.URI.create(s.baseUrl);
        try (var socket = new java.net.Socket(url.getHost(), url.getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void authErrors() throws Exception {
        expect(401, "M_MISSING_TOKEN", s.request("GET", "/_matrix/client/v3/sync", null, null));
        expect(401, "M_UNKNOWN_TOKEN", s.request("GET", "/_matrix/client/v3/sync", "nope", null));
        expect(404, "M_UNRECOGNIZED", s.request("GET", "/_matrix/client/v3/no_such_endpoint", alice, null));
        expect(405, "M_UNRECOGNIZED", s.request("DELETE", "/_matrix/client/v3/createRoom", alice, null));
    }

    @Test
    void forbiddenAndMissing() throws Exception {
        String bob = s.userToken("bob");
        expect(403, "M_FORBIDDEN", s.request("GET", "/_matrix/client/v3/rooms/" + room() + "/messages", bob, null));
        expect(403, "M_FORBIDDEN", s.request("PUT", "/_matrix/client/v3/rooms/%21nope%3Atest.local/send/m.room.message/1",
                alice, Json.object()));
        expect(404, "M_NOT_FOUND", s.request("POST", "/_matrix/client/v3/join/%23nope%3Atest.local", alice, Json.object()));
        expect(400, "M_INVALID_PARAM", s.request("GET", "/_matrix/client/v3/rooms/" + room() + "/messages?dir=x", alice, null));
        expect(400, "M_INVALID_PARAM", s.request("GET", "/_matrix/client/v3/sync?since=garbage", alice, null));
        // A member without power cannot change the room name.
        ObjectNode inv = Json.object().put("user_id", s.userId("bob"));
        assertEquals(200, s.request("POST", "/_matrix/client/v3/rooms/" + room() + "/invite", alice, inv).status());
        assertEquals(200, s.request("POST", "/_matrix/client/v3/rooms/" + room() + "/join", bob, Json.object()).status());
        expect(403, "M_FORBIDDEN", s.request("PUT", "/_matrix/client/v3/rooms/" + room() + "/state/m.room.name", bob,
                Json.object().put("name", "x")));
        expect(403, "M_FORBIDDEN", s.request("POST", "/_matrix/client/v3/rooms/" + room() + "/kick", bob,
                Json.object().put("user_id", s.userId("alice"))));
    }

    @Test
    void loginRateLimited() throws Exception {
        ObjectNode body = Json.object();
        body.put("type", "m.login.password");
        body.putObject("identifier").put("type", "m.id.user").put("user", "mallory");
        body.put("password", "wrong");
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            var r = s.request("POST", "/_matrix/client/v3/login", null, body);
            if (r.status() == 429) {
                limited++;
                assertEquals("M_LIMIT_EXCEEDED", r.errcode());
                assertTrue(r.json().get("retry_after_ms").asLong() > 0);
            } else {
                expect(403, "M_FORBIDDEN", r);
            }
        }
        // 3 attempts per minute per address and account; other tests in this class also sign in from here.
        assertTrue(limited >= 2, "limited " + limited);
    }
}
