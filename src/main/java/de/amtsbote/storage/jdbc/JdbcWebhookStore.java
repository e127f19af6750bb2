package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link WebhookStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcWebhookStore implements WebhookStore {
    private static final String COLUMNS = "id, room_id, name, format, bot_user_id, secret_hash, created_by, created_ts";
    private final Database db;

    public JdbcWebhookStore(Database db) { this.db = db; }

    private static Webhook row(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getLong(8));
    }

    @Override
    public void create(Webhook h) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO webhooks (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)",
                h.id(), h.roomId(), h.name(), h.format(), h.botUserId(), h.secretHash(), h.createdBy(), h.createdTs()));
    }

    @Override
    public Optional<Webhook> get(String id) {
        return db.read(c -> Q.one(c, "SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", JdbcWebhookStore::row, id));
    }

    @Override
    public List<Webhook> all() {
        return db.read(c -> Q.list(c, "SELECT " + COLUMNS + " FROM webhooks ORDER BY created_ts, id", JdbcWebhookStore::row));
    }

    @Override
    public boolean delete(String id) {
        return db.write(ctx -> {
            Q.update(ctx, "DELETE FROM webhook_open_alerts WHERE hook_id = ?", id);
            return Q.update(ctx, "DELETE FROM webhooks WHERE id = ?", id) > 0;
        });
    }

    @Override
    public boolean isBot(String userId) {
        return db.read(c -> Q.one(c, "SELECT 1 FROM integration_bots WHERE user_id = ? UNION ALL"
                + " SELECT 1 FROM webhooks WHERE bot_user_id = ?", rs -> true, userId, userId).isPresent());
    }

    @Override
    public void markBot(String userId, long ts) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO integration_bots (user_id, created_ts) VALUES (?,?)"
                + " ON CONFLICT (user_id) DO NOTHING", userId, ts));
    }

    @Override
    public Optional<String> openOutage(String hookId, List<String> alertKeys) {
        return db.read(c -> {
            for (String key : alertKeys) {
                Optional<String> e = Q.one(c, "SELECT outage_event_id FROM webhook_open_alerts WHERE hook_id = ?"
                        + " AND alert_key = ?", rs -> rs.getString(1), hookId, key);
                if (e.isPresent()) return e;
            }
            return Optional.empty();
        });
    }

    @Override
    public void openAlerts(String hookId, List<String> alertKeys, String eventId) {
        db.write(ctx -> {
            for (String key : alertKeys) {
                Q.update(ctx, "INSERT INTO webhook_open_alerts (hook_id, alert_key, outage_event_id) VALUES (?,?,?)"
                        + " ON CONFLICT (hook_id, alert_key) DO NOTHING", hookId, key, eventId);
            }
            return null;
        });
    }

    @Override
    public void closeAlerts(String hookId, List<String> alertKeys) {
        db.write(ctx -> {
            for (String key : alertKeys) {
                Q.update(ctx, "DELETE FROM webhook_open_alerts WHERE hook_id = ? AND alert_key = ?", hookId, key);
            }
            return null;
        });
    }
}
