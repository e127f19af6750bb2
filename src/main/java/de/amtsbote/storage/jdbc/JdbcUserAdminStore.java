package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.UserAdminStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link UserAdminStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcUserAdminStore implements UserAdminStore {
    private static final String SELECT = "SELECT u.user_id, u.password_hash, u.is_admin, u.deactivated, u.displayname,"
            + " u.avatar_url, u.created_ts, u.locked, u.erased,"
            + " (SELECT MAX(d.last_seen_ts) FROM devices d WHERE d.user_id = u.user_id) AS last_seen FROM users u";

    private final Database db;

    public JdbcUserAdminStore(Database db) { this.db = db; }

    private static AdminUser read(ResultSet rs) throws SQLException {
        AccountStore.User u = new AccountStore.User(rs.getString("user_id"), rs.getString("password_hash"),
                rs.getInt("is_admin") == 1, rs.getInt("deactivated") == 1, rs.getString("displayname"),
                rs.getString("avatar_url"), rs.getLong("created_ts"));
        long seen = rs.getLong("last_seen");
        Long lastSeen = rs.wasNull() ? null : seen;
        return new AdminUser(u, rs.getInt("locked") == 1, rs.getInt("erased") == 1, lastSeen);
    }

    @Override
    public Page list(Query q) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (q.name() != null) {
            // The localpart is what lies between '@' and the first ':' of the user id.
            where.append(" AND (LOWER(u.user_id) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(u.displayname, '')) LIKE ? ESCAPE '\\')");
            args.add("@%" + likeEscape(q.name()) + "%:%");
            args.add("%" + likeEscape(q.name()) + "%");
        } else if (q.userIdPart() != null) {
            where.append(" AND LOWER(u.user_id) LIKE ? ESCAPE '\\'");
            args.add("%" + likeEscape(q.userIdPart()) + "%");
        }
        if (q.admins() != null) {
            where.append(" AND u.is_admin = ?");
            args.add(q.admins() ? 1 : 0);
        }
        if (!q.includeDeactivated()) where.append(" AND u.deactivated = 0");
        if (!q.includeLocked()) where.append(" AND u.locked = 0");
        String dir = q.backwards() ? " DESC" : " ASC";
        // NULLs sort differently in SQLite and PostgreSQL: compare with an explicit empty value instead.
        String column = switch (q.order()) {
            case NAME -> "u.user_id";
            case ADMIN -> "u.is_admin";
            case DEACTIVATED -> "u.deactivated";
            case LOCKED -> "u.locked";
            case DISPLAYNAME -> "LOWER(COALESCE(u.displayname, ''))"; // the same order in both databases
            case AVATAR_URL -> "COALESCE(u.avatar_url, '')";
            case CREATION_TS -> "u.created_ts";
            case LAST_SEEN_TS -> "COALESCE(last_seen, 0)";
        };
        String order = " ORDER BY " + column + dir + (q.order() == Order.NAME ? "" : ", u.user_id ASC");
        Object[] countArgs = args.toArray();
        args.add(q.limit());
        args.add(q.from());
        return db.read(c -> {
            List<AdminUser> users = Q.list(c, "SELECT * FROM (" + SELECT + where + ") u" + order
                    + " LIMIT ? OFFSET ?", JdbcUserAdminStore::read, args.toArray());
            long total = Q.one(c, "SELECT COUNT(*) FROM users u" + where, rs -> rs.getLong(1), countArgs).orElse(0L);
            return new Page(users, total);
        });
    }

    private static String likeEscape(String term) {
        return term.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public Optional<AdminUser> user(String userId) {
        return db.read(c -> Q.one(c, SELECT + " WHERE u.user_id = ?", JdbcUserAdminStore::read, userId));
    }

    @Override
    public Set<String> lockedUsers() {
        return db.read(c -> new HashSet<>(Q.list(c, "SELECT user_id FROM users WHERE locked = 1", rs -> rs.getString(1))));
    }

    @Override
    public void setLocked(String userId, boolean locked) {
        db.write(ctx -> Q.update(ctx.connection(), "UPDATE users SET locked = ? WHERE user_id = ?", locked ? 1 : 0, userId));
    }

    @Override
    public void setAdmin(String userId, boolean admin) {
        db.write(ctx -> Q.update(ctx.connection(), "UPDATE users SET is_admin = ? WHERE user_id = ?", admin ? 1 : 0, userId));
    }

    @Override
    public void deactivate(String userId, boolean erase) {
        db.write(ctx -> Q.update(ctx.connection(), erase
                ? "UPDATE users SET deactivated = 1, password_hash = NULL, displayname = NULL, avatar_url = NULL,"
                        + " erased = 1 WHERE user_id = ?"
                : "UPDATE users SET deactivated = 1, password_hash = NULL WHERE user_id = ?", userId));
    }

    /**
     * Per table: the statement that removes the user's rows (each binds the user id as often as it has '?').
     * Device keys are not here: they go with the devices through the key store, which keeps counts in memory.
     */
    private static final List<String> PERSONAL_DATA = List.of(
            "DELETE FROM account_data WHERE user_id = ?",
            "DELETE FROM filters WHERE user_id = ?",
            "DELETE FROM push_rules WHERE user_id = ?",
            "DELETE FROM e2e_signatures WHERE signer_user_id = ? OR target_user_id = ?",
            "DELETE FROM e2e_cross_signing_keys WHERE user_id = ?",
            "DELETE FROM key_backup_sessions WHERE user_id = ?",
            "UPDATE key_backup_versions SET deleted = 1, auth_data = '{}' WHERE user_id = ?",
            "DELETE FROM to_device WHERE user_id = ?",
            "DELETE FROM to_device_txns WHERE user_id = ?",
            "DELETE FROM pushers WHERE user_id = ?");

    @Override
    public void deletePersonalData(String userId) {
        db.write(ctx -> {
            for (String sql : PERSONAL_DATA) {
                Object[] args = new Object[(int) sql.chars().filter(ch -> ch == '?').count()];
                java.util.Arrays.fill(args, userId);
                Q.update(ctx.connection(), sql, args);
            }
            return null;
        });
    }

    @Override
    public void reactivate(String userId) {
        db.write(ctx -> Q.update(ctx.connection(), "UPDATE users SET deactivated = 0, erased = 0 WHERE user_id = ?", userId));
    }
}
