package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.sync.SyncToken;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** GET /rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]: edits, reactions, thread replies. */
public final class RelationsHandlers implements Handlers {
    private final RoomService rooms;
    private final ClientEvents events;
    private final HistoryVisibility visibility;

    public RelationsHandlers(RoomService rooms, ClientEvents events, HistoryVisibility visibility) {
        this.rooms = rooms;
        this.events = events;
        this.visibility = visibility;
    }

    @Override
    public void register(Router r) {
        r.add("GET", "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}", USER, req -> relations(req, null, null));
        r.add("GET", "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType}", USER,
                req -> relations(req, req.path("relType"), null));
        r.add("GET", "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}", USER,
                req -> relations(req, req.path("relType"), req.path("eventType")));
    }

    private Object relations(Req req, String relType, String eventType) {
        String roomId = req.path("roomId");
        Room room = rooms.room(roomId);
        if (room == null || room.membership(req.userId()) == null) throw MatrixException.forbidden("You are not in this room");
        HistoryVisibility.Checker who = visibility.forUser(roomId, req.userId());
        Optional<StoredEvent> parent = rooms.store().event(req.path("eventId"));
        if (parent.isEmpty() || !parent.get().roomId().equals(roomId) || !who.canSee(parent.get())) {
            throw MatrixException.notFound("Event not found");
        }
        String dir = req.query("dir") == null ? "b" : req.query("dir");
        if (!dir.equals("b") && !dir.equals("f")) throw MatrixException.invalidParam("'dir' must be 'b' or 'f'");
        boolean back = dir.equals("b");
        int limit = req.queryInt("limit", 50, 1, 1000);
        long upTo = Math.min(rooms.streamPos(), who.readableUpTo());
        String fromToken = req.query("from");
        long from = fromToken == null ? (back ? upTo : 0) : Math.min(SyncToken.position(fromToken), upTo);
        String toToken = req.query("to");
        long to = toToken == null ? (back ? 0 : upTo) : SyncToken.position(toToken);
        List<StoredEvent> found = back
                ? rooms.store().relations(roomId, parent.get().eventId(), relType, eventType, to, from, limit + 1, true)
                : rooms.store().relations(roomId, parent.get().eventId(), relType, eventType, from, to, limit + 1, false);
        ObjectNode out = Json.object();
        ArrayNode chunk = out.putArray("chunk");
        Map<String, StoredEvent> cache = new HashMap<>();
        int n = 0;
        long last = from;
        for (StoredEvent e : found) {
            if (n == limit) break;
            last = back ? e.streamPos() - 1 : e.streamPos();
            if (!who.canSee(e)) continue;
            chunk.add(events.format(e, new ClientEvents.Viewer(req.userId(), req.session().deviceId()), cache));
            n++;
        }
        if (found.size() > limit) out.put("next_batch", SyncToken.page(last));
        return out;
    }
}
