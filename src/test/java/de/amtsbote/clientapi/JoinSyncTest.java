package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A user's long-polling /sync must always deliver their own join, however the join and the poll interleave. */
class JoinSyncTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void joinAlwaysReachesTheJoinersSync(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            for (int i = 0; i < 30; i++) {
                ObjectNode create = Json.object();
                create.putArray("invite").add(s.userId("bob"));
                String roomId = s.request("POST", "/_matrix/client/v3/createRoom", alice, create).json().get("room_id").asText();
                String since = s.request("GET", "/_matrix/client/v3/sync?timeout=0", bob, null).json().get("next_batch").asText();
                boolean seen = false;
                CompletableFuture<Integer> join = new CompletableFuture<>();
                final int delay = i % 5;
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(delay);
                        join.complete(s.request("POST", "/_matrix/client/v3/join/" + URLEncoder.encode(roomId,
                                StandardCharsets.UTF_8), bob, Json.object()).status());
                    } catch (Exception e) {
                        join.completeExceptionally(e);
                    }
                });
                long deadline = System.currentTimeMillis() + 5000;
                while (!seen && System.currentTimeMillis() < deadline) {
                    JsonNode r = s.request("GET", "/_matrix/client/v3/sync?timeout=2000&since=" + since, bob, null).json();
                    since = r.get("next_batch").asText();
                    JsonNode room = r.path("rooms").path("join").path(roomId);
                    for (JsonNode e : room.path("timeline").path("events")) {
                        if (e.path("type").asText().equals("m.room.member") && e.path("state_key").asText().equals(s.userId("bob"))
                                && e.path("content").path("membership").asText().equals("join")) {
                            seen = true;
                        }
                    }
                }
                join.get();
                assertTrue(seen, "round " + i + ": bob's join never reached his sync");
            }
        }
    }
}
