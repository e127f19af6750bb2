package de.amtsbote.sync.sliding;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.rooms.EventFilter;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user's rooms for sliding sync lists, most recent activity first, as the MSC orders them: a joined room
 * by its newest event, any other by when the user's membership last changed. Also each room's bump_stamp: the
 * stream position of its newest "proper" event (message, encrypted, sticker, call invite, poll, beacon, create).
 */
final class RoomListOrder {
    static final List<String> BUMP_TYPES = List.of("m.room.create", "m.room.message", "m.room.encrypted",
            "m.sticker", "m.call.invite", "m.poll.start", "m.beacon_info", "org.matrix.msc3381.poll.start");
    private static final EventFilter BUMP_FILTER = EventFilter.parse(
            Json.object().set("types", Json.MAPPER.valueToTree(BUMP_TYPES)));

    /** One room of the list: why it is there and where it sorts. */
    record Entry(Room room, String membership, long membershipPos, long activity, long bumpStamp) {}

    private record Bump(long lastPos, long stamp) {}

    private final RoomService rooms;
    private final Timeline timeline;
    /** bump_stamp per room, valid while the room's newest event is the one it was computed at. */
    private final Map<String, Bump> bumps = new ConcurrentHashMap<>();

    RoomListOrder(RoomService rooms, Timeline timeline) {
        this.rooms = rooms;
        this.timeline = timeline;
    }

    /**
     * The rooms a list may show: joined, invited, knocked; kicked or banned ones, and ones the user left if
     * the connection has sent them before (so the client learns of the leave).
     */
    List<Entry> entries(String userId, Map<String, String> memberships, Set<String> sentBefore, long upTo) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, String> m : memberships.entrySet()) {
            Room room = rooms.room(m.getKey());
            if (room == null) continue;
            String membership = m.getValue();
            long mpos = rooms.membershipPos(userId, room.roomId());
            boolean show = switch (membership) {
                case "join", "invite", "knock" -> true;
                case "leave", "ban" -> sentBefore.contains(room.roomId()) || !selfLeft(room, userId);
                default -> false;
            };
            if (!show) continue;
            boolean joined = membership.equals("join");
            long activity = joined ? Math.min(room.lastStreamPos(), upTo) : mpos;
            out.add(new Entry(room, membership, mpos, activity, joined ? bumpStamp(room, upTo) : mpos));
        }
        out.sort(Comparator.comparingLong(Entry::activity).reversed().thenComparing(e -> e.room().roomId()));
        return out;
    }

    private static boolean selfLeft(Room room, String userId) {
        JsonNode member = room.stateEvent("m.room.member", userId);
        return member == null || userId.equals(member.path("sender").asText());
    }

    long bumpStamp(Room room, long upTo) {
        long last = room.lastStreamPos();
        Bump b = bumps.get(room.roomId());
        if (b != null && b.lastPos() == last) return b.stamp();
        long stamp = 0;
        // Usually only the events since the last computation need a look (in memory).
        List<StoredEvent> cached = b != null ? room.recent().between(b.lastPos(), upTo) : null;
        if (cached != null) stamp = b.stamp();
        else cached = room.recent().between(Math.max(0, last - 512), upTo);
        if (cached != null) {
            for (StoredEvent e : cached) if (BUMP_TYPES.contains(e.type())) stamp = e.streamPos();
        }
        if (stamp == 0) {
            List<StoredEvent> page = timeline.page(room.roomId(), null, upTo, 0, true, 1, BUMP_FILTER).events();
            stamp = page.isEmpty() ? last : page.getFirst().streamPos();
        }
        if (upTo >= last) bumps.put(room.roomId(), new Bump(last, stamp));
        return stamp;
    }
}
