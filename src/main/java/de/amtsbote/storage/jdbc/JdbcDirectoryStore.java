package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.DirectoryStore;
import java.util.List;
import java.util.Optional;

/** {@link DirectoryStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcDirectoryStore implements DirectoryStore {
    private final Database db;

    public JdbcDirectoryStore(Database db) { this.db = db; }

    @Override
    public boolean create(String alias, String roomId, String creator) {
        return db.write(ctx -> Q.update(ctx, "INSERT INTO room_aliases (alias, room_id, creator)"
                + " VALUES (?,?,?) ON CONFLICT (alias) DO NOTHING", alias, roomId, creator) == 1);
    }

    @Override
    public boolean insert(de.amtsbote.storage.WriteContext ctx, String alias, String roomId, String creator)
            throws java.sql.SQLException {
        return Q.update(ctx, "INSERT INTO room_aliases (alias, room_id, creator)"
                + " VALUES (?,?,?) ON CONFLICT (alias) DO NOTHING", alias, roomId, creator) == 1;
    }

    @Override
    public Optional<Alias> get(String alias) {
        return db.read(c -> Q.one(c, "SELECT alias, room_id, creator FROM room_aliases WHERE alias = ?",
                rs -> new Alias(rs.getString(1), rs.getString(2), rs.getString(3)), alias));
    }

    @Override
    public boolean delete(String alias) {
        return db.write(ctx -> Q.update(ctx, "DELETE FROM room_aliases WHERE alias = ?", alias) == 1);
    }

    @Override
    public List<String> aliasesOf(String roomId) {
        return db.read(c -> Q.list(c, "SELECT alias FROM room_aliases WHERE room_id = ? ORDER BY alias",
                rs -> rs.getString(1), roomId));
    }
}
