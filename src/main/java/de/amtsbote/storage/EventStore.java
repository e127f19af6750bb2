package de.amtsbote.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rooms, their events (full PDUs, with the send transaction id), current state and notifications. */
public interface EventStore {
    /** An event as stored; pdu is the signed event JSON (for room v3+ it has no event_id field). */
    record StoredEvent(long streamPos, String eventId, String roomId, String type, String stateKey, String sender,
                       String redactedBy, String txnDevice, String txnId, ObjectNode pdu) {
        public boolean isState() { return stateKey != null; }
    }

    /** An event to insert. membership is the content.membership of m.room.member events, else null. */
    record NewEvent(String eventId, String roomId, String type, String stateKey, String sender, long originTs,
                    long depth, String relatesTo, String relType, String redacts, String membership,
                    String txnDevice, String txnPath, String txnId, ObjectNode pdu) {}

    record RoomRow(String roomId, String version, String creator, long createdTs, boolean isPublic) {}

    record Notification(String userId, boolean highlight) {}

    record Counts(int notifications, int highlights) {}

    /** An event that notified a user (GET /notifications), and whether it highlighted. */
    record NotifiedEvent(StoredEvent event, boolean highlight) {}

    // --- writes (inside the group-commit writer) ---
    void insertRoom(WriteContext ctx, String roomId, String version, String creator, long ts) throws java.sql.SQLException;

    /** Inserts the event, updates current state, marks a redaction target, records the txn. Returns stream_pos. */
    long insertEvent(WriteContext ctx, NewEvent e) throws java.sql.SQLException;

    void insertNotifications(WriteContext ctx, String roomId, long streamPos, List<Notification> n) throws java.sql.SQLException;

    // --- reads ---
    Optional<RoomRow> room(String roomId);

    List<StoredEvent> currentState(String roomId);

    Optional<StoredEvent> lastEvent(String roomId);

    Optional<StoredEvent> event(String eventId);

    /** Events of a room with after < stream_pos <= upTo; newest first if backwards, else oldest first. */
    List<StoredEvent> roomEvents(String roomId, long after, long upTo, int limit, boolean backwards);

    /**
     * The state events of a room with after < stream_pos <= upTo, oldest first, without a cap (a sync gap's
     * state delta must be complete, however long the gap).
     */
    List<StoredEvent> stateEventsBetween(String roomId, long after, long upTo);

    /** Every membership of every user: {room_id, user_id, membership, stream_pos}. Read once at start. */
    List<String[]> allMemberships();

    /** roomId -> membership of the user in every room they have a member event in. */
    Map<String, String> membershipsOf(String userId);

    /** All events ever of one state key, oldest first (membership history, history visibility changes). */
    List<StoredEvent> stateHistory(String roomId, String type, String stateKey);

    /** The room's state as of stream position upTo: per (type, state_key) the newest event at or before it. */
    List<StoredEvent> stateAt(String roomId, long upTo);

    /** The event a transaction (device + HTTP path + txnId) created, if any. */
    Optional<String> txnEventId(String userId, String deviceId, String txnPath, String txnId);

    /** Child events relating to eventId, newest first if backwards; relType/eventType may be null. */
    List<StoredEvent> relations(String roomId, String eventId, String relType, String eventType, long after,
                                long upTo, int limit, boolean backwards);

    /** The user's notifications with stream_pos < before, newest first; only highlights if onlyHighlight. */
    List<NotifiedEvent> notificationsOf(String userId, long before, int limit, boolean onlyHighlight);

    /** Notifications of the user in the room with after < stream_pos <= upTo. */
    Counts notificationCountsBetween(String userId, String roomId, long after, long upTo);

    List<RoomRow> publicRooms();

    void setPublic(String roomId, boolean isPublic);

    void setPublic(WriteContext ctx, String roomId, boolean isPublic) throws java.sql.SQLException;
}
