package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.KeyBackupStore;
import de.amtsbote.storage.WriteContext;
import de.amtsbote.util.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/** {@link KeyBackupStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcKeyBackupStore implements KeyBackupStore {
    private static final String KEY_COLUMNS =
            "room_id, session_id, first_message_index, forwarded_count, is_verified, session_data";

    private final Database db;

    public JdbcKeyBackupStore(Database db) { this.db = db; }

    @Override
    public long create(String userId, String algorithm, ObjectNode authData) {
        return db.write(ctx -> {
            long next = Q.one(ctx.connection(), "SELECT COALESCE(MAX(version), 0) + 1 FROM key_backup_versions"
                    + " WHERE user_id = ?", rs -> rs.getLong(1), userId).orElse(1L);
            Q.update(ctx, "INSERT INTO key_backup_versions (user_id, version, algorithm, auth_data, etag, deleted)"
                    + " VALUES (?,?,?,?,0,0)", userId, next, algorithm, Json.write(authData));
            return next;
        });
    }

    @Override
    public Optional<Version> current(String userId) {
        return db.read(c -> {
            Optional<Long> v = currentVersion(c, userId);
            return v.isEmpty() ? Optional.<Version>empty() : load(c, userId, v.get());
        });
    }

    @Override
    public Optional<Version> version(String userId, long version) {
        return db.read(c -> load(c, userId, version));
    }

    private static Optional<Long> currentVersion(Connection c, String userId) throws SQLException {
        return Q.one(c, "SELECT MAX(version) FROM key_backup_versions WHERE user_id = ? AND deleted = 0",
                rs -> rs.getObject(1) == null ? null : rs.getLong(1), userId);
    }

    private static Optional<Version> load(Connection c, String userId, long version) throws SQLException {
        Optional<Version> v = Q.one(c, "SELECT algorithm, auth_data, etag FROM key_backup_versions"
                        + " WHERE user_id = ? AND version = ? AND deleted = 0",
                rs -> new Version(version, rs.getString(1), Json.parseObject(rs.getString(2)), rs.getLong(3), 0),
                userId, version);
        if (v.isEmpty()) return v;
        long count = count(c, userId, version);
        return Optional.of(new Version(version, v.get().algorithm(), v.get().authData(), v.get().etag(), count));
    }

    private static long count(Connection c, String userId, long version) throws SQLException {
        return Q.one(c, "SELECT COUNT(*) FROM key_backup_sessions WHERE user_id = ? AND version = ?",
                rs -> rs.getLong(1), userId, version).orElse(0L);
    }

    @Override
    public boolean everExisted(String userId, long version) {
        return db.read(c -> Q.one(c, "SELECT 1 FROM key_backup_versions WHERE user_id = ? AND version = ?",
                rs -> true, userId, version).isPresent());
    }

    @Override
    public boolean updateAuthData(String userId, long version, ObjectNode authData) {
        return db.write(ctx -> Q.update(ctx, "UPDATE key_backup_versions SET auth_data = ? WHERE user_id = ?"
                + " AND version = ? AND deleted = 0", Json.write(authData), userId, version) > 0);
    }

    @Override
    public boolean delete(String userId, long version) {
        return db.write(ctx -> {
            int n = Q.update(ctx, "UPDATE key_backup_versions SET deleted = 1 WHERE user_id = ? AND version = ?",
                    userId, version);
            Q.update(ctx, "DELETE FROM key_backup_sessions WHERE user_id = ? AND version = ?", userId, version);
            return n > 0;
        });
    }

    @Override
    public WriteResult putKeys(String userId, long version, List<SessionKey> keys,
                               BiPredicate<SessionKey, SessionKey> replaces) {
        return db.write(ctx -> {
            Optional<Long> current = currentVersion(ctx.connection(), userId);
            if (current.isEmpty()) return new WriteResult(Status.NO_BACKUP, 0, 0, 0);
            if (current.get() != version) return new WriteResult(Status.WRONG_VERSION, current.get(), 0, 0);
            boolean changed = false;
            for (SessionKey k : keys) {
                Optional<SessionKey> existing = stored(ctx, userId, version, k.roomId(), k.sessionId());
                if (existing.isPresent() && !replaces.test(existing.get(), k)) continue;
                Q.update(ctx, "INSERT INTO key_backup_sessions (user_id, version, " + KEY_COLUMNS + ")"
                        + " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE SET"
                        + " first_message_index = excluded.first_message_index,"
                        + " forwarded_count = excluded.forwarded_count, is_verified = excluded.is_verified,"
                        + " session_data = excluded.session_data",
                        userId, version, k.roomId(), k.sessionId(), k.firstMessageIndex(), k.forwardedCount(),
                        k.verified(), Json.write(k.sessionData()));
                changed = true;
            }
            return finish(ctx, userId, version, changed);
        });
    }

    /**
     * The stored key of one session, through the writer's statement cache: a client uploads hundreds of keys in
     * one request, and all of them are looked up while the writer is busy with this one write.
     */
    private static Optional<SessionKey> stored(WriteContext ctx, String userId, long version, String roomId,
                                               String sessionId) throws SQLException {
        PreparedStatement ps = ctx.prepare("SELECT " + KEY_COLUMNS + " FROM key_backup_sessions WHERE user_id = ?"
                + " AND version = ? AND room_id = ? AND session_id = ?");
        ps.setString(1, userId);
        ps.setLong(2, version);
        ps.setString(3, roomId);
        ps.setString(4, sessionId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(key(rs)) : Optional.empty();
        }
    }

    @Override
    public List<SessionKey> keys(String userId, long version, String roomId, String sessionId) {
        StringBuilder sql = new StringBuilder("SELECT " + KEY_COLUMNS
                + " FROM key_backup_sessions WHERE user_id = ? AND version = ?");
        List<Object> args = new ArrayList<>(List.of(userId, version));
        if (roomId != null) {
            sql.append(" AND room_id = ?");
            args.add(roomId);
        }
        if (sessionId != null) {
            sql.append(" AND session_id = ?");
            args.add(sessionId);
        }
        sql.append(" ORDER BY room_id, session_id");
        return db.read(c -> Q.list(c, sql.toString(), JdbcKeyBackupStore::key, args.toArray()));
    }

    @Override
    public WriteResult deleteKeys(String userId, long version, String roomId, String sessionId) {
        return db.write(ctx -> {
            boolean exists = Q.one(ctx.connection(), "SELECT 1 FROM key_backup_versions WHERE user_id = ?"
                    + " AND version = ? AND deleted = 0", rs -> true, userId, version).isPresent();
            if (!exists) return new WriteResult(Status.NOT_FOUND, 0, 0, 0);
            StringBuilder sql = new StringBuilder("DELETE FROM key_backup_sessions WHERE user_id = ? AND version = ?");
            List<Object> args = new ArrayList<>(List.of(userId, version));
            if (roomId != null) {
                sql.append(" AND room_id = ?");
                args.add(roomId);
            }
            if (sessionId != null) {
                sql.append(" AND session_id = ?");
                args.add(sessionId);
            }
            int n = Q.update(ctx, sql.toString(), args.toArray());
            return finish(ctx, userId, version, n > 0);
        });
    }

    /** Moves the etag on if the keys changed; answers the etag and count after the write. */
    private static WriteResult finish(WriteContext ctx, String userId, long version, boolean changed)
            throws SQLException {
        if (changed) {
            Q.update(ctx, "UPDATE key_backup_versions SET etag = etag + 1 WHERE user_id = ? AND version = ?",
                    userId, version);
        }
        long etag = Q.one(ctx.connection(), "SELECT etag FROM key_backup_versions WHERE user_id = ? AND version = ?",
                rs -> rs.getLong(1), userId, version).orElse(0L);
        return new WriteResult(Status.OK, version, etag, count(ctx.connection(), userId, version));
    }

    private static SessionKey key(ResultSet rs) throws SQLException {
        return new SessionKey(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getInt(5) != 0,
                Json.parseObject(rs.getString(6)));
    }
}
