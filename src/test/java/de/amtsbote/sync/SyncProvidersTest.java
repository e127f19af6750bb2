package de.amtsbote.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.config.Config;
import de.amtsbote.rooms.EventFilter;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.RoomStates;
import de.amtsbote.rooms.ServerSigningKey;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.storage.Stores;
import de.amtsbote.testing.EmbeddedPostgres;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The timeline window and the gap state of the sync providers, on a real store (SQLite and PostgreSQL). */
class SyncProvidersTest {
    private static final String ROOM = "!r:x";

    static Database open(TestServer.Db kind) throws Exception {
        if (kind == TestServer.Db.SQLITE) {
            var dir = Files.createTempDirectory("sync");
            return Database.open(new Config.Database("sqlite", dir.resolve("t.db"), null, null, null, 4));
        }
        return Database.open(new Config.Database("postgresql", null, EmbeddedPostgres.newDatabaseUrl(), "postgres", null, 4));
    }

    private static EventStore.NewEvent event(String id, String type, String stateKey, String sender) {
        ObjectNode pdu = Json.object();
        pdu.put("type", type);
        pdu.put("sender", sender);
        pdu.putObject("content").put("body", id);
        return new EventStore.NewEvent(id, ROOM, type, stateKey, sender, 1, 1, null, null, null, null, null, null, null, pdu);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void timelineWindowIsExact(TestServer.Db kind) throws Exception {
        try (Database db = open(kind)) {
            Stores s = Stores.of(db);
            long[] pos = db.write(ctx -> {
                s.events().insertRoom(ctx, ROOM, "12", "@a:x", 1);
                long[] p = new long[6];
                p[0] = s.events().insertEvent(ctx, event("$t", "m.room.topic", "", "@a:x"));
                for (int i = 1; i < 6; i++) {
                    p[i] = s.events().insertEvent(ctx, event("$m" + i, "m.room.message", null, i == 3 ? "@spam:x" : "@a:x"));
                }
                return p;
            });
            Timeline timeline = new Timeline(s.events(), new HistoryVisibility(s.events()));
            long upTo = pos[5];
            long since = pos[0];

            TimelineWindow all = TimelineWindow.paged(timeline, ROOM, null, upTo, since, 5, EventFilter.ALL, Set.of());
            assertEquals(5, all.events().size());
            assertFalse(all.limited(), "exactly the limit: nothing left out");
            assertEquals(since, all.prevBatch());

            TimelineWindow four = TimelineWindow.paged(timeline, ROOM, null, upTo, since, 4, EventFilter.ALL, Set.of());
            assertTrue(four.limited());
            assertEquals(List.of("$m2", "$m3", "$m4", "$m5"), four.events().stream().map(StoredEvent::eventId).toList());
            assertEquals(pos[2] - 1, four.prevBatch(), "paging back continues just before the oldest event shown");

            TimelineWindow zero = TimelineWindow.paged(timeline, ROOM, null, upTo, since, 0, EventFilter.ALL, Set.of());
            assertTrue(zero.events().isEmpty());
            assertTrue(zero.limited(), "limit 0 with new events: limited");
            assertEquals(upTo, zero.prevBatch());

            TimelineWindow nothing = TimelineWindow.paged(timeline, ROOM, null, upTo, upTo, 0, EventFilter.ALL, Set.of());
            assertFalse(nothing.limited(), "limit 0 without new events: nothing left out");

            TimelineWindow ignoring = TimelineWindow.paged(timeline, ROOM, null, upTo, 0, 10, EventFilter.ALL, Set.of("@spam:x"));
            assertFalse(ignoring.events().stream().anyMatch(e -> e.sender().equals("@spam:x")));
            assertTrue(ignoring.events().stream().anyMatch(e -> e.eventId().equals("$t")), "state events stay");

            List<StoredEvent> cached = four.events();
            TimelineWindow fast = TimelineWindow.ofCached(cached, upTo, Set.of());
            assertFalse(fast.limited());
            assertEquals(pos[2] - 1, fast.prevBatch());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void gapStateHasNoCap(TestServer.Db kind) throws Exception {
        try (Database db = open(kind)) {
            Stores s = Stores.of(db);
            int n = 10_050;
            long since = db.write(ctx -> {
                s.events().insertRoom(ctx, ROOM, "12", "@a:x", 1);
                return s.events().insertEvent(ctx, event("$first", "m.room.message", null, "@a:x"));
            });
            long upTo = db.write(ctx -> {
                long last = 0;
                for (int i = 0; i < n; i++) last = s.events().insertEvent(ctx, event("$s" + i, "m.custom", "k" + i, "@a:x"));
                // The same key twice: the newer one wins.
                return s.events().insertEvent(ctx, event("$s0b", "m.custom", "k0", "@a:x"));
            });
            Map<StateKey, StoredEvent> gap = new RoomStateSection(new RoomStates(
                    new RoomService(s.events(), db, ServerSigningKey.generate("t"), "x", new Notifier()),
                    new HistoryVisibility(s.events()))).changedBetween(ROOM, since, upTo);
            assertEquals(n, gap.size(), "every state key changed in the gap, beyond 10,000");
            assertEquals("$s0b", gap.get(new StateKey("m.custom", "k0")).eventId());
        }
    }
}
