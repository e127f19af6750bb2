package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.ToDeviceStore;
import de.amtsbote.util.Json;
import java.util.List;

/** {@link ToDeviceStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcToDeviceStore implements ToDeviceStore {
    private final Database db;

    public JdbcToDeviceStore(Database db) { this.db = db; }

    @Override
    public void add(List<Target> messages, Runnable afterCommit) {
        db.write(ctx -> {
            for (Target t : messages) {
                Q.update(ctx.connection(), "INSERT INTO to_device (stream_pos, user_id, device_id, sender, type, content)"
                        + " VALUES (?,?,?,?,?,?)", ctx.nextStreamPos(), t.userId(), t.deviceId(), t.sender(), t.type(),
                        Json.write(t.content()));
            }
            if (afterCommit != null) ctx.afterCommit(afterCommit);
            return null;
        });
    }

    /** How long a transaction ID is remembered; clients retry within minutes, not days. */
    private static final long TXN_RETENTION_MS = 24L * 60 * 60 * 1000;

    @Override
    public boolean addOnce(String senderUserId, String senderDeviceId, String txnId, List<Target> messages,
                           Runnable afterCommit) {
        long now = System.currentTimeMillis();
        return db.write(ctx -> {
            Q.update(ctx.connection(), "DELETE FROM to_device_txns WHERE user_id = ? AND device_id = ? AND created_ts < ?",
                    senderUserId, senderDeviceId, now - TXN_RETENTION_MS);
            int inserted = Q.update(ctx.connection(), "INSERT INTO to_device_txns (user_id, device_id, txn_id, created_ts)"
                    + " VALUES (?,?,?,?) ON CONFLICT (user_id, device_id, txn_id) DO NOTHING",
                    senderUserId, senderDeviceId, txnId, now);
            if (inserted == 0) return false;
            for (Target t : messages) {
                Q.update(ctx.connection(), "INSERT INTO to_device (stream_pos, user_id, device_id, sender, type, content)"
                        + " VALUES (?,?,?,?,?,?)", ctx.nextStreamPos(), t.userId(), t.deviceId(), t.sender(), t.type(),
                        Json.write(t.content()));
            }
            if (afterCommit != null) ctx.afterCommit(afterCommit);
            return true;
        });
    }

    @Override
    public List<Message> pending(String userId, String deviceId, long upTo, int limit) {
        return db.read(c -> Q.list(c, "SELECT stream_pos, sender, type, content FROM to_device WHERE user_id = ?"
                        + " AND device_id = ? AND stream_pos <= ? ORDER BY stream_pos LIMIT ?",
                rs -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3), Json.parseObject(rs.getString(4))),
                userId, deviceId, upTo, limit));
    }

    @Override
    public void acknowledge(String userId, String deviceId, long upTo) {
        db.writeAsync(ctx -> Q.update(ctx.connection(),
                "DELETE FROM to_device WHERE user_id = ? AND device_id = ? AND stream_pos <= ?", userId, deviceId, upTo));
    }
}
