package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.NewEvent;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.sync.Notifier;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Creates events in rooms, in three steps: {@link EventBuilder} builds the full PDU (prev/auth events, depth,
 * hashes, signature, id), {@link EventAuthoriser} decides whether it may enter the room (every event type,
 * whatever endpoint it came from), and {@link #append} stores it durably and wakes the members' /sync. Keeps every room's
 * current state in memory (loaded on first use) and an index of who is in which room.
 */
public final class RoomService {
    private static final Logger LOG = Logger.getLogger(RoomService.class.getName());

    private final EventStore store;
    private final Database db;
    private final String serverName;
    private final Notifier notifier;
    private volatile NotificationPolicy notificationPolicy = (room, state, event, joined) -> List.of();
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** user id -> (room id -> membership). Loaded for everyone at start; kept current by event creation. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> memberships = new ConcurrentHashMap<>();
    /** user id -> (room id -> stream position of their latest membership event), once committed. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Long>> membershipPos = new ConcurrentHashMap<>();
    /** In-flight sends by transaction, so a retry that arrives before the first finished gets the same event. */
    private final ConcurrentHashMap<String, CompletableFuture<String>> inflight = new ConcurrentHashMap<>();
    private final EventBuilder builder;
    private final EventAuthoriser authoriser;

    public RoomService(EventStore store, Database db, ServerSigningKey key, String serverName, Notifier notifier) {
        this.store = store;
        this.db = db;
        this.serverName = serverName;
        this.notifier = notifier;
        this.builder = new EventBuilder(key, serverName);
        this.authoriser = new EventAuthoriser(store);
        for (String[] m : store.allMemberships()) {
            memberships.computeIfAbsent(m[1], k -> new ConcurrentHashMap<>()).put(m[0], m[2]);
            membershipPos.computeIfAbsent(m[1], k -> new ConcurrentHashMap<>()).put(m[0], Long.parseLong(m[3]));
        }
    }

    /** Stream position of the user's latest committed membership event in the room, or 0. */
    public long membershipPos(String userId, String roomId) {
        Map<String, Long> m = membershipPos.get(userId);
        Long p = m == null ? null : m.get(roomId);
        return p == null ? 0 : p;
    }

    /** Where origin_server_ts comes from; tests fix it to provoke events created in the same millisecond. */
    private volatile java.util.function.LongSupplier clock = System::currentTimeMillis;

    public void useClock(java.util.function.LongSupplier clock) { this.clock = clock; }

    public void setNotificationPolicy(NotificationPolicy policy) { this.notificationPolicy = policy; }

    /** Told about each committed event's notifications (unread counts follow them). */
    @FunctionalInterface
    public interface NotificationsCommitted {
        void committed(String roomId, long streamPos, List<EventStore.Notification> notifications);
    }

    private volatile NotificationsCommitted notificationsCommitted = (r, p, n) -> { };

    public void onNotificationsCommitted(NotificationsCommitted listener) { this.notificationsCommitted = listener; }

    /** Told, after the commit is published, about each event that notifies someone (push delivery). */
    @FunctionalInterface
    public interface NotifyingEventCommitted {
        void committed(String roomId, String eventId, ObjectNode pdu, List<EventStore.Notification> notifications);
    }

    private volatile NotifyingEventCommitted notifyingEventCommitted = (r, e, p, n) -> { };

    /** The listener runs on the writer's thread after the commit: it must hand its work off at once. */
    public void onNotifyingEventCommitted(NotifyingEventCommitted listener) { this.notifyingEventCommitted = listener; }

    /** Told, after the commit, about every new event (outgoing rules look at messages). */
    @FunctionalInterface
    public interface EventCommitted {
        void committed(String roomId, String eventId, ObjectNode pdu);
    }

    private final List<EventCommitted> eventCommitted = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a listener; each runs on the writer's thread after the commit: it must hand its work off at once. */
    public void onEventCommitted(EventCommitted listener) { eventCommitted.add(listener); }

    public String serverName() { return serverName; }

    public EventStore store() { return store; }

    /** The committed stream position: everything up to here is durable and may be served. */
    public long streamPos() { return db.writer().committedStreamPos(); }

    /** room id -> membership of the user ("join", "invite", "leave", "ban", "knock"). */
    public Map<String, String> membershipsOf(String userId) {
        Map<String, String> m = memberships.get(userId);
        return m == null ? Map.of() : Map.copyOf(m);
    }

    /** The room, loaded on first use; null if no such room exists here. */
    public Room room(String roomId) {
        Room r = rooms.get(roomId);
        if (r != null && !r.stale) return r;
        if (r != null) rooms.remove(roomId, r);
        return rooms.computeIfAbsent(roomId, this::load);
    }

    /** The room if the user is joined to it; 403 M_FORBIDDEN otherwise (also for unknown rooms, as the spec does). */
    public Room requireJoined(String roomId, String userId) {
        Room r = roomId == null ? null : room(roomId);
        if (r == null || r.member(userId) != Membership.JOIN) throw MatrixException.forbidden("You are not in this room");
        return r;
    }

    /** An event of this room or 404 M_NOT_FOUND (also for an event id of another room). */
    public StoredEvent requireEventIn(String roomId, String eventId) {
        Optional<StoredEvent> e = eventId == null ? Optional.empty() : store.event(eventId);
        if (e.isEmpty() || !e.get().roomId().equals(roomId)) throw MatrixException.notFound("Event not found");
        return e.get();
    }

    /** The room or 404 M_NOT_FOUND.*/
    public Room requireRoom(String roomId) {
        Room r = roomId == null ? null : room(roomId);
        if (r == null) throw MatrixException.notFound("Room not found");
        return r;
    }

    /**
     * Drops a purged room from memory (its rows are already deleted), under the room's lock so no event is
     * being appended meanwhile. Memberships other than "leave" go; the "leave" of the members the deletion
     * removed stays (until a restart), so /sync can still tell a client that was offline that the room is gone.
     */
    public void forgetPurgedRoom(String roomId) {
        Room r = rooms.get(roomId);
        if (r != null) r.lock.lock();
        try {
            rooms.remove(roomId);
            for (var entry : memberships.entrySet()) {
                if (!Membership.LEAVE.is(entry.getValue().get(roomId))) {
                    entry.getValue().remove(roomId);
                    Map<String, Long> pos = membershipPos.get(entry.getKey());
                    if (pos != null) pos.remove(roomId);
                }
            }
        } finally {
            if (r != null) r.lock.unlock();
        }
    }

    private Room load(String roomId) {
        Optional<EventStore.RoomRow> row = store.room(roomId);
        if (row.isEmpty()) return null;
        RoomVersion v = RoomVersion.of(row.get().version());
        Room room = new Room(roomId, v);
        Map<StateKey, Room.StateEntry> state = new HashMap<>();
        for (StoredEvent e : store.currentState(roomId)) {
            // A redacted state event counts in its redacted form, for the auth rules and for clients alike.
            ObjectNode pdu = e.redactedBy() == null ? e.pdu() : Redaction.redact(v, e.pdu());
            state.put(new StateKey(e.type(), e.stateKey()), new Room.StateEntry(e.eventId(), pdu));
            if (e.type().equals("m.room.member") && Membership.JOIN.is(e.pdu().path("content").path("membership").asText())) {
                room.joined.add(e.stateKey());
            }
        }
        room.state = state;
        store.lastEvent(roomId).ifPresent(last -> {
            room.headEventId = last.eventId();
            room.headDepth = last.pdu().path("depth").asLong();
            room.lastStreamPos = last.streamPos();
        });
        return room;
    }

    // ---------------------------------------------------------------- creating events

    /** Sends one event as the user; returns its event id once durable. */
    public String send(String sender, String roomId, EventDraft draft) {
        Room room = room(roomId);
        if (room == null) throw MatrixException.forbidden("You are not in this room");
        if (draft.txn() == null) return append(room, sender, List.of(draft), null).getFirst();
        String key = draft.txn().key();
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> other = inflight.putIfAbsent(key, mine);
        if (other != null) return await(other);
        try {
            // Owning the transaction now: a finished earlier attempt is in the store, a running one in inflight.
            Optional<String> done = store.txnEventId(draft.txn().userId(), draft.txn().deviceId(),
                    draft.txn().path(), draft.txn().txnId());
            String eventId = done.isPresent() ? done.get() : appendOnce(room, sender, draft);
            mine.complete(eventId);
            return eventId;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }

    /**
     * Appends a transaction's event. Should the unique (sender, device, path, txnId) index refuse it anyway
     * (a retry racing a room reload), the stored event of the first attempt is the answer, not an error.
     */
    private String appendOnce(Room room, String sender, EventDraft draft) {
        try {
            return append(room, sender, List.of(draft), null).getFirst();
        } catch (MatrixException e) {
            EventDraft.Txn t = draft.txn();
            if (e.status() < 500) throw e;
            return store.txnEventId(t.userId(), t.deviceId(), t.path(), t.txnId()).orElseThrow(() -> e);
        }
    }

    private static String await(CompletableFuture<String> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates a new room from its first events (create, creator's join, power levels, ...), all stored in one
     * transaction: a room exists completely or not at all.
     */
    public String createRoom(String creator, RoomVersion version, List<EventDraft> drafts, CreateHook hook) {
        for (int attempt = 1; ; attempt++) {
            String provisionalId = "!" + de.amtsbote.users.Tokens.random(18) + ":" + serverName;
            Room room = new Room(provisionalId, version);
            try {
                append(room, creator, withNonce(version, drafts), hook);
                return room.roomId;
            } catch (RoomIdTaken e) {
                if (attempt == 3) throw new MatrixException(500, "M_UNKNOWN", "Could not find a free room id; please retry");
            }
        }
    }

    /**
     * In v12 the room id is the hash of the create event, so two rooms created by one user in the same
     * millisecond with the same options would get the same id. A random field in the create content (custom,
     * namespaced keys are allowed there) makes every create event unique.
     */
    private static List<EventDraft> withNonce(RoomVersion version, List<EventDraft> drafts) {
        if (!version.roomIdIsCreateEventHash()) return drafts;
        List<EventDraft> out = new ArrayList<>(drafts);
        EventDraft create = out.getFirst();
        ObjectNode content = create.content().deepCopy();
        content.put("de.amtsbote.nonce", de.amtsbote.users.Tokens.random(16));
        out.set(0, new EventDraft(create.type(), create.stateKey(), content, create.redacts(), create.txn()));
        return out;
    }

    /** A new room's id is already in use (only possible if two create events were identical). */
    private static final class RoomIdTaken extends RuntimeException {
        RoomIdTaken() { super(null, null, false, false); }
    }

    /** Extra writes that belong to a new room (alias, directory listing), in the room's transaction. */
    @FunctionalInterface
    public interface CreateHook {
        void run(de.amtsbote.storage.WriteContext ctx, String roomId) throws java.sql.SQLException;
    }

    /**
     * Builds, authorises, signs and stores events in order; all or nothing. Returns the event ids after the
     * events are durable.
     */
    List<String> append(Room room, String sender, List<EventDraft> drafts, CreateHook creating) {
        List<String> eventIds = new ArrayList<>();
        CompletableFuture<long[]> written;
        room.lock.lock();
        try {
            if (room.stale) throw new MatrixException(503, "M_UNKNOWN", "Room is being reloaded, try again");
            Map<StateKey, Room.StateEntry> state = new HashMap<>(room.state);
            Set<String> joined = new HashSet<>(room.joined);
            Set<String> wake = new HashSet<>(room.joined);
            Map<String, String> membershipChanges = new HashMap<>();
            String head = room.headEventId;
            long depth = room.headDepth;
            String roomId = room.roomId;
            List<NewEvent> rows = new ArrayList<>();
            List<List<EventStore.Notification>> notifications = new ArrayList<>();
            long now = clock.getAsLong();
            for (EventDraft d : drafts) {
                // 1. build, 2. authorise (every event type, whatever endpoint it came from), 3. apply to the
                // working copy of the room; persisting and publishing follow for the whole batch.
                EventBuilder.Built built = builder.build(room.version, roomId, state, head, depth, sender, d, now);
                authoriser.authorise(room, state, built);
                ObjectNode pdu = built.pdu();
                String eventId = built.eventId();
                if (built.isCreate() && creating != null && room.version.roomIdIsCreateEventHash()) {
                    roomId = "!" + eventId.substring(1);
                }
                if (built.redacts() != null) {
                    // Redacting a current state event (a topic, a name) redacts the room's state too.
                    for (var entry : state.entrySet()) {
                        if (entry.getValue().eventId().equals(built.redacts())) {
                            entry.setValue(new Room.StateEntry(built.redacts(), Redaction.redact(room.version, entry.getValue().pdu())));
                            break;
                        }
                    }
                }
                String membership = null;
                if (d.stateKey() != null) {
                    state.put(new StateKey(d.type(), d.stateKey()), new Room.StateEntry(eventId, pdu));
                    if (d.type().equals("m.room.member")) {
                        membership = d.content().path("membership").asText(null);
                        membershipChanges.put(d.stateKey(), membership);
                        wake.add(d.stateKey());
                        if (Membership.JOIN.is(membership)) joined.add(d.stateKey());
                        else joined.remove(d.stateKey());
                    }
                }
                String relatesTo = null;
                String relType = null;
                JsonNode rel = d.content().get("m.relates_to");
                if (rel instanceof ObjectNode r && r.path("event_id").isTextual()) {
                    relatesTo = r.get("event_id").asText();
                    relType = r.path("rel_type").asText(null);
                    if (relType == null && r.path("m.in_reply_to").isObject()) relatesTo = null;
                }
                EventDraft.Txn txn = d.txn();
                rows.add(new NewEvent(eventId, roomId, d.type(), d.stateKey(), sender, now, depth + 1, relatesTo, relType,
                        built.redacts(), membership, txn == null ? null : txn.deviceId(),
                        txn == null ? null : txn.path(), txn == null ? null : txn.txnId(), pdu));
                notifications.add(notificationPolicy.notificationsFor(room, state, pdu, joined));
                eventIds.add(eventId);
                head = eventId;
                depth++;
            }
            final String finalRoomId = roomId;
            final String creator = sender;
            wake.addAll(joined);
            // The room moves on before the write is queued: the writer may commit and wake readers before this
            // thread runs again, and they must find the new state and memberships. The next sender can build
            // on these events while they are written; if the write fails, the room is reloaded.
            if (creating != null) {
                // Nothing has changed yet, so a taken id can still be given up for a fresh attempt.
                if (room(roomId) != null || rooms.putIfAbsent(roomId, room) != null) throw new RoomIdTaken();
                room.roomIdAssigned(roomId);
            }
            room.state = Map.copyOf(state);
            room.joined.retainAll(joined);
            room.joined.addAll(joined);
            room.headEventId = head;
            room.headDepth = depth;
            for (var m : membershipChanges.entrySet()) {
                memberships.computeIfAbsent(m.getKey(), k -> new ConcurrentHashMap<>()).put(finalRoomId, m.getValue());
            }
            written = persist(room, finalRoomId, creator, now, rows, notifications, wake, creating);
        } finally {
            room.lock.unlock();
        }
        try {
            written.get();
        } catch (ExecutionException | InterruptedException e) {
            LOG.log(Level.SEVERE, "storing events in " + room.roomId + " failed; reloading the room", e);
            room.stale = true;
            rooms.remove(room.roomId, room);
            reloadMemberships(room.roomId);
            if (e.getCause() instanceof MatrixException me) throw me;
            throw new MatrixException(500, "M_UNKNOWN", "The message could not be stored; please retry");
        }
        return eventIds;
    }

    /**
     * Queues the write of built and authorised events (with the room row and the create hook for a new room)
     * and publishes them: in-memory hints before publishing, wakes after the commit.
     */
    private CompletableFuture<long[]> persist(Room room, String finalRoomId, String creator, long now, List<NewEvent> rows,
            List<List<EventStore.Notification>> notifications, Set<String> wake, CreateHook creating) {
        return db.writeAsync(ctx -> {
            if (creating != null) store.insertRoom(ctx, finalRoomId, room.version.id(), creator, now);
            long[] positions = new long[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                positions[i] = store.insertEvent(ctx, rows.get(i));
                store.insertNotifications(ctx, finalRoomId, positions[i], notifications.get(i));
            }
            if (creating != null) creating.run(ctx, finalRoomId);
            long last = positions[positions.length - 1];
            // Hints before publishing, wakes after (the commit-listener rule of WriteContext); a failed write
            // leaves the room's in-memory state ahead of the database, so the room is reloaded on next use.
            ctx.onCommitting(() -> {
                for (int i = 0; i < rows.size(); i++) {
                    NewEvent n = rows.get(i);
                    room.recent.append(new StoredEvent(positions[i], n.eventId(), n.roomId(), n.type(), n.stateKey(),
                            n.sender(), null, n.txnDevice(), n.txnId(), n.pdu()));
                    if (n.redacts() != null) room.recent.redacted(n.redacts(), n.eventId());
                    if (n.membership() != null) {
                        membershipPos.computeIfAbsent(n.stateKey(), k -> new ConcurrentHashMap<>())
                                .put(n.roomId(), positions[i]);
                    }
                    if (!notifications.get(i).isEmpty()) {
                        notificationsCommitted.committed(n.roomId(), positions[i], notifications.get(i));
                    }
                }
                if (last > room.lastStreamPos) room.lastStreamPos = last;
            });
            ctx.onRollback(() -> room.stale = true);
            // Push delivery hears of notifying events only once they are durable.
            for (int i = 0; i < rows.size(); i++) {
                List<EventStore.Notification> notified = notifications.get(i);
                if (notified.isEmpty()) continue;
                NewEvent n = rows.get(i);
                ctx.afterCommit(() -> notifyingEventCommitted.committed(n.roomId(), n.eventId(), n.pdu(), notified));
            }
            for (EventCommitted listener : eventCommitted) {
                for (NewEvent n : rows) ctx.afterCommit(() -> listener.committed(n.roomId(), n.eventId(), n.pdu()));
            }
            ctx.afterCommit(() -> notifier.wake(wake));
            return positions;
        });
    }

    private void reloadMemberships(String roomId) {
        for (var entry : memberships.entrySet()) entry.getValue().remove(roomId);
        for (String[] m : store.allMemberships()) {
            if (m[0].equals(roomId)) memberships.computeIfAbsent(m[1], k -> new ConcurrentHashMap<>()).put(m[0], m[2]);
        }
    }
}
