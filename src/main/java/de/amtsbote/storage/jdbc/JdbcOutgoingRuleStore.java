package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.OutgoingRuleStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link OutgoingRuleStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcOutgoingRuleStore implements OutgoingRuleStore {
    private static final String COLUMNS = "id, room_id, name, kind, pattern, url, bot_user_id, secret, created_by, created_ts";
    private final Database db;

    public JdbcOutgoingRuleStore(Database db) { this.db = db; }

    private static Rule row(ResultSet rs) throws SQLException {
        return new Rule(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10));
    }

    @Override
    public boolean create(Rule r) {
        // ON CONFLICT DO NOTHING: a taken name must not abort the writer's batch (both databases accept it).
        return db.write(ctx -> Q.update(ctx, "INSERT INTO outgoing_rules (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT DO NOTHING", r.id(), r.roomId(), r.name(), r.kind(), r.pattern(), r.url(), r.botUserId(),
                r.secret(), r.createdBy(), r.createdTs()) > 0);
    }

    @Override
    public Optional<Rule> get(String id) {
        return db.read(c -> Q.one(c, "SELECT " + COLUMNS + " FROM outgoing_rules WHERE id = ?", JdbcOutgoingRuleStore::row, id));
    }

    @Override
    public List<Rule> all() {
        return db.read(c -> Q.list(c, "SELECT " + COLUMNS + " FROM outgoing_rules ORDER BY created_ts, id",
                JdbcOutgoingRuleStore::row));
    }

    @Override
    public boolean delete(String id) {
        return db.write(ctx -> Q.update(ctx, "DELETE FROM outgoing_rules WHERE id = ?", id) > 0);
    }
}
