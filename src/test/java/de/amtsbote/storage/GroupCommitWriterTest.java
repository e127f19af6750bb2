package de.amtsbote.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The commit-listener rule of {@link WriteContext}: hints before publishing, wakes after, undo on failure. */
class GroupCommitWriterTest {
    @Test
    void hintsRunBeforePublishingWakesAfterAndFailuresRollBack() throws Exception {
        Path dir = Files.createTempDirectory("gcw");
        String url = "jdbc:sqlite:" + dir.resolve("db.sqlite");
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE TABLE t (pos BIGINT PRIMARY KEY)");
        }
        try (GroupCommitWriter w = new GroupCommitWriter(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, 0, false)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            long pos = w.submit(ctx -> {
                long p = ctx.nextStreamPos();
                ctx.prepare("INSERT INTO t (pos) VALUES (" + p + ")").execute();
                ctx.onCommitting(() -> seen.add("hint published=" + w.committedStreamPos()));
                ctx.afterCommit(() -> seen.add("wake published=" + w.committedStreamPos()));
                ctx.onRollback(() -> seen.add("undo"));
                return p;
            }).get();
            assertEquals(1, pos);
            assertEquals(List.of("hint published=0", "wake published=1"), seen);

            seen.clear();
            var failed = w.submit(ctx -> {
                long p = ctx.nextStreamPos();
                ctx.onCommitting(() -> seen.add("hint"));
                ctx.afterCommit(() -> seen.add("wake"));
                ctx.onRollback(() -> seen.add("undo"));
                ctx.prepare("INSERT INTO t (pos) VALUES (1)").execute(); // duplicate key
                return p;
            });
            ExecutionException e = assertThrows(ExecutionException.class, failed::get);
            assertTrue(e.getCause() instanceof SQLException, e.toString());
            assertEquals(List.of("undo"), seen);
        }
    }
}
