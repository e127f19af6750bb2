package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link AccountStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcAccountStore implements AccountStore {
    private final Database db;

    public JdbcAccountStore(Database db) { this.db = db; }

    @Override
    public boolean createUser(String userId, String passwordHash, boolean admin, String displayname) {
        return db.write(ctx -> {
            try (PreparedStatement ps = ctx.connection().prepareStatement(
                    "INSERT INTO users (user_id, password_hash, is_admin, displayname, created_ts) VALUES (?,?,?,?,?)"
                            + " ON CONFLICT (user_id) DO NOTHING")) {
                ps.setString(1, userId);
                ps.setString(2, passwordHash);
                ps.setInt(3, admin ? 1 : 0);
                ps.setString(4, displayname);
                ps.setLong(5, System.currentTimeMillis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static User readUser(ResultSet rs) throws SQLException {
        return new User(rs.getString("user_id"), rs.getString("password_hash"), rs.getInt("is_admin") == 1,
                rs.getInt("deactivated") == 1, rs.getString("displayname"), rs.getString("avatar_url"),
                rs.getLong("created_ts"));
    }

    @Override
    public Optional<User> user(String userId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM users WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readUser(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<User> allUsers() {
        return db.read(c -> {
            List<User> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM users ORDER BY user_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(readUser(rs));
            }
            return out;
        });
    }

    @Override
    public void setPasswordHash(String userId, String passwordHash) {
        update("UPDATE users SET password_hash = ? WHERE user_id = ?", passwordHash, userId);
    }

    @Override
    public void setProfile(String userId, String displayname, String avatarUrl) {
        update("UPDATE users SET displayname = ?, avatar_url = ? WHERE user_id = ?", displayname, avatarUrl, userId);
    }

    private int update(String sql, Object... args) {
        return db.write(ctx -> {
            try (PreparedStatement ps = ctx.connection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void addDeviceToken(String userId, String deviceId, String displayName, String tokenHash, String ip) {
        db.write(ctx -> {
            Connection c = ctx.connection();
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO devices (user_id, device_id, display_name, last_seen_ts, last_seen_ip, created_ts)"
                            + " VALUES (?,?,?,?,?,?) ON CONFLICT (user_id, device_id) DO UPDATE SET"
                            + " last_seen_ts = excluded.last_seen_ts, last_seen_ip = excluded.last_seen_ip,"
                            + " display_name = COALESCE(excluded.display_name, devices.display_name)")) {
                ps.setString(1, userId);
                ps.setString(2, deviceId);
                ps.setString(3, displayName);
                ps.setLong(4, now);
                ps.setString(5, ip);
                ps.setLong(6, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO access_tokens (token_hash, user_id, device_id, created_ts) VALUES (?,?,?,?)")) {
                ps.setString(1, tokenHash);
                ps.setString(2, userId);
                ps.setString(3, deviceId);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<TokenOwner> tokenOwner(String tokenHash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT t.user_id, t.device_id FROM access_tokens t JOIN users u ON u.user_id = t.user_id"
                            + " WHERE t.token_hash = ? AND u.deactivated = 0")) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new TokenOwner(rs.getString(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    private static Device readDevice(ResultSet rs) throws SQLException {
        long ts = rs.getLong("last_seen_ts");
        Long lastSeen = rs.wasNull() ? null : ts; // wasNull refers to the last column read: ask right away
        return new Device(rs.getString("user_id"), rs.getString("device_id"), rs.getString("display_name"),
                lastSeen, rs.getString("last_seen_ip"), rs.getString("last_seen_user_agent"));
    }

    @Override
    public List<Device> devices(String userId) {
        return db.read(c -> {
            List<Device> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM devices WHERE user_id = ? ORDER BY device_id")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(readDevice(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Device> device(String userId, String deviceId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM devices WHERE user_id = ? AND device_id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readDevice(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean renameDevice(String userId, String deviceId, String displayName) {
        return update("UPDATE devices SET display_name = ? WHERE user_id = ? AND device_id = ?",
                displayName, userId, deviceId) == 1;
    }

    @Override
    public List<String> deleteDevice(String userId, String deviceId) {
        return deleteDevices(userId, deviceId);
    }

    @Override
    public List<String> deleteAllDevices(String userId) {
        return deleteDevices(userId, null);
    }

    private List<String> deleteDevices(String userId, String deviceIdOrNull) {
        String where = deviceIdOrNull == null ? " WHERE user_id = ?" : " WHERE user_id = ? AND device_id = ?";
        return db.write(ctx -> {
            Connection c = ctx.connection();
            List<String> hashes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT token_hash FROM access_tokens" + where)) {
                bind(ps, userId, deviceIdOrNull);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) hashes.add(rs.getString(1));
                }
            }
            for (String table : new String[] {"access_tokens", "devices", "to_device"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + where)) {
                    bind(ps, userId, deviceIdOrNull);
                    ps.executeUpdate();
                }
            }
            return hashes;
        });
    }

    private static void bind(PreparedStatement ps, String userId, String deviceIdOrNull) throws SQLException {
        ps.setString(1, userId);
        if (deviceIdOrNull != null) ps.setString(2, deviceIdOrNull);
    }

    @Override
    public void touchDevice(String userId, String deviceId, long ts, String ip) {
        db.writeAsync(ctx -> {
            try (PreparedStatement ps = ctx.connection().prepareStatement(
                    "UPDATE devices SET last_seen_ts = ?, last_seen_ip = ? WHERE user_id = ? AND device_id = ?")) {
                ps.setLong(1, ts);
                ps.setString(2, ip);
                ps.setString(3, userId);
                ps.setString(4, deviceId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void touchDevice(String userId, String deviceId, long ts, String ip, String userAgent) {
        db.writeAsync(ctx -> {
            try (PreparedStatement ps = ctx.connection().prepareStatement("UPDATE devices SET last_seen_ts = ?,"
                    + " last_seen_ip = ?, last_seen_user_agent = ? WHERE user_id = ? AND device_id = ?")) {
                ps.setLong(1, ts);
                ps.setString(2, ip);
                ps.setString(3, userAgent);
                ps.setString(4, userId);
                ps.setString(5, deviceId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<User> searchUsers(String term, int limit) {
        return db.read(c -> {
            List<User> out = new ArrayList<>();
            String like = "%" + term.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM users WHERE deactivated = 0 AND (LOWER(user_id) LIKE ? ESCAPE '\\'"
                            + " OR LOWER(COALESCE(displayname, '')) LIKE ? ESCAPE '\\') ORDER BY displayname, user_id LIMIT ?")) {
                ps.setString(1, like);
                ps.setString(2, like);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(readUser(rs));
                }
            }
            return out;
        });
    }
}
