package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory view of one room: its current state, the newest event (which new events point back to) and
 * who is joined. Events of a room are created one at a time under {@link #lock}, so the room's event graph
 * stays a simple chain on this server. Readers may look at {@link #joined} and {@link #lastStreamPos}
 * without the lock.
 */
public final class Room {
    /** A current state entry: the event JSON (PDU) and its id. */
    public record StateEntry(String eventId, ObjectNode pdu) {}

    private volatile StateEntry createForAuth;

    /**
     * The create event with its event_id field (PDUs of room v3+ do not carry it), built once: the auth rules
     * need the create event's id for every event and would otherwise hash it each time.
     */
    ObjectNode createWithId(StateEntry create) {
        StateEntry cached = createForAuth;
        if (cached == null || !cached.eventId().equals(create.eventId())) {
            ObjectNode copy = create.pdu().deepCopy();
            copy.put("event_id", create.eventId());
            cached = new StateEntry(create.eventId(), copy);
            createForAuth = cached;
        }
        return cached.pdu();
    }

    volatile String roomId;
    final RoomVersion version;
    final ReentrantLock lock = new ReentrantLock();
    /** Current state; replaced, never mutated in place, so readers can take a consistent snapshot. */
    volatile Map<StateKey, StateEntry> state = Map.of();
    String headEventId;
    long headDepth;
    /** Stream position of the newest committed event in this room; /sync skips rooms that have none newer. */
    volatile long lastStreamPos;
    final Set<String> joined = ConcurrentHashMap.newKeySet();
    final RecentEvents recent = new RecentEvents();
    /** Set when a write failed after the in-memory state moved on; the room is reloaded on next use. */
    volatile boolean stale;

    Room(String roomId, RoomVersion version) {
        this.roomId = roomId;
        this.version = version;
    }

    public String roomId() { return roomId; }

    /** A room being created learns its id from its create event (room version 12). */
    void roomIdAssigned(String id) { this.roomId = id; }

    public RoomVersion version() { return version; }

    public Map<StateKey, StateEntry> state() { return state; }

    public long lastStreamPos() { return lastStreamPos; }

    public RecentEvents recent() { return recent; }


    public Set<String> joinedMembers() { return Set.copyOf(joined); }

    public int joinedCount() { return joined.size(); }

    public ObjectNode stateEvent(String type, String stateKey) {
        StateEntry e = state.get(new StateKey(type, stateKey));
        return e == null ? null : e.pdu();
    }

    public ObjectNode stateContent(String type, String stateKey) {
        ObjectNode ev = stateEvent(type, stateKey);
        return ev == null ? null : (ObjectNode) ev.get("content");
    }

    public String membership(String userId) {
        ObjectNode c = stateContent("m.room.member", userId);
        return c == null ? null : c.path("membership").asText(null);
    }

    /** The user's membership, or null if they have no member event in the room. */
    public Membership member(String userId) { return Membership.of(membership(userId)); }

    /** Members by membership ("join", "invite", ...). */
    public Map<String, String> memberships() {
        Map<String, String> out = new HashMap<>();
        state.forEach((k, v) -> {
            if (k.type().equals("m.room.member")) out.put(k.stateKey(), v.pdu().path("content").path("membership").asText());
        });
        return out;
    }
}
