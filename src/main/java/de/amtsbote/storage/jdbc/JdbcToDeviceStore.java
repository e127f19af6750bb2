package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.ToDeviceStore;
import de.amtsbote.util.Json;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ToDeviceStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcToDeviceStore implements ToDeviceStore {
    private final Database db;
    /**
     * Per device (user NUL device): the newest message position stored and the position acknowledged up to.
     * Every /sync asks for pending messages and acknowledges; almost always there are none, and this answers
     * that without a query (or a delete on the single writer). Filled from the table at start.
     */
    private final ConcurrentHashMap<String, long[]> inbox = new ConcurrentHashMap<>();

    public JdbcToDeviceStore(Database db) {
        this.db = db;
        db.read(c -> Q.list(c, "SELECT user_id, device_id, MAX(stream_pos) FROM to_device GROUP BY user_id, device_id",
                rs -> inbox.put(key(rs.getString(1), rs.getString(2)), new long[] {rs.getLong(3), 0})));
    }

    private static String key(String userId, String deviceId) { return userId + "\u0000" + deviceId; }

    /** A committing hint: runs before the position is published (so a reader never misses it). */
    private void stored(Target t, long pos) {
        inbox.compute(key(t.userId(), t.deviceId()), (k, v) -> v == null ? new long[] {pos, 0}
                : new long[] {Math.max(v[0], pos), v[1]});
    }

    private boolean nothingPending(String userId, String deviceId) {
        long[] v = inbox.get(key(userId, deviceId));
        return v == null || v[0] <= v[1];
    }

    @Override
    public void add(List<Target> messages, Runnable afterCommit) {
        db.write(ctx -> {
            insert(ctx, messages, afterCommit);
            return null;
        });
    }

    private void insert(de.amtsbote.storage.WriteContext ctx, List<Target> messages, Runnable afterCommit)
            throws java.sql.SQLException {
        for (Target t : messages) {
            long pos = ctx.nextStreamPos();
            Q.update(ctx, "INSERT INTO to_device (stream_pos, user_id, device_id, sender, type, content)"
                    + " VALUES (?,?,?,?,?,?)", pos, t.userId(), t.deviceId(), t.sender(), t.type(),
                    Json.write(t.content()));
            ctx.onCommitting(() -> stored(t, pos));
        }
        if (afterCommit != null) ctx.afterCommit(afterCommit);
    }

    /** How long a transaction ID is remembered; clients retry within minutes, not days. */
    private static final long TXN_RETENTION_MS = 24L * 60 * 60 * 1000;

    @Override
    public boolean addOnce(String senderUserId, String senderDeviceId, String txnId, List<Target> messages,
                           Runnable afterCommit) {
        long now = System.currentTimeMillis();
        return db.write(ctx -> {
            Q.update(ctx, "DELETE FROM to_device_txns WHERE user_id = ? AND device_id = ? AND created_ts < ?",
                    senderUserId, senderDeviceId, now - TXN_RETENTION_MS);
            int inserted = Q.update(ctx, "INSERT INTO to_device_txns (user_id, device_id, txn_id, created_ts)"
                    + " VALUES (?,?,?,?) ON CONFLICT (user_id, device_id, txn_id) DO NOTHING",
                    senderUserId, senderDeviceId, txnId, now);
            if (inserted == 0) return false;
            insert(ctx, messages, afterCommit);
            return true;
        });
    }

    @Override
    public List<Message> pending(String userId, String deviceId, long after, long upTo, int limit) {
        if (nothingPending(userId, deviceId)) return List.of();
        long[] v = inbox.get(key(userId, deviceId));
        if (v != null && v[0] <= after) return List.of();
        return db.read(c -> Q.list(c, "SELECT stream_pos, sender, type, content FROM to_device WHERE user_id = ?"
                        + " AND device_id = ? AND stream_pos > ? AND stream_pos <= ? ORDER BY stream_pos LIMIT ?",
                rs -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3), Json.parseObject(rs.getString(4))),
                userId, deviceId, after, upTo, limit));
    }

    @Override
    public void acknowledge(String userId, String deviceId, long upTo) {
        if (nothingPending(userId, deviceId)) return;
        db.writeAsync(ctx -> {
            int n = Q.update(ctx,
                    "DELETE FROM to_device WHERE user_id = ? AND device_id = ? AND stream_pos <= ?", userId, deviceId, upTo);
            ctx.onCommitting(() -> inbox.computeIfPresent(key(userId, deviceId),
                    (k, v) -> new long[] {v[0], Math.max(v[1], upTo)}));
            return n;
        });
    }
}
