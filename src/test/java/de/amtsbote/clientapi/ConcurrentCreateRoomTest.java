package de.amtsbote.clientapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One user creating rooms in parallel: in room v12 the room id is the create event's hash, so identical
 * create events in the same millisecond collided and answered 500 (finding of issue 6).
 */
class ConcurrentCreateRoomTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void parallelCreateRoomGivesDistinctRooms(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            // Every event in the same millisecond, as happens to parallel requests on a fast machine.
            s.server().rooms().useClock(() -> 1_767_225_600_000L);
            assertEquals(200, s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object()).status());
            var second = s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object());
            assertEquals(200, second.status(), second.body());
            int n = 16;
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<TestServer.Response>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object());
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (var c : calls) {
                var r = c.get();
                assertEquals(200, r.status(), r.body());
                ids.add(r.json().get("room_id").asText());
            }
            assertEquals(n, ids.size());
            assertTrue(!ids.contains(second.json().get("room_id").asText()));
            var joined = s.request("GET", "/_matrix/client/v3/joined_rooms", alice, null);
            assertEquals(n + 2, joined.json().get("joined_rooms").size(), joined.body());
            for (String id : ids) assertTrue(joined.json().get("joined_rooms").toString().contains(id));
        }
    }
}
