package de.amtsbote.storage.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.WriteContext;
import de.amtsbote.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link EventStore} in SQL that SQLite and PostgreSQL both accept. */
public final class JdbcEventStore implements EventStore {
    private static final String COLS =
            "stream_pos, event_id, room_id, type, state_key, sender, redacted_by, txn_device, txn_id, json";
    private final Database db;

    public JdbcEventStore(Database db) { this.db = db; }

    private static StoredEvent row(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                Json.parseObject(rs.getString(10)));
    }

    @Override
    public void insertRoom(WriteContext ctx, String roomId, String version, String creator, long ts) throws SQLException {
        Q.update(ctx, "INSERT INTO rooms (room_id, room_version, creator, created_ts) VALUES (?,?,?,?)",
                roomId, version, creator, ts);
    }

    @Override
    public long insertEvent(WriteContext ctx, NewEvent e) throws SQLException {
        long pos = ctx.nextStreamPos();
        Q.update(ctx, "INSERT INTO events (stream_pos, event_id, room_id, type, state_key, sender, origin_ts, depth,"
                + " relates_to, rel_type, txn_device, txn_path, txn_id, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                pos, e.eventId(), e.roomId(), e.type(), e.stateKey(), e.sender(), e.originTs(), e.depth(),
                e.relatesTo(), e.relType(), e.txnDevice(), e.txnPath(), e.txnId(), Json.write(e.pdu()));
        if (e.stateKey() != null) {
            Q.update(ctx, "INSERT INTO current_state (room_id, type, state_key, event_id, stream_pos, membership)"
                    + " VALUES (?,?,?,?,?,?) ON CONFLICT (room_id, type, state_key) DO UPDATE SET"
                    + " event_id = excluded.event_id, stream_pos = excluded.stream_pos, membership = excluded.membership",
                    e.roomId(), e.type(), e.stateKey(), e.eventId(), pos, e.membership());
        }
        if (e.redacts() != null) {
            Q.update(ctx, "UPDATE events SET redacted_by = ? WHERE event_id = ? AND room_id = ? AND redacted_by IS NULL",
                    e.eventId(), e.redacts(), e.roomId());
        }
        return pos;
    }

    @Override
    public void insertNotifications(WriteContext ctx, String roomId, long streamPos, List<Notification> list)
            throws SQLException {
        if (list.isEmpty()) return;
        StringBuilder notify = new StringBuilder(" ");
        StringBuilder highlight = new StringBuilder(" ");
        for (Notification n : list) {
            notify.append(n.userId()).append(' ');
            if (n.highlight()) highlight.append(n.userId()).append(' ');
        }
        Q.update(ctx, "INSERT INTO event_notifications (stream_pos, room_id, notify, highlight) VALUES (?,?,?,?)",
                streamPos, roomId, notify.toString(), highlight.toString());
    }

    @Override
    public Optional<RoomRow> room(String roomId) {
        return db.read(c -> Q.one(c, "SELECT room_id, room_version, creator, created_ts, is_public FROM rooms WHERE room_id = ?",
                rs -> new RoomRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5) == 1),
                roomId));
    }

    @Override
    public List<StoredEvent> currentState(String roomId) {
        return db.read(c -> Q.list(c, "SELECT e.stream_pos, e.event_id, e.room_id, e.type, e.state_key, e.sender,"
                + " e.redacted_by, e.txn_device, e.txn_id, e.json FROM current_state s JOIN events e ON e.event_id = s.event_id"
                + " WHERE s.room_id = ? ORDER BY e.stream_pos", JdbcEventStore::row, roomId));
    }

    @Override
    public Optional<StoredEvent> lastEvent(String roomId) {
        return db.read(c -> Q.one(c, "SELECT " + COLS + " FROM events WHERE room_id = ? ORDER BY stream_pos DESC LIMIT 1",
                JdbcEventStore::row, roomId));
    }

    @Override
    public Optional<StoredEvent> event(String eventId) {
        return db.read(c -> Q.one(c, "SELECT " + COLS + " FROM events WHERE event_id = ?", JdbcEventStore::row, eventId));
    }

    @Override
    public List<StoredEvent> roomEvents(String roomId, long after, long upTo, int limit, boolean backwards) {
        String order = backwards ? "DESC" : "ASC";
        return db.read(c -> Q.list(c, "SELECT " + COLS + " FROM events WHERE room_id = ? AND stream_pos > ?"
                + " AND stream_pos <= ? ORDER BY stream_pos " + order + " LIMIT ?", JdbcEventStore::row,
                roomId, after, upTo, limit));
    }

    @Override
    public List<StoredEvent> stateEventsBetween(String roomId, long after, long upTo) {
        return db.read(c -> Q.list(c, "SELECT " + COLS + " FROM events WHERE room_id = ? AND stream_pos > ?"
                + " AND stream_pos <= ? AND state_key IS NOT NULL ORDER BY stream_pos", JdbcEventStore::row,
                roomId, after, upTo));
    }

    @Override
    public List<String[]> allMemberships() {
        return db.read(c -> Q.list(c, "SELECT room_id, state_key, membership, stream_pos FROM current_state"
                + " WHERE type = 'm.room.member'",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), Long.toString(rs.getLong(4))}));
    }

    @Override
    public Map<String, String> membershipsOf(String userId) {
        return db.read(c -> {
            Map<String, String> out = new HashMap<>();
            for (String[] r : Q.list(c, "SELECT room_id, membership FROM current_state WHERE type = 'm.room.member'"
                    + " AND state_key = ?", rs -> new String[] {rs.getString(1), rs.getString(2)}, userId)) {
                out.put(r[0], r[1]);
            }
            return out;
        });
    }

    @Override
    public List<StoredEvent> stateHistory(String roomId, String type, String stateKey) {
        return db.read(c -> Q.list(c, "SELECT " + COLS + " FROM events WHERE room_id = ? AND type = ? AND state_key = ?"
                + " ORDER BY stream_pos", JdbcEventStore::row, roomId, type, stateKey));
    }

    @Override
    public List<StoredEvent> stateAt(String roomId, long upTo) {
        // "state_key IS NOT NULL" literally, so both databases use the partial index events_room_state_events.
        return db.read(c -> Q.list(c, "SELECT " + COLS + " FROM events e WHERE room_id = ? AND state_key IS NOT NULL"
                + " AND stream_pos <= ? AND stream_pos = (SELECT MAX(x.stream_pos) FROM events x WHERE x.room_id = e.room_id"
                + " AND x.type = e.type AND x.state_key = e.state_key AND x.stream_pos <= ?) ORDER BY stream_pos",
                JdbcEventStore::row, roomId, upTo, upTo));
    }

    @Override
    public Optional<String> txnEventId(String userId, String deviceId, String txnPath, String txnId) {
        return db.read(c -> Q.one(c, "SELECT event_id FROM events WHERE sender = ? AND txn_device = ? AND txn_path = ?"
                + " AND txn_id = ?", rs -> rs.getString(1), userId, deviceId, txnPath, txnId));
    }

    @Override
    public List<StoredEvent> relations(String roomId, String eventId, String relType, String eventType, long after,
                                       long upTo, int limit, boolean backwards) {
        StringBuilder sql = new StringBuilder("SELECT " + COLS + " FROM events WHERE relates_to = ? AND room_id = ?"
                + " AND stream_pos > ? AND stream_pos <= ?");
        List<Object> args = new java.util.ArrayList<>(List.of(eventId, roomId, after, upTo));
        if (relType != null) {
            sql.append(" AND rel_type = ?");
            args.add(relType);
        }
        if (eventType != null) {
            sql.append(" AND type = ?");
            args.add(eventType);
        }
        sql.append(" ORDER BY stream_pos ").append(backwards ? "DESC" : "ASC").append(" LIMIT ?");
        args.add(limit);
        return db.read(c -> Q.list(c, sql.toString(), JdbcEventStore::row, args.toArray()));
    }

    @Override
    public List<NotifiedEvent> notificationsOf(String userId, long before, int limit, boolean onlyHighlight) {
        String like = listMember(userId);
        String cols = "e." + COLS.replace(", ", ", e.");
        // Walks event_notifications newest first (its primary key) and stops after limit matches.
        return db.read(c -> Q.list(c, "SELECT " + cols + ", CASE WHEN n.highlight LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END"
                + " FROM event_notifications n JOIN events e ON e.stream_pos = n.stream_pos WHERE n.stream_pos < ?"
                + " AND " + (onlyHighlight ? "n.highlight" : "n.notify") + " LIKE ? ESCAPE '\\'"
                + " ORDER BY n.stream_pos DESC LIMIT ?",
                rs -> new NotifiedEvent(row(rs), rs.getInt(11) == 1), like, before, like, limit));
    }

    /** A LIKE pattern for a user in a ' @a:x @b:x ' list. User ids contain no spaces; wildcards are escaped. */
    private static String listMember(String userId) {
        return "% " + userId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %";
    }

    @Override
    public Counts notificationCountsBetween(String userId, String roomId, long after, long upTo) {
        // User ids contain no spaces; LIKE's wildcards in them are escaped.
        String like = "% " + userId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %";
        return db.read(c -> Q.one(c, "SELECT COALESCE(SUM(CASE WHEN notify LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN highlight LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END), 0)"
                        + " FROM event_notifications WHERE room_id = ? AND stream_pos > ? AND stream_pos <= ?",
                rs -> new Counts(rs.getInt(1), rs.getInt(2)), like, like, roomId, after, upTo).orElse(new Counts(0, 0)));
    }

    @Override
    public List<RoomRow> publicRooms() {
        return db.read(c -> Q.list(c, "SELECT room_id, room_version, creator, created_ts, is_public FROM rooms"
                + " WHERE is_public = 1 ORDER BY created_ts",
                rs -> new RoomRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), true)));
    }

    @Override
    public void setPublic(String roomId, boolean isPublic) {
        db.write(ctx -> Q.update(ctx, "UPDATE rooms SET is_public = ? WHERE room_id = ?", isPublic, roomId));
    }

    @Override
    public void setPublic(WriteContext ctx, String roomId, boolean isPublic) throws SQLException {
        Q.update(ctx, "UPDATE rooms SET is_public = ? WHERE room_id = ?", isPublic, roomId);
    }
}
