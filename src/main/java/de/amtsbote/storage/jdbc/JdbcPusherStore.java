package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.PusherStore;
import de.amtsbote.util.Json;
import java.util.List;

/** {@link PusherStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcPusherStore implements PusherStore {
    private final Database db;

    public JdbcPusherStore(Database db) { this.db = db; }

    @Override
    public boolean set(Pusher p, boolean append, int maxPerUser) {
        return db.write(ctx -> {
            boolean exists = Q.one(ctx.connection(), "SELECT 1 FROM pushers WHERE user_id = ? AND app_id = ?"
                    + " AND pushkey = ?", rs -> true, p.userId(), p.appId(), p.pushkey()).isPresent();
            long count = Q.one(ctx.connection(), "SELECT COUNT(*) FROM pushers WHERE user_id = ?",
                    rs -> rs.getLong(1), p.userId()).orElse(0L);
            if (!exists && count >= maxPerUser) return false;
            if (!append) {
                Q.update(ctx, "DELETE FROM pushers WHERE app_id = ? AND pushkey = ? AND user_id <> ?",
                        p.appId(), p.pushkey(), p.userId());
            }
            Q.update(ctx, "INSERT INTO pushers (user_id, app_id, pushkey, kind, app_display_name, device_display_name,"
                    + " profile_tag, lang, data, device_id, token_hash, pushkey_ts, failing_since)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,NULL) ON CONFLICT (user_id, app_id, pushkey) DO UPDATE SET"
                    + " kind = excluded.kind, app_display_name = excluded.app_display_name,"
                    + " device_display_name = excluded.device_display_name, profile_tag = excluded.profile_tag,"
                    + " lang = excluded.lang, data = excluded.data, device_id = excluded.device_id,"
                    + " token_hash = excluded.token_hash, pushkey_ts = excluded.pushkey_ts, failing_since = NULL",
                    p.userId(), p.appId(), p.pushkey(), p.kind(), p.appDisplayName(), p.deviceDisplayName(),
                    p.profileTag(), p.lang(), Json.write(p.data()), p.deviceId(), p.tokenHash(), p.pushkeyTs());
            return true;
        });
    }

    @Override
    public boolean delete(String userId, String appId, String pushkey) {
        return db.write(ctx -> Q.update(ctx, "DELETE FROM pushers WHERE user_id = ? AND app_id = ? AND pushkey = ?",
                userId, appId, pushkey) > 0);
    }

    @Override
    public List<Pusher> forUser(String userId) {
        return db.read(c -> Q.list(c, "SELECT user_id, app_id, pushkey, kind, app_display_name, device_display_name,"
                + " profile_tag, lang, data, device_id, token_hash, pushkey_ts, failing_since FROM pushers"
                + " WHERE user_id = ? ORDER BY pushkey_ts, app_id, pushkey",
                rs -> new Pusher(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), Json.parseObject(rs.getString(9)),
                        rs.getString(10), rs.getString(11), rs.getLong(12),
                        rs.getObject(13) == null ? null : rs.getLong(13)),
                userId));
    }

    @Override
    public void setFailingSince(String userId, String appId, String pushkey, Long failingSince) {
        db.write(ctx -> Q.update(ctx, "UPDATE pushers SET failing_since = ? WHERE user_id = ? AND app_id = ?"
                + " AND pushkey = ?", failingSince, userId, appId, pushkey));
    }
}
