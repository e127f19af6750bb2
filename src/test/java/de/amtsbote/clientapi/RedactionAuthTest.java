package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who may redact, whichever endpoint the redaction comes through (security finding of issue 6). */
class RedactionAuthTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void powerLevelZeroMemberCannotRedactOthersThroughSend(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String mallory = s.userToken("mallory");
            String roomId = s.request("POST", "/_matrix/client/v3/createRoom", alice,
                    Json.object().put("preset", "public_chat")).json().get("room_id").asText();
            String room = "/_matrix/client/v3/rooms/" + enc(roomId);
            assertEquals(200, s.request("POST", room + "/join", mallory, Json.object()).status());
            String msg = s.request("PUT", room + "/send/m.room.message/t1", alice,
                    Json.object().put("msgtype", "m.text").put("body", "geheim")).json().get("event_id").asText();

            ObjectNode redaction = Json.object().put("redacts", msg);
            var viaSend = s.request("PUT", room + "/send/m.room.redaction/x1", mallory, redaction);
            assertError(viaSend, 403, "M_FORBIDDEN");
            var viaRedact = s.request("PUT", room + "/redact/" + enc(msg) + "/x2", mallory, Json.object());
            assertError(viaRedact, 403, "M_FORBIDDEN");
            var ev = s.request("GET", room + "/event/" + enc(msg), alice, null);
            assertEquals("geheim", ev.json().path("content").path("body").asText(), ev.body());
            assertFalse(ev.json().path("unsigned").has("redacted_because"), ev.body());

            // Their own message they may redact through the send path, and it is then redacted for real.
            String own = s.request("PUT", room + "/send/m.room.message/t2", mallory,
                    Json.object().put("msgtype", "m.text").put("body", "oops")).json().get("event_id").asText();
            var ownRedaction = s.request("PUT", room + "/send/m.room.redaction/x3", mallory, Json.object().put("redacts", own));
            assertEquals(200, ownRedaction.status(), ownRedaction.body());
            var redacted = s.request("GET", room + "/event/" + enc(own), alice, null);
            assertFalse(redacted.json().path("content").has("body"), redacted.body());
            assertTrue(redacted.json().path("unsigned").has("redacted_because"), redacted.body());

            // A moderator (power level >= redact) may redact others' messages through either path.
            var modRedaction = s.request("PUT", room + "/send/m.room.redaction/a1", alice, Json.object().put("redacts", msg));
            assertEquals(200, modRedaction.status(), modRedaction.body());
            var gone = s.request("GET", room + "/event/" + enc(msg), mallory, null);
            assertFalse(gone.json().path("content").has("body"), gone.body());
        }
    }

    /** Room version 10 keeps redacts at the top level; the send path must be authorised there too. */
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void sendPathIsAuthorisedInRoomVersion10(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String mallory = s.userToken("mallory");
            String roomId = s.request("POST", "/_matrix/client/v3/createRoom", alice,
                    Json.object().put("preset", "public_chat").put("room_version", "10")).json().get("room_id").asText();
            String room = "/_matrix/client/v3/rooms/" + enc(roomId);
            assertEquals(200, s.request("POST", room + "/join", mallory, Json.object()).status());
            String msg = s.request("PUT", room + "/send/m.room.message/t1", alice,
                    Json.object().put("msgtype", "m.text").put("body", "geheim")).json().get("event_id").asText();
            assertError(s.request("PUT", room + "/send/m.room.redaction/x1", mallory, Json.object().put("redacts", msg)),
                    403, "M_FORBIDDEN");
            assertEquals("geheim", s.request("GET", room + "/event/" + enc(msg), alice, null).json()
                    .path("content").path("body").asText());
            String own = s.request("PUT", room + "/send/m.room.message/t2", mallory,
                    Json.object().put("msgtype", "m.text").put("body", "oops")).json().get("event_id").asText();
            var red = s.request("PUT", room + "/send/m.room.redaction/x2", mallory, Json.object().put("redacts", own));
            assertEquals(200, red.status(), red.body());
            var ev = s.request("GET", room + "/event/" + enc(own), alice, null);
            assertFalse(ev.json().path("content").has("body"), ev.body());
        }
    }
}
