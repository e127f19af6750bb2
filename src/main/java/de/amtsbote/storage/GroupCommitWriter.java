package de.amtsbote.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer of the database. Writes queue up here and are run in batches: one transaction (and so
 * one fsync) for everything that arrived while the previous batch was committing. Each write runs inside a
 * savepoint, so one failing write (e.g. a unique-key clash) fails only its own future.
 *
 * <p>Why a single writer: SQLite allows one writer at a time anyway, and the stream positions that /sync
 * tokens count must become visible in order. A caller is answered only after its batch is committed, which
 * is what "acknowledged only once durable" means.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());
    private static final int MAX_BATCH = 1000;

    private record Pending<T>(WriteWork<T> work, CompletableFuture<T> future) {}

    private final Supplier<Connection> connectionFactory;
    private final boolean multiStatement;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong committedPos;
    private final Thread thread;
    private final List<Runnable> commitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private Connection connection;
    private long nextPos;

    /**
     * multiStatement: the database runs "A; B" in one round trip (PostgreSQL), which saves a round trip per
     * write; SQLite runs in-process and takes one statement per call.
     */
    public GroupCommitWriter(Supplier<Connection> connectionFactory, long lastStreamPos, boolean multiStatement) {
        this.multiStatement = multiStatement;
        this.connectionFactory = connectionFactory;
        this.committedPos = new AtomicLong(lastStreamPos);
        this.nextPos = lastStreamPos + 1;
        this.thread = Thread.ofPlatform().name("db-writer").daemon(true).start(this::loop);
    }

    /** The highest stream position whose write is committed; rows up to here are safe to read. */
    public long committedStreamPos() { return committedPos.get(); }

    /** Called (on the writer thread) after every committed batch, after the per-write afterCommit actions. */
    public void addCommitListener(Runnable listener) { commitListeners.add(listener); }

    public <T> CompletableFuture<T> submit(WriteWork<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new StorageException("database writer stopped", null));
            return f;
        }
        queue.add(new Pending<>(work, f));
        return f;
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "database writer failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private java.sql.Statement plain;

    private java.sql.Statement plainStatement(Connection c) throws SQLException {
        if (plain == null) plain = c.createStatement();
        return plain;
    }

    /** Prepared statements of the current connection; dropped with it. */
    private final java.util.Map<String, java.sql.PreparedStatement> statements = new java.util.HashMap<>();

    private final class Ctx implements WriteContext {
        Connection c;
        long next;
        final List<Runnable> hints = new ArrayList<>();
        final List<Runnable> after = new ArrayList<>();
        final List<Runnable> rollback = new ArrayList<>();
        public Connection connection() { return c; }
        public java.sql.PreparedStatement prepare(String sql) throws SQLException {
            java.sql.PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = c.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }
        public long nextStreamPos() { return next++; }
        public void onCommitting(Runnable hint) { hints.add(hint); }
        public void afterCommit(Runnable action) { after.add(action); }
        public void onRollback(Runnable undo) { rollback.add(undo); }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runBatch(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] errors = new Throwable[batch.size()];
        Ctx ctx = new Ctx();
        ctx.next = nextPos;
        try {
            Connection c = connection();
            ctx.c = c;
            boolean open = false;
            for (int i = 0; i < batch.size(); i++) {
                // Savepoints by prepared SQL: the driver's setSavepoint() would parse new SQL every time. Where
                // the database takes several statements in one round trip (PostgreSQL), the previous write's
                // savepoint is released together with opening the next one; the commit releases the last.
                if (open) {
                    plainStatement(c).execute("RELEASE SAVEPOINT w; SAVEPOINT w");
                } else {
                    ctx.prepare("SAVEPOINT w").execute();
                }
                open = true;
                int afterBefore = ctx.after.size();
                int hintsBefore = ctx.hints.size();
                int rollbackBefore = ctx.rollback.size();
                long posBefore = ctx.next;
                try {
                    results[i] = batch.get(i).work().run(ctx);
                    if (!multiStatement) {
                        ctx.prepare("RELEASE SAVEPOINT w").execute();
                        open = false;
                    }
                } catch (Throwable t) {
                    ctx.prepare("ROLLBACK TO SAVEPOINT w").execute();
                    ctx.prepare("RELEASE SAVEPOINT w").execute();
                    open = false;
                    // Positions handed out to a failed write are simply skipped; gaps are harmless.
                    while (ctx.after.size() > afterBefore) ctx.after.removeLast();
                    while (ctx.hints.size() > hintsBefore) ctx.hints.removeLast();
                    while (ctx.rollback.size() > rollbackBefore) runSafely(ctx.rollback.removeLast());
                    errors[i] = t;
                    if (ctx.next < posBefore) ctx.next = posBefore;
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "database commit failed; " + batch.size() + " writes rejected", e);
            closeQuietly();
            for (Runnable r : ctx.rollback) runSafely(r);
            for (Pending<?> p : batch) p.future().completeExceptionally(new StorageException("commit failed", e));
            return;
        }
        nextPos = ctx.next;
        for (Runnable r : ctx.hints) runSafely(r);
        committedPos.set(ctx.next - 1);
        for (Runnable r : ctx.after) runSafely(r);
        for (Runnable r : commitListeners) runSafely(r);
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture f = batch.get(i).future();
            if (errors[i] != null) f.completeExceptionally(errors[i]);
            else f.complete(results[i]);
        }
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "after-commit action failed", e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connectionFactory.get();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void closeQuietly() {
        for (java.sql.PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
        try {
            if (plain != null) plain.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        plain = null;
        try {
            if (connection != null) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException ignored) {
            // the connection is replaced on the next batch anyway
        }
        connection = null;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
