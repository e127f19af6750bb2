package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** What the room admin API needs beyond the event store: all rooms, blocked rooms, purging, notice rooms. */
public interface RoomAdminStore {
    record Block(String roomId, String userId, long ts) {}

    /** Every room id known here, oldest first. */
    List<String> allRoomIds();

    List<Block> blockedRooms();

    /** Blocks (or keeps blocked) a room; the first blocker and time stay. */
    void block(String roomId, String userId, long ts);

    void unblock(String roomId);

    /**
     * Deletes every trace of the room from the database in one transaction: events, state, notifications,
     * receipts, room account data, aliases, its webhooks and the room row. Irreversible.
     */
    void purgeRoom(String roomId);

    Optional<String> serverNoticeRoom(String userId);

    /** Records the user's notices room inside the room's creating transaction (both or neither are stored). */
    void setServerNoticeRoom(WriteContext ctx, String userId, String roomId) throws java.sql.SQLException;

    /** The answer ({"sent": n}) stored for an admin's bulk notice transaction, if it finished before. */
    Optional<Integer> noticeTxnSent(String adminUserId, String txnId);

    /** Stores a finished bulk notice transaction's answer; the first one stays. */
    void saveNoticeTxn(String adminUserId, String txnId, int sent, long ts);
}
