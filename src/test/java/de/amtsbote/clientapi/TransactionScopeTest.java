package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Transaction ids are scoped to device + HTTP path (security/data finding of issue 6). */
class TransactionScopeTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static ObjectNode text(String body) {
        return Json.object().put("msgtype", "m.text").put("body", body);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void sameTxnIdInAnotherRoomOrTypeIsANewEvent(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String r1 = "/_matrix/client/v3/rooms/" + enc(s.request("POST", "/_matrix/client/v3/createRoom", alice,
                    Json.object()).json().get("room_id").asText());
            String r2 = "/_matrix/client/v3/rooms/" + enc(s.request("POST", "/_matrix/client/v3/createRoom", alice,
                    Json.object()).json().get("room_id").asText());

            var first = s.request("PUT", r1 + "/send/m.room.message/same", alice, text("eins"));
            assertEquals(200, first.status(), first.body());
            String firstId = first.json().get("event_id").asText();
            var otherRoom = s.request("PUT", r2 + "/send/m.room.message/same", alice, text("zwei"));
            assertEquals(200, otherRoom.status(), otherRoom.body());
            var otherType = s.request("PUT", r1 + "/send/m.sticker/same", alice,
                    Json.object().put("body", "drei").put("url", "mxc://test.local/abc"));
            assertEquals(200, otherType.status(), otherType.body());
            assertNotEquals(firstId, otherRoom.json().get("event_id").asText());
            assertNotEquals(firstId, otherType.json().get("event_id").asText());
            // A redaction with that txnId is yet another request, not the message again.
            var redact = s.request("PUT", r1 + "/redact/" + enc(firstId) + "/same", alice, Json.object());
            assertEquals(200, redact.status(), redact.body());
            assertNotEquals(firstId, redact.json().get("event_id").asText());

            // Each message arrived, in its own room.
            var inR2 = s.request("GET", r2 + "/messages?dir=b&limit=5", alice, null);
            assertEquals("zwei", inR2.json().get("chunk").get(0).path("content").path("body").asText(), inR2.body());

            // The same path retried gives the same event, also when the retries race each other.
            assertEquals(firstId, s.request("PUT", r1 + "/send/m.room.message/same", alice, text("eins"))
                    .json().get("event_id").asText());
            List<CompletableFuture<String>> retries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                retries.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        var r = s.request("PUT", r2 + "/send/m.room.message/race", alice, text("einmal"));
                        assertEquals(200, r.status(), r.body());
                        return r.json().get("event_id").asText();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            Set<String> ids = new HashSet<>();
            for (var f : retries) ids.add(f.get());
            assertEquals(1, ids.size(), ids.toString());
            int stored = 0;
            for (var e : s.request("GET", r2 + "/messages?dir=b&limit=50", alice, null).json().get("chunk")) {
                if (e.path("content").path("body").asText().equals("einmal")) stored++;
            }
            assertEquals(1, stored);
        }
    }
}
