package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.MediaStore;
import java.util.Optional;

/** {@link MediaStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcMediaStore implements MediaStore {
    private final Database db;

    public JdbcMediaStore(Database db) { this.db = db; }

    @Override
    public void add(Media m) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO media (media_id, user_id, content_type, file_name, size,"
                + " sha256, created_ts) VALUES (?,?,?,?,?,?,?)", m.mediaId(), m.userId(), m.contentType(), m.fileName(),
                m.size(), m.sha256(), m.createdTs()));
    }

    @Override
    public Optional<Media> get(String mediaId) {
        return db.read(c -> Q.one(c, "SELECT media_id, user_id, content_type, file_name, size, sha256, created_ts"
                + " FROM media WHERE media_id = ?", rs -> new Media(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getLong(5), rs.getString(6), rs.getLong(7)), mediaId));
    }
}
