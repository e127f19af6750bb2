package de.amtsbote.storage.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.storage.Database;
import de.amtsbote.util.Json;
import java.util.List;
import java.util.Optional;

/** {@link AccountDataStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcAccountDataStore implements AccountDataStore {
    private final Database db;
    /**
     * user id -> newest account data position. /sync asks "anything since my token?" every time; this answers
     * "no" without a query. Filled from the table at start, raised by each write before it is published.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> newest = new java.util.concurrent.ConcurrentHashMap<>();

    public JdbcAccountDataStore(Database db) {
        this.db = db;
        db.read(c -> Q.list(c, "SELECT user_id, MAX(stream_pos) FROM account_data GROUP BY user_id",
                rs -> newest.put(rs.getString(1), rs.getLong(2))));
    }

    @Override
    public long put(String userId, String roomId, String type, ObjectNode content, Runnable afterCommit) {
        return db.write(ctx -> {
            long pos = ctx.nextStreamPos();
            Q.update(ctx, "INSERT INTO account_data (user_id, room_id, type, content, stream_pos)"
                    + " VALUES (?,?,?,?,?) ON CONFLICT (user_id, room_id, type) DO UPDATE SET"
                    + " content = excluded.content, stream_pos = excluded.stream_pos",
                    userId, roomId, type, Json.write(content), pos);
            ctx.onCommitting(() -> newest.merge(userId, pos, Math::max));
            if (afterCommit != null) ctx.afterCommit(afterCommit);
            return pos;
        });
    }

    @Override
    public Optional<ObjectNode> get(String userId, String roomId, String type) {
        return db.read(c -> Q.one(c, "SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND type = ?",
                rs -> Json.parseObject(rs.getString(1)), userId, roomId, type));
    }

    @Override
    public List<Item> since(String userId, long after, long upTo) {
        Long n = newest.get(userId);
        if (n == null || n <= after) return List.of();
        return db.read(c -> Q.list(c, "SELECT room_id, type, content, stream_pos FROM account_data WHERE user_id = ?"
                        + " AND stream_pos > ? AND stream_pos <= ? ORDER BY stream_pos",
                rs -> new Item(rs.getString(1), rs.getString(2), Json.parseObject(rs.getString(3)), rs.getLong(4)),
                userId, after, upTo));
    }

    @Override
    public String addFilter(String userId, ObjectNode filter) {
        String json = Json.write(filter);
        return db.write(ctx -> {
            // Re-use the id of an identical filter: clients upload the same filter on every start.
            Optional<String> existing = Q.one(ctx.connection(),
                    "SELECT filter_id FROM filters WHERE user_id = ? AND json = ?", rs -> rs.getString(1), userId, json);
            if (existing.isPresent()) return existing.get();
            long n = Q.one(ctx.connection(), "SELECT COUNT(*) FROM filters WHERE user_id = ?",
                    rs -> rs.getLong(1), userId).orElse(0L);
            String id = Long.toString(n);
            Q.update(ctx, "INSERT INTO filters (user_id, filter_id, json) VALUES (?,?,?)", userId, id, json);
            return id;
        });
    }

    @Override
    public Optional<ObjectNode> filter(String userId, String filterId) {
        return db.read(c -> Q.one(c, "SELECT json FROM filters WHERE user_id = ? AND filter_id = ?",
                rs -> Json.parseObject(rs.getString(1)), userId, filterId));
    }

    @Override
    public Optional<ObjectNode> pushRules(String userId) {
        return db.read(c -> Q.one(c, "SELECT json FROM push_rules WHERE user_id = ?",
                rs -> Json.parseObject(rs.getString(1)), userId));
    }

    @Override
    public void putPushRules(String userId, ObjectNode rules) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO push_rules (user_id, json) VALUES (?,?)"
                + " ON CONFLICT (user_id) DO UPDATE SET json = excluded.json", userId, Json.write(rules)));
    }
}
