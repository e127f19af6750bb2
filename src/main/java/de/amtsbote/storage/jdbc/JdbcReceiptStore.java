package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.ReceiptStore;
import java.util.List;
import java.util.Optional;

/** {@link ReceiptStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcReceiptStore implements ReceiptStore {
    private final Database db;

    public JdbcReceiptStore(Database db) { this.db = db; }

    @Override
    public long put(Receipt r, java.util.function.LongConsumer onStored, Runnable afterCommit) {
        return db.write(ctx -> {
            long pos = ctx.nextStreamPos();
            int n = Q.update(ctx, "INSERT INTO receipts (room_id, receipt_type, user_id, thread_id, event_id,"
                    + " event_pos, ts, stream_pos) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (room_id, receipt_type, user_id,"
                    + " thread_id) DO UPDATE SET event_id = excluded.event_id, event_pos = excluded.event_pos,"
                    + " ts = excluded.ts, stream_pos = excluded.stream_pos WHERE receipts.event_pos < excluded.event_pos",
                    r.roomId(), r.type(), r.userId(), r.threadId(), r.eventId(), r.eventPos(), r.ts(), pos);
            if (n > 0 && onStored != null) ctx.onCommitting(() -> onStored.accept(pos));
            if (n > 0 && afterCommit != null) ctx.afterCommit(afterCommit);
            return n > 0 ? pos : -1L;
        });
    }

    @Override
    public List<Receipt> since(String roomId, long after, long upTo) {
        return db.read(c -> Q.list(c, "SELECT room_id, receipt_type, user_id, thread_id, event_id, event_pos, ts, stream_pos"
                        + " FROM receipts WHERE room_id = ? AND stream_pos > ? AND stream_pos <= ?",
                rs -> new Receipt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8)), roomId, after, upTo));
    }

    @Override
    public long lastPos(String roomId) {
        return db.read(c -> Q.one(c, "SELECT COALESCE(MAX(stream_pos), 0) FROM receipts WHERE room_id = ?",
                rs -> rs.getLong(1), roomId).orElse(0L));
    }

    @Override
    public Optional<Long> readPosition(String roomId, String userId) {
        return db.read(c -> Q.one(c, "SELECT MAX(event_pos) FROM receipts WHERE room_id = ? AND user_id = ?"
                + " AND receipt_type IN ('m.read', 'm.read.private') AND thread_id IN ('', 'main')",
                rs -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }, roomId, userId));
    }
}
