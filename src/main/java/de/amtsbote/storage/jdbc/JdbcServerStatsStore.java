package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.ServerStatsStore;

/** {@link ServerStatsStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcServerStatsStore implements ServerStatsStore {
    private final Database db;

    public JdbcServerStatsStore(Database db) { this.db = db; }

    @Override
    public long activeUsers() {
        return db.read(c -> Q.one(c, "SELECT COUNT(*) FROM users WHERE deactivated = 0", rs -> rs.getLong(1)).orElse(0L));
    }

    @Override
    public long rooms() {
        return db.read(c -> Q.one(c, "SELECT COUNT(*) FROM rooms", rs -> rs.getLong(1)).orElse(0L));
    }
}
