package de.amtsbote.sync;

import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.storage.ReceiptStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read receipts: stores them (only ever moving forward), tells members' /sync, and resets unread counts.
 */
public final class Receipts {
    private final ReceiptStore store;
    private final RoomService rooms;
    private final Notifier notifier;
    private final UnreadCounts unread;
    /** room id -> newest receipt stream position; lets /sync skip rooms without new receipts. */
    private final ConcurrentHashMap<String, Long> lastPos = new ConcurrentHashMap<>();

    public Receipts(ReceiptStore store, RoomService rooms, Notifier notifier, UnreadCounts unread) {
        this.store = store;
        this.rooms = rooms;
        this.notifier = notifier;
        this.unread = unread;
    }

    /** Told each stored receipt after its commit (application services); must be cheap. */
    private volatile java.util.function.Consumer<ReceiptStore.Receipt> sent = r -> { };

    public void onSent(java.util.function.Consumer<ReceiptStore.Receipt> listener) { this.sent = listener; }

    public void send(String userId, String roomId, String type, String eventId, String threadId) {
        if (!type.equals("m.read") && !type.equals("m.read.private") && !type.equals("m.fully_read")) {
            throw MatrixException.invalidParam("Unknown receipt type " + type);
        }
        Room room = rooms.requireJoined(roomId, userId);
        StoredEvent e = rooms.requireEventIn(roomId, eventId);
        String thread = threadId == null ? "" : threadId;
        if (type.equals("m.read.private") && thread.isEmpty()) thread = "";
        ReceiptStore.Receipt r = new ReceiptStore.Receipt(roomId, type, userId, thread, eventId, e.streamPos(),
                System.currentTimeMillis(), 0);
        store.put(r, pos -> lastPos.merge(roomId, pos, Math::max), () -> {
            unread.invalidate(userId, roomId);
            sent.accept(r);
            // Private receipts only concern their owner.
            if (type.equals("m.read.private")) notifier.wake(userId);
            else {
                notifier.wake(room.joinedMembers());
                notifier.wake(userId);
            }
        });
    }

    public long lastPos(String roomId) {
        return lastPos.computeIfAbsent(roomId, store::lastPos);
    }

    public List<ReceiptStore.Receipt> since(String roomId, long after, long upTo) {
        return store.since(roomId, after, upTo);
    }
}
