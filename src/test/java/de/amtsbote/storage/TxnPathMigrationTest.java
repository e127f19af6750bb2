package de.amtsbote.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.config.Config;
import de.amtsbote.testing.EmbeddedPostgres;
import de.amtsbote.util.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** V3 on a database with transactions stored before it: they keep working under the path '/legacy'. */
class TxnPathMigrationTest {
    @ParameterizedTest
    @EnumSource(StoresTest.Kind.class)
    void legacyTransactionsGetTheirOwnPath(StoresTest.Kind kind) throws Exception {
        Config.Database cfg;
        String url;
        if (kind == StoresTest.Kind.SQLITE) {
            var path = Files.createTempDirectory("txnpath").resolve("t.db");
            cfg = new Config.Database("sqlite", path, null, null, null, 4);
            url = "jdbc:sqlite:" + path;
        } else {
            url = EmbeddedPostgres.newDatabaseUrl();
            cfg = new Config.Database("postgresql", null, url, "postgres", null, 4);
        }
        // A database as version 2 left it, with one sent message.
        try (Connection c = kind == StoresTest.Kind.SQLITE ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_ts BIGINT NOT NULL)");
            for (String file : new String[] {"V1__init.sql", "V2__to_device_txn.sql"}) {
                for (String stmt : statements(file)) s.execute(stmt);
            }
            s.execute("INSERT INTO schema_version (version, applied_ts) VALUES (1, 0), (2, 0)");
            s.execute("INSERT INTO events (stream_pos, event_id, room_id, type, sender, origin_ts, depth, txn_device,"
                    + " txn_id, json) VALUES (1, '$old', '!r:x', 'm.room.message', '@a:x', 0, 1, 'DEV', 't1', '{}')");
        }
        try (Database db = Database.open(cfg)) {
            EventStore events = Stores.of(db).events();
            assertEquals("$old", events.txnEventId("@a:x", "DEV", "/legacy", "t1").orElseThrow());
            String path = "/rooms/!r:x/send/m.room.message";
            assertTrue(events.txnEventId("@a:x", "DEV", path, "t1").isEmpty());
            // The same txnId on a real path is a new request and may be stored.
            ObjectNode pdu = Json.object().put("type", "m.room.message");
            db.write(ctx -> events.insertEvent(ctx, new EventStore.NewEvent("$new", "!r:x", "m.room.message", null,
                    "@a:x", 1, 2, null, null, null, null, "DEV", path, "t1", pdu)));
            assertEquals("$new", events.txnEventId("@a:x", "DEV", path, "t1").orElseThrow());
        }
    }

    private static String[] statements(String file) throws Exception {
        try (InputStream in = TxnPathMigrationTest.class.getResourceAsStream("/db/" + file)) {
            StringBuilder sb = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.trim().startsWith("--")) sb.append(line).append('\n');
            }
            return java.util.Arrays.stream(sb.toString().split(";")).map(String::trim).filter(x -> !x.isEmpty())
                    .toArray(String[]::new);
        }
    }
}
