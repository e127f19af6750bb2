package de.amtsbote.rooms;

import de.amtsbote.storage.RoomAdminStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Rooms an admin blocked: nobody may join them again (403). Kept in memory (read once at start) because every
 * join asks; a room id may be blocked before the room is known here, as in Synapse.
 */
public final class RoomBlocks {
    private final RoomAdminStore store;
    private final LongSupplier clock;
    /** room id -> the admin who blocked it. */
    private final ConcurrentHashMap<String, String> blocked = new ConcurrentHashMap<>();

    public RoomBlocks(RoomAdminStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
        for (RoomAdminStore.Block b : store.blockedRooms()) blocked.put(b.roomId(), b.userId());
    }

    public boolean isBlocked(String roomId) { return blocked.containsKey(roomId); }

    /** The admin who blocked the room, if it is blocked. */
    public Optional<String> blockedBy(String roomId) { return Optional.ofNullable(blocked.get(roomId)); }

    public void block(String roomId, String adminUserId) {
        store.block(roomId, adminUserId, clock.getAsLong());
        blocked.putIfAbsent(roomId, adminUserId);
    }

    public void unblock(String roomId) {
        store.unblock(roomId);
        blocked.remove(roomId);
    }
}
