package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.EventFilter;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import java.util.Map;

/** m.presence of the users sharing a room with the requester (and the requester's own); in-memory serial. */
final class PresenceStream implements SyncStream {
    private final Presence presence;
    private final RoomService rooms;

    PresenceStream(Presence presence, RoomService rooms) {
        this.presence = presence;
        this.rooms = rooms;
    }

    @Override
    public void advance(SyncRequest req, SyncResponse resp) { resp.advancePresence(presence.serial()); }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) { return fill(req, resp, 0); }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) {
        // Nothing changed anywhere: no work at all (the common case of a busy room's syncs).
        if (presence.serial() <= req.since().presence()) return false;
        return fill(req, resp, req.since().presence());
    }

    private boolean fill(SyncRequest req, SyncResponse resp, long after) {
        EventFilter f = req.filter().presence();
        if (!f.matchesType("m.presence")) return false;
        boolean content = false;
        for (Map.Entry<String, Presence.State> e : presence.changedSince(after)) {
            String user = e.getKey();
            if (e.getValue().serial() > resp.presenceSerial) continue;
            if (f.notSenders().contains(user) || (f.senders() != null && !f.senders().contains(user))) continue;
            if (req.ignored().contains(user) || !shares(req, user)) continue;
            ObjectNode ev = resp.presence().addObject();
            ev.put("type", "m.presence");
            ev.put("sender", user);
            ev.set("content", presence.content(user));
            content = true;
        }
        return content;
    }

    private boolean shares(SyncRequest req, String other) {
        if (other.equals(req.userId())) return true;
        for (Map.Entry<String, String> m : req.memberships().entrySet()) {
            if (!m.getValue().equals("join")) continue;
            Room room = rooms.room(m.getKey());
            if (room != null && "join".equals(room.membership(other))) return true;
        }
        return false;
    }
}
