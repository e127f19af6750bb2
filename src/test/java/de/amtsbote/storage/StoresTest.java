package de.amtsbote.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.config.Config;
import de.amtsbote.testing.EmbeddedPostgres;
import de.amtsbote.util.Json;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same store tests against SQLite and PostgreSQL. */
class StoresTest {
    enum Kind { SQLITE, POSTGRESQL }

    static Database open(Kind kind) throws Exception {
        if (kind == Kind.SQLITE) {
            var dir = Files.createTempDirectory("stores");
            return Database.open(new Config.Database("sqlite", dir.resolve("t.db"), null, null, null, 4));
        }
        return Database.open(new Config.Database("postgresql", null, EmbeddedPostgres.newDatabaseUrl(), "postgres", null, 4));
    }

    private static EventStore.NewEvent event(String id, String room, String type, String stateKey, String membership) {
        ObjectNode pdu = Json.object();
        pdu.put("type", type);
        pdu.putObject("content").put("membership", membership);
        return new EventStore.NewEvent(id, room, type, stateKey, "@a:x", 1, 1, null, null, null, membership,
                null, null, null, pdu);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void accountsDevicesTokens(Kind kind) throws Exception {
        try (Database db = open(kind)) {
            Stores s = Stores.of(db);
            assertTrue(s.accounts().createUser("@a:x", "hash", true, "A"));
            assertFalse(s.accounts().createUser("@a:x", "hash", false, "A"), "duplicate user refused");
            s.accounts().addDeviceToken("@a:x", "DEV", "Phone", "tokhash", "127.0.0.1");
            assertEquals("DEV", s.accounts().tokenOwner("tokhash").orElseThrow().deviceId());
            assertTrue(s.accounts().renameDevice("@a:x", "DEV", "Laptop"));
            assertEquals("Laptop", s.accounts().device("@a:x", "DEV").orElseThrow().displayName());
            assertEquals(List.of("tokhash"), s.accounts().deleteDevice("@a:x", "DEV"));
            assertTrue(s.accounts().tokenOwner("tokhash").isEmpty());
            assertEquals(1, s.accounts().searchUsers("a", 10).size());
            assertEquals(0, s.accounts().searchUsers("%", 10).size(), "LIKE wildcards are escaped");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eventsStateAndStreamOrder(Kind kind) throws Exception {
        try (Database db = open(kind)) {
            Stores s = Stores.of(db);
            long[] pos = db.write(ctx -> {
                s.events().insertRoom(ctx, "!r:x", "12", "@a:x", 1);
                return new long[] {
                    s.events().insertEvent(ctx, event("$1", "!r:x", "m.room.member", "@a:x", "join")),
                    s.events().insertEvent(ctx, event("$2", "!r:x", "m.room.message", null, null)),
                    s.events().insertEvent(ctx, event("$3", "!r:x", "m.room.member", "@a:x", "leave"))};
            });
            assertTrue(pos[0] < pos[1] && pos[1] < pos[2]);
            assertEquals(pos[2], db.writer().committedStreamPos());
            assertEquals("leave", s.events().membershipsOf("@a:x").get("!r:x"));
            assertEquals(1, s.events().currentState("!r:x").size());
            assertEquals(2, s.events().stateHistory("!r:x", "m.room.member", "@a:x").size());
            var back = s.events().roomEvents("!r:x", 0, pos[2], 2, true);
            assertEquals(List.of("$3", "$2"), back.stream().map(EventStore.StoredEvent::eventId).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failedWriteInBatchDoesNotTakeOthersDown(Kind kind) throws Exception {
        try (Database db = open(kind)) {
            Stores s = Stores.of(db);
            s.accounts().createUser("@dup:x", "h", false, null);
            List<CompletableFuture<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String user = i == 25 ? "@dup:x" : "@u" + i + ":x";
                futures.add(db.writeAsync(ctx -> {
                    try (var ps = ctx.connection().prepareStatement(
                            "INSERT INTO users (user_id, password_hash, created_ts) VALUES (?, 'h', 1)")) {
                        ps.setString(1, user);
                        return ps.executeUpdate() == 1;
                    }
                }));
            }
            for (int i = 0; i < 50; i++) {
                if (i == 25) {
                    int idx = i;
                    assertThrows(ExecutionException.class, () -> futures.get(idx).get());
                } else {
                    assertTrue(futures.get(i).get());
                }
            }
            assertEquals(50, s.accounts().allUsers().size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void receiptsOnlyMoveForward(Kind kind) throws Exception {
        try (Database db = open(kind)) {
            Stores s = Stores.of(db);
            long p1 = s.receipts().put(new ReceiptStore.Receipt("!r:x", "m.read", "@a:x", "", "$5", 5, 1, 0), null, null);
            assertTrue(p1 > 0);
            long p2 = s.receipts().put(new ReceiptStore.Receipt("!r:x", "m.read", "@a:x", "", "$3", 3, 2, 0), null, null);
            assertEquals(-1, p2, "an older receipt does not replace a newer one");
            assertEquals(5L, s.receipts().readPosition("!r:x", "@a:x").orElseThrow());
            assertEquals(1, s.receipts().since("!r:x", 0, Long.MAX_VALUE).size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void accountDataFiltersToDevice(Kind kind) throws Exception {
        try (Database db = open(kind)) {
            Stores s = Stores.of(db);
            ObjectNode c = Json.object().put("k", 1);
            long pos = s.accountData().put("@a:x", "", "m.direct", c, null);
            assertEquals(1, s.accountData().since("@a:x", pos - 1, pos).size());
            String f1 = s.accountData().addFilter("@a:x", c);
            assertEquals(f1, s.accountData().addFilter("@a:x", c), "the same filter gets the same id");
            s.toDevice().add(List.of(new ToDeviceStore.Target("@b:x", "D", "@a:x", "m.test", c)), null);
            long upTo = db.writer().committedStreamPos();
            assertEquals(1, s.toDevice().pending("@b:x", "D", 0, upTo, 10).size());
            s.toDevice().acknowledge("@b:x", "D", upTo);
            Thread.sleep(200);
            assertEquals(0, s.toDevice().pending("@b:x", "D", 0, upTo, 10).size());
        }
    }
}
