package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.util.Json;
import java.util.Map;
import java.util.Set;

/** Rooms the user is invited to (rooms.invite), with stripped state; invites from ignored users are hidden. */
final class InvitedRoomsStream implements SyncStream {
    private static final Set<String> INVITE_STATE_TYPES = Set.of("m.room.create", "m.room.join_rules", "m.room.name",
            "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic");
    private final RoomService rooms;

    InvitedRoomsStream(RoomService rooms) { this.rooms = rooms; }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) { return fill(req, resp); }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) { return fill(req, resp); }

    private boolean fill(SyncRequest req, SyncResponse resp) {
        boolean content = false;
        for (Map.Entry<String, String> m : req.memberships().entrySet()) {
            if (!m.getValue().equals("invite") || !req.filter().rooms().matchesRoom(m.getKey())) continue;
            if (!req.initial() && rooms.membershipPos(req.userId(), m.getKey()) <= req.sincePos()) continue;
            Room room = rooms.room(m.getKey());
            ObjectNode r = room == null ? null : invitedRoom(req, room);
            if (r == null) continue;
            resp.inviteSection().set(room.roomId(), r);
            content = true;
        }
        return content;
    }

    private static ObjectNode invitedRoom(SyncRequest req, Room room) {
        Room.StateEntry me = room.state().get(new StateKey("m.room.member", req.userId()));
        if (me == null) return null;
        String inviter = me.pdu().path("sender").asText();
        if (req.ignored().contains(inviter)) return null;
        ObjectNode out = Json.object();
        ArrayNode ev = out.putObject("invite_state").putArray("events");
        room.state().forEach((k, v) -> {
            if (INVITE_STATE_TYPES.contains(k.type())) ev.add(ClientEvents.stripped(v.pdu()));
        });
        Room.StateEntry inviterMember = room.state().get(new StateKey("m.room.member", inviter));
        if (inviterMember != null && !inviter.equals(req.userId())) ev.add(ClientEvents.stripped(inviterMember.pdu()));
        ObjectNode invite = ClientEvents.stripped(me.pdu());
        invite.put("event_id", me.eventId());
        invite.put("origin_server_ts", me.pdu().path("origin_server_ts").asLong());
        ev.add(invite);
        return out;
    }
}
