package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.RegistrationTokenStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link RegistrationTokenStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcRegistrationTokenStore implements RegistrationTokenStore {
    private static final String COLUMNS = "token, uses_allowed, pending, completed, expiry_time";
    private final Database db;

    public JdbcRegistrationTokenStore(Database db) { this.db = db; }

    private static Token row(ResultSet rs) throws SQLException {
        int uses = rs.getInt(2);
        Integer usesAllowed = rs.wasNull() ? null : uses;
        long expiry = rs.getLong(5);
        Long expiryTime = rs.wasNull() ? null : expiry;
        return new Token(rs.getString(1), usesAllowed, rs.getInt(3), rs.getInt(4), expiryTime);
    }

    @Override
    public boolean create(Token t, long now) {
        return db.write(ctx -> Q.update(ctx, "INSERT INTO registration_tokens (" + COLUMNS + ", created_ts)"
                + " VALUES (?,?,0,0,?,?) ON CONFLICT (token) DO NOTHING",
                t.token(), t.usesAllowed(), t.expiryTime(), now) == 1);
    }

    @Override
    public Optional<Token> get(String token) {
        return db.read(c -> Q.one(c, "SELECT " + COLUMNS + " FROM registration_tokens WHERE token = ?",
                JdbcRegistrationTokenStore::row, token));
    }

    @Override
    public List<Token> all() {
        return db.read(c -> Q.list(c, "SELECT " + COLUMNS + " FROM registration_tokens ORDER BY created_ts, token",
                JdbcRegistrationTokenStore::row));
    }

    @Override
    public boolean update(String token, boolean setUsesAllowed, Integer usesAllowed, boolean setExpiryTime, Long expiryTime) {
        return db.write(ctx -> {
            if (setUsesAllowed) Q.update(ctx, "UPDATE registration_tokens SET uses_allowed = ? WHERE token = ?", usesAllowed, token);
            if (setExpiryTime) Q.update(ctx, "UPDATE registration_tokens SET expiry_time = ? WHERE token = ?", expiryTime, token);
            return Q.update(ctx, "UPDATE registration_tokens SET token = token WHERE token = ?", token) == 1;
        });
    }

    @Override
    public boolean delete(String token) {
        return db.write(ctx -> Q.update(ctx, "DELETE FROM registration_tokens WHERE token = ?", token) == 1);
    }

    @Override
    public boolean reserve(String token, long now) {
        return db.write(ctx -> Q.update(ctx, "UPDATE registration_tokens SET pending = pending + 1 WHERE token = ?"
                + " AND (uses_allowed IS NULL OR pending + completed < uses_allowed)"
                + " AND (expiry_time IS NULL OR expiry_time > ?)", token, now) == 1);
    }

    @Override
    public void complete(String token) {
        db.write(ctx -> Q.update(ctx, "UPDATE registration_tokens SET pending = pending - 1, completed = completed + 1"
                + " WHERE token = ? AND pending > 0", token));
    }

    @Override
    public void release(String token) {
        db.write(ctx -> Q.update(ctx, "UPDATE registration_tokens SET pending = pending - 1 WHERE token = ? AND pending > 0", token));
    }
}
