package de.amtsbote.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL (binaries from Maven Central) per test JVM; each caller gets a fresh database in it.
 */
public final class EmbeddedPostgres {
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private static final AtomicInteger counter = new AtomicInteger();

    private EmbeddedPostgres() {}

    public static synchronized String newDatabaseUrl() throws Exception {
        if (pg == null) {
            pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }));
        }
        String name = "amtsbote_" + counter.incrementAndGet() + "_" + ProcessHandle.current().pid();
        String base = pg.getJdbcUrl("postgres", "postgres");
        try (Connection c = DriverManager.getConnection(base)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return base.replace("/postgres?", "/" + name + "?");
    }
}
