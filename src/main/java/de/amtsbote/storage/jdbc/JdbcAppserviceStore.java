package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.AppserviceStore;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.util.List;
import java.util.Optional;

/** {@link AppserviceStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcAppserviceStore implements AppserviceStore {
    private final Database db;

    public JdbcAppserviceStore(Database db) { this.db = db; }

    @Override
    public long positionOrStart(String asId, long startPos) {
        Optional<Long> pos = db.read(c -> Q.one(c, "SELECT stream_pos FROM appservice_streams WHERE as_id = ?",
                rs -> rs.getLong(1), asId));
        if (pos.isPresent()) return pos.get();
        return db.write(ctx -> {
            Optional<Long> again = Q.one(ctx.connection(), "SELECT stream_pos FROM appservice_streams WHERE as_id = ?",
                    rs -> rs.getLong(1), asId);
            if (again.isPresent()) return again.get();
            Q.update(ctx, "INSERT INTO appservice_streams (as_id, stream_pos, last_txn_id) VALUES (?,?,0)", asId, startPos);
            return startPos;
        });
    }

    @Override
    public List<StoredEvent> eventsBetween(long after, long upTo, int limit) {
        return db.read(c -> Q.list(c, "SELECT stream_pos, event_id, room_id, type, state_key, sender, redacted_by, "
                        + "txn_device, txn_id, json FROM events WHERE stream_pos > ? AND stream_pos <= ? "
                        + "ORDER BY stream_pos LIMIT ?",
                rs -> new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), Json.parseObject(rs.getString(10))),
                after, upTo, limit));
    }

    @Override
    public Optional<Txn> oldestTxn(String asId) {
        return db.read(c -> Q.one(c, "SELECT as_id, txn_id, body FROM appservice_txns WHERE as_id = ? ORDER BY txn_id LIMIT 1",
                rs -> new Txn(rs.getString(1), rs.getLong(2), rs.getString(3)), asId));
    }

    @Override
    public Txn addTxn(String asId, long newPos, String body, long now) {
        return db.write(ctx -> {
            long txnId = Q.one(ctx.connection(), "SELECT last_txn_id FROM appservice_streams WHERE as_id = ?",
                    rs -> rs.getLong(1), asId).orElseThrow() + 1;
            Q.update(ctx, "UPDATE appservice_streams SET stream_pos = ?, last_txn_id = ? WHERE as_id = ?", newPos, txnId, asId);
            Q.update(ctx, "INSERT INTO appservice_txns (as_id, txn_id, body, created_ts) VALUES (?,?,?,?)", asId, txnId, body, now);
            return new Txn(asId, txnId, body);
        });
    }

    @Override
    public void advance(String asId, long newPos) {
        db.write(ctx -> Q.update(ctx, "UPDATE appservice_streams SET stream_pos = ? WHERE as_id = ? AND stream_pos < ?",
                newPos, asId, newPos));
    }

    @Override
    public void deleteTxn(String asId, long txnId) {
        db.write(ctx -> Q.update(ctx, "DELETE FROM appservice_txns WHERE as_id = ? AND txn_id = ?", asId, txnId));
    }

    @Override
    public int pendingCount(String asId) {
        return db.read(c -> Q.one(c, "SELECT COUNT(*) FROM appservice_txns WHERE as_id = ?", rs -> rs.getInt(1), asId))
                .orElse(0);
    }
}
