package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.BotStore;
import de.amtsbote.storage.Database;
import java.util.List;

/** {@link BotStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcBotStore implements BotStore {
    private final Database db;

    public JdbcBotStore(Database db) { this.db = db; }

    @Override
    public void add(Bot b) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO bot_users (user_id, created_by, created_ts) VALUES (?,?,?)",
                b.userId(), b.createdBy(), b.createdTs()));
    }

    @Override
    public boolean isBot(String userId) {
        return db.read(c -> Q.one(c, "SELECT 1 FROM bot_users WHERE user_id = ?", rs -> true, userId).isPresent());
    }

    @Override
    public List<Bot> all() {
        return db.read(c -> Q.list(c, "SELECT user_id, created_by, created_ts FROM bot_users ORDER BY created_ts, user_id",
                rs -> new Bot(rs.getString(1), rs.getString(2), rs.getLong(3))));
    }
}
