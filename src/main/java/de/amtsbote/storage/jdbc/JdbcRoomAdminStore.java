package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.Database;
import de.amtsbote.storage.RoomAdminStore;
import java.util.List;
import java.util.Optional;

/** {@link RoomAdminStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcRoomAdminStore implements RoomAdminStore {
    private final Database db;

    public JdbcRoomAdminStore(Database db) { this.db = db; }

    @Override
    public List<String> allRoomIds() {
        return db.read(c -> Q.list(c, "SELECT room_id FROM rooms ORDER BY created_ts, room_id", rs -> rs.getString(1)));
    }

    @Override
    public List<Block> blockedRooms() {
        return db.read(c -> Q.list(c, "SELECT room_id, user_id, blocked_ts FROM blocked_rooms",
                rs -> new Block(rs.getString(1), rs.getString(2), rs.getLong(3))));
    }

    @Override
    public void block(String roomId, String userId, long ts) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO blocked_rooms (room_id, user_id, blocked_ts) VALUES (?,?,?)"
                + " ON CONFLICT (room_id) DO NOTHING", roomId, userId, ts));
    }

    @Override
    public void unblock(String roomId) {
        db.write(ctx -> Q.update(ctx, "DELETE FROM blocked_rooms WHERE room_id = ?", roomId));
    }

    @Override
    public void purgeRoom(String roomId) {
        db.write(ctx -> {
            Q.update(ctx, "DELETE FROM webhook_open_alerts WHERE hook_id IN (SELECT id FROM webhooks WHERE room_id = ?)", roomId);
            for (String table : List.of("webhooks", "event_notifications", "receipts", "account_data", "current_state",
                    "events", "room_aliases", "server_notice_rooms", "rooms")) {
                Q.update(ctx, "DELETE FROM " + table + " WHERE room_id = ?", roomId);
            }
            return null;
        });
    }

    @Override
    public Optional<String> serverNoticeRoom(String userId) {
        return db.read(c -> Q.one(c, "SELECT room_id FROM server_notice_rooms WHERE user_id = ?", rs -> rs.getString(1), userId));
    }

    @Override
    public void setServerNoticeRoom(de.amtsbote.storage.WriteContext ctx, String userId, String roomId)
            throws java.sql.SQLException {
        Q.update(ctx, "INSERT INTO server_notice_rooms (user_id, room_id) VALUES (?,?)"
                + " ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id", userId, roomId);
    }

    @Override
    public Optional<Integer> noticeTxnSent(String adminUserId, String txnId) {
        return db.read(c -> Q.one(c, "SELECT sent FROM server_notice_txns WHERE admin_user_id = ? AND txn_id = ?",
                rs -> rs.getInt(1), adminUserId, txnId));
    }

    @Override
    public void saveNoticeTxn(String adminUserId, String txnId, int sent, long ts) {
        db.write(ctx -> Q.update(ctx, "INSERT INTO server_notice_txns (admin_user_id, txn_id, sent, created_ts) VALUES (?,?,?,?)"
                + " ON CONFLICT (admin_user_id, txn_id) DO NOTHING", adminUserId, txnId, sent, ts));
    }
}
