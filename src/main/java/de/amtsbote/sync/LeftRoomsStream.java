package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * Rooms the user left or was banned from (rooms.leave): on an incremental sync those left since the token,
 * on a first sync all of them if the filter asks (include_leave). The timeline ends at the leave.
 */
final class LeftRoomsStream implements SyncStream {
    private final RoomService rooms;
    private final Timeline timeline;
    private final SyncEventFormat format;

    LeftRoomsStream(RoomService rooms, Timeline timeline, SyncEventFormat format) {
        this.rooms = rooms;
        this.timeline = timeline;
        this.format = format;
    }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) {
        return req.filter().includeLeave() && fill(req, resp);
    }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) { return fill(req, resp); }

    private boolean fill(SyncRequest req, SyncResponse resp) {
        boolean content = false;
        for (Map.Entry<String, String> m : req.memberships().entrySet()) {
            if (!m.getValue().equals("leave") && !m.getValue().equals("ban")) continue;
            if (!req.filter().rooms().matchesRoom(m.getKey())) continue;
            if (!req.initial() && rooms.membershipPos(req.userId(), m.getKey()) <= req.sincePos()) continue;
            Room room = rooms.room(m.getKey());
            ObjectNode r = room == null ? purgedRoom(req, m.getKey()) : leftRoom(req, room);
            if (r == null) continue;
            resp.leaveSection().set(m.getKey(), r);
            content = true;
        }
        return content;
    }

    /**
     * A room an admin deleted with purge: its events are gone, but a client that missed the leave must still
     * learn that it left, so it gets the room in "leave" with an empty timeline (incremental syncs only).
     */
    private ObjectNode purgedRoom(SyncRequest req, String roomId) {
        if (req.initial() || rooms.membershipPos(req.userId(), roomId) <= req.sincePos()) return null;
        ObjectNode out = Json.object();
        ObjectNode tl = out.putObject("timeline");
        tl.putArray("events");
        tl.put("limited", false);
        out.putObject("state").putArray("events");
        out.putObject("account_data").putArray("events");
        return out;
    }

    private ObjectNode leftRoom(SyncRequest req, Room room) {
        long sincePos = req.sincePos();
        HistoryVisibility.Checker who = timeline.visibility().forUser(room.roomId(), req.userId());
        long leftAt = who.readableUpTo();
        if (leftAt <= sincePos && sincePos != 0) return null;
        long to = Math.min(leftAt, req.upTo());
        TimelineWindow tw = TimelineWindow.paged(timeline, room.roomId(), who, to, sincePos,
                req.filter().timelineLimit(), req.filter().timeline(), req.ignored());
        ObjectNode out = Json.object();
        ObjectNode tlNode = out.putObject("timeline");
        ArrayNode evs = tlNode.putArray("events");
        Map<String, StoredEvent> cache = new HashMap<>();
        for (StoredEvent e : tw.events()) evs.add(format.format(req, room, e, cache));
        tlNode.put("limited", tw.limited());
        tlNode.put("prev_batch", SyncToken.page(tw.prevBatch()));
        out.putObject("state").putArray("events");
        out.putObject("account_data").putArray("events");
        return out;
    }
}
