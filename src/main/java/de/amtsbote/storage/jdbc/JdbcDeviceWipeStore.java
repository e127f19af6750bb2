package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.DeviceWipeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link DeviceWipeStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcDeviceWipeStore implements DeviceWipeStore {
    private final Database db;

    public JdbcDeviceWipeStore(Database db) { this.db = db; }

    @Override
    public List<String> add(Wipe w) {
        return db.write(ctx -> {
            var c = ctx.connection();
            List<String> hashes = Q.list(c, "SELECT token_hash FROM access_tokens WHERE user_id = ? AND device_id = ?",
                    rs -> rs.getString(1), w.userId(), w.deviceId());
            Q.update(c, "INSERT INTO admin_wipes (wipe_id, user_id, device_id, requested_ts, requested_by, confirmed_ts)"
                    + " VALUES (?,?,?,?,?,NULL)", w.wipeId(), w.userId(), w.deviceId(), w.requestedTs(), w.requestedBy());
            for (String h : hashes) {
                Q.update(c, "INSERT INTO admin_wipe_tokens (token_hash, wipe_id) VALUES (?,?) ON CONFLICT (token_hash) DO NOTHING",
                        h, w.wipeId());
            }
            return hashes;
        });
    }

    private static Wipe read(ResultSet rs) throws SQLException {
        long confirmed = rs.getLong("confirmed_ts");
        Long confirmedTs = rs.wasNull() ? null : confirmed;
        return new Wipe(rs.getString("wipe_id"), rs.getString("user_id"), rs.getString("device_id"),
                rs.getLong("requested_ts"), rs.getString("requested_by"), confirmedTs);
    }

    @Override
    public List<Wipe> forUser(String userId) {
        return db.read(c -> Q.list(c, "SELECT * FROM admin_wipes WHERE user_id = ? ORDER BY requested_ts DESC, wipe_id",
                JdbcDeviceWipeStore::read, userId));
    }

    @Override
    public Map<String, String> tokenHashes() {
        return db.read(c -> {
            Map<String, String> out = new HashMap<>();
            for (String[] row : Q.list(c, "SELECT token_hash, wipe_id FROM admin_wipe_tokens",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                out.put(row[0], row[1]);
            }
            return out;
        });
    }

    @Override
    public boolean confirm(String wipeId, long ts) {
        return db.write(ctx -> Q.update(ctx.connection(),
                "UPDATE admin_wipes SET confirmed_ts = ? WHERE wipe_id = ? AND confirmed_ts IS NULL", ts, wipeId)) == 1;
    }

    @Override
    public List<String> confirmedIds() {
        return db.read(c -> Q.list(c, "SELECT wipe_id FROM admin_wipes WHERE confirmed_ts IS NOT NULL", rs -> rs.getString(1)));
    }
}
