package de.amtsbote.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import de.amtsbote.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One database, SQLite or PostgreSQL: a pool of connections for reads and the {@link GroupCommitWriter} for
 * writes. Schema migrations run at open. The stores in this package are the only code that writes SQL.
 */
public final class Database implements AutoCloseable {
    /** Schema versions, each a resource db/V{n}__*.sql; append new ones, never edit old ones. */
    private static final String[] MIGRATIONS = {"V1__init.sql", "V2__to_device_txn.sql", "V3__rooms_txn_path.sql", "V4__read_state_index.sql",
            "V5__e2ee_keys.sql", "V6__key_backup_pushers.sql", "V7__webhooks.sql", "V8__audit_log.sql",
            "V9__outgoing_rules.sql", "V10__admin_wipes.sql", "V11__registration_tokens.sql",
            "V12__ldap_sync.sql", "V13__appservice.sql", "V14__notice_txns.sql"};
    private static final String[] STREAM_TABLES = {"events", "receipts", "account_data", "to_device",
            "device_list_changes"};

    private final Dialect dialect;
    private final HikariDataSource readPool;
    private final GroupCommitWriter writer;

    public enum Dialect { SQLITE, POSTGRESQL }

    private Database(Dialect dialect, HikariDataSource readPool, java.util.function.Supplier<Connection> writeConn)
            throws SQLException {
        this.dialect = dialect;
        this.readPool = readPool;
        try (Connection c = writeConn.get()) {
            migrate(c);
        }
        long last = 0;
        try (Connection c = readPool.getConnection(); Statement s = c.createStatement()) {
            for (String t : STREAM_TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(stream_pos), 0) FROM " + t)) {
                    rs.next();
                    last = Math.max(last, rs.getLong(1));
                }
            }
        }
        this.writer = new GroupCommitWriter(writeConn, last, dialect == Dialect.POSTGRESQL);
    }

    public static Database open(Config.Database cfg) {
        try {
            if (cfg.isSqlite()) return openSqlite(cfg);
            return openPostgres(cfg);
        } catch (SQLException e) {
            throw new StorageException("cannot open database: " + e.getMessage(), e);
        }
    }

    private static Database openSqlite(Config.Database cfg) throws SQLException {
        try {
            if (cfg.path().toAbsolutePath().getParent() != null) {
                Files.createDirectories(cfg.path().toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = "jdbc:sqlite:" + cfg.path().toAbsolutePath();
        // WAL lets readers run beside the single writer; synchronous=FULL makes a commit durable on power loss.
        Properties props = new Properties();
        props.setProperty("journal_mode", "WAL");
        props.setProperty("synchronous", "FULL");
        props.setProperty("busy_timeout", "10000");
        props.setProperty("foreign_keys", "true");
        // A 16 MiB page cache per connection keeps the hot index pages of busy tables in memory.
        props.setProperty("cache_size", "-16384");
        props.setProperty("temp_store", "MEMORY");
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sqlite-read");
        hc.setJdbcUrl(url);
        hc.setDataSourceProperties(props);
        hc.setMaximumPoolSize(cfg.poolSize());
        hc.setReadOnly(false);
        // Create the file and switch it to WAL before readers open it.
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.createStatement().execute("PRAGMA journal_mode=WAL");
        }
        HikariDataSource pool = new HikariDataSource(hc);
        return new Database(Dialect.SQLITE, pool, () -> {
            try {
                return DriverManager.getConnection(url, props);
            } catch (SQLException e) {
                throw new StorageException("cannot open database for writing", e);
            }
        });
    }

    private static Database openPostgres(Config.Database cfg) throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("postgresql-read");
        hc.setJdbcUrl(cfg.url());
        if (cfg.user() != null) hc.setUsername(cfg.user());
        if (cfg.password() != null) hc.setPassword(cfg.password());
        hc.setMaximumPoolSize(cfg.poolSize());
        HikariDataSource pool = new HikariDataSource(hc);
        Properties props = new Properties();
        if (cfg.user() != null) props.setProperty("user", cfg.user());
        if (cfg.password() != null) props.setProperty("password", cfg.password());
        return new Database(Dialect.POSTGRESQL, pool, () -> {
            try {
                return DriverManager.getConnection(cfg.url(), props);
            } catch (SQLException e) {
                throw new StorageException("cannot open database for writing", e);
            }
        });
    }

    public Dialect dialect() { return dialect; }

    public GroupCommitWriter writer() { return writer; }

    /** Runs a read on a pooled connection (autocommit, so each statement sees the latest commit). */
    public <T> T read(Sql<T> work) {
        try (Connection c = readPool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("database read failed", e);
        }
    }

    /** Queues a write for the next batch; the future completes once it is durable. */
    public <T> CompletableFuture<T> writeAsync(WriteWork<T> work) {
        return writer.submit(work);
    }

    /** Queues a write and waits until it is durable. Exceptions of the work are rethrown unchanged. */
    public <T> T write(WriteWork<T> work) {
        try {
            return writer.submit(work).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new StorageException("database write failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while writing", e);
        }
    }

    private void migrate(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_ts BIGINT NOT NULL)");
            int current;
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            for (int v = current + 1; v <= MIGRATIONS.length; v++) {
                for (String stmt : loadStatements(MIGRATIONS[v - 1])) s.execute(stmt);
                s.execute("INSERT INTO schema_version (version, applied_ts) VALUES (" + v + ", "
                        + System.currentTimeMillis() + ")");
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private String[] loadStatements(String name) {
        String resource = "/db/" + name;
        try (InputStream in = Database.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing schema resource " + resource);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder();
            for (String line : text.split("\n")) {
                if (!line.trim().startsWith("--")) sb.append(line).append('\n');
            }
            return java.util.Arrays.stream(sb.toString().split(";"))
                    .map(String::trim).filter(st -> !st.isEmpty()).toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        writer.close();
        readPool.close();
    }
}
