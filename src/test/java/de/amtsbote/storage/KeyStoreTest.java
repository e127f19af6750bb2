package de.amtsbote.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.config.Config;
import de.amtsbote.testing.EmbeddedPostgres;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The device-list change stream shares the server-wide stream position, also across a restart. */
class KeyStoreTest {
    @ParameterizedTest
    @EnumSource(StoresTest.Kind.class)
    void deviceListChangesKeepTheirPositionsAcrossARestart(StoresTest.Kind kind) throws Exception {
        Config.Database cfg = kind == StoresTest.Kind.SQLITE
                ? new Config.Database("sqlite", Files.createTempDirectory("keys").resolve("t.db"), null, null, null, 4)
                : new Config.Database("postgresql", null, EmbeddedPostgres.newDatabaseUrl(), "postgres", null, 4);
        long first;
        try (Database db = Database.open(cfg)) {
            KeyStore keys = Stores.of(db).keys();
            long before = db.writer().committedStreamPos();
            keys.deleteDevices("@a:x", List.of("DEV"));
            first = db.writer().committedStreamPos();
            assertEquals(before + 1, first);
            assertEquals(Set.of("@a:x"), keys.changedUsersBetween(before, first));
            assertEquals(Set.of(), keys.changedUsersBetween(first, first + 10));
        }
        try (Database db = Database.open(cfg)) {
            // The newest row of the server was a device-list change: its position must not be handed out again.
            assertEquals(first, db.writer().committedStreamPos());
            KeyStore keys = Stores.of(db).keys();
            assertEquals(Set.of("@a:x"), keys.changedUsersBetween(first - 1, first), "the in-memory hint is reloaded");
            keys.deleteDevices("@b:x", List.of("DEV"));
            assertTrue(db.writer().committedStreamPos() > first);
            assertEquals(Set.of("@b:x"), keys.changedUsersBetween(first, db.writer().committedStreamPos()));
        }
    }
}
