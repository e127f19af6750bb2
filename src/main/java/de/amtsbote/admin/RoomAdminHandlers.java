package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.Identifiers;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomBlocks;
import de.amtsbote.rooms.RoomDeletion;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.RoomSummaries;
import de.amtsbote.storage.EventStore;
import de.amtsbote.users.Accounts;
import de.amtsbote.util.Json;
import java.util.TreeSet;

/**
 * Synapse's rooms admin API (docs/admin_api/rooms.md): list, details, members, state, block, delete (v2, and
 * the older synchronous v1) and the deletion status. The shutdown room of Synapse (new_room_user_id) is not offered.
 */
public final class RoomAdminHandlers implements Handlers {
    private static final String V1 = "/_synapse/admin/v1/rooms";
    private static final String V2 = "/_synapse/admin/v2/rooms";

    private final RoomService rooms;
    private final RoomSummaries summaries;
    private final RoomBlocks blocks;
    private final RoomDeletion deletion;
    private final ClientEvents clientEvents;
    private final Accounts accounts;
    private final AdminAudit audit;

    public RoomAdminHandlers(RoomService rooms, RoomSummaries summaries, RoomBlocks blocks, RoomDeletion deletion,
                             ClientEvents clientEvents, Accounts accounts, AdminAudit audit) {
        this.rooms = rooms;
        this.summaries = summaries;
        this.blocks = blocks;
        this.deletion = deletion;
        this.clientEvents = clientEvents;
        this.accounts = accounts;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.add("GET", V1, ADMIN, this::list);
        r.add("GET", V1 + "/{roomId}", ADMIN, req -> {
            RoomSummaries.Summary s = summary(req);
            ObjectNode o = summaryJson(s);
            o.put("topic", s.topic());
            o.put("avatar", s.avatar());
            o.put("joined_local_devices", localDevices(rooms.room(s.roomId())));
            // Amtsbote does not record "forget", so no room is ever forgotten by all its users.
            o.put("forgotten", false);
            return o;
        });
        r.add("GET", V1 + "/{roomId}/members", ADMIN, req -> {
            Room room = room(req);
            ObjectNode out = Json.object();
            TreeSet<String> members = new TreeSet<>(room.joinedMembers());
            members.forEach(out.putArray("members")::add);
            out.put("total", members.size());
            return out;
        });
        r.add("GET", V1 + "/{roomId}/state", ADMIN, req -> {
            Room room = room(req);
            String type = req.query("type");
            ObjectNode out = Json.object();
            ArrayNode state = out.putArray("state");
            ClientEvents.Viewer viewer = new ClientEvents.Viewer(req.userId(), req.session().deviceId());
            for (EventStore.StoredEvent e : rooms.store().currentState(room.roomId())) {
                if (type == null || type.equals(e.type())) state.add(clientEvents.format(e, viewer));
            }
            return out;
        });
        r.add("GET", V1 + "/{roomId}/block", ADMIN, req -> {
            String roomId = roomIdParam(req);
            ObjectNode out = Json.object();
            out.put("block", blocks.isBlocked(roomId));
            blocks.blockedBy(roomId).ifPresent(u -> out.put("user_id", u));
            return out;
        });
        r.add("PUT", V1 + "/{roomId}/block", ADMIN, req -> {
            String roomId = roomIdParam(req);
            Boolean block = JsonFields.optBoolean(req.json(), "block");
            if (block == null) throw MatrixException.missingParam("'block' is required (true or false)");
            if (block) blocks.block(roomId, req.userId());
            else blocks.unblock(roomId);
            audit.record(req, block ? "room.block" : "room.unblock", roomId, Json.object());
            return Json.object().put("block", block);
        });
        r.add("DELETE", V2 + "/{roomId}", ADMIN, this::delete);
        // Synapse's older synchronous variant: the same work, the result in the answer.
        r.add("DELETE", V1 + "/{roomId}", ADMIN, req -> {
            RoomDeletion.Request d = deletion(req);
            RoomDeletion.Task task = deletion.runNow(d);
            audit.record(req, "room.delete", d.roomId(), auditDetails(d).put("delete_id", task.deleteId()));
            return task.json().get("shutdown_room");
        });
        r.add("GET", V2 + "/{roomId}/delete_status", ADMIN, req -> {
            String roomId = roomIdParam(req);
            var tasks = deletion.tasksOf(roomId);
            if (tasks.isEmpty()) throw MatrixException.notFound("No delete task for room " + roomId);
            ObjectNode out = Json.object();
            ArrayNode results = out.putArray("results");
            tasks.forEach(t -> results.add(t.json()));
            return out;
        });
        r.add("GET", V2 + "/delete_status/{deleteId}", ADMIN, req -> deletion.task(req.path("deleteId"))
                .map(RoomDeletion.Task::json)
                .orElseThrow(() -> MatrixException.notFound("No delete task with id " + req.path("deleteId"))));
    }

    private Object list(Req req) {
        int from = nonNegative(req, "from", 0);
        int limit = nonNegative(req, "limit", 100);
        RoomSummaries.Order order = RoomSummaries.Order.parse(req.query("order_by"));
        String dir = req.query("dir");
        if (dir != null && !dir.equals("f") && !dir.equals("b")) throw MatrixException.invalidParam("'dir' must be 'f' or 'b'");
        String term = req.query("search_term");
        if (term != null && term.isEmpty()) throw MatrixException.invalidParam("'search_term' must not be empty");
        RoomSummaries.Page page = summaries.list(from, limit, order, "b".equals(dir), term);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("rooms");
        page.rooms().forEach(s -> list.add(summaryJson(s)));
        out.put("offset", page.offset());
        out.put("total_rooms", page.total());
        if (page.nextBatch() != null) out.put("next_batch", page.nextBatch());
        if (page.prevBatch() != null) out.put("prev_batch", page.prevBatch());
        return out;
    }

    private Object delete(Req req) {
        RoomDeletion.Request d = deletion(req);
        RoomDeletion.Task task = deletion.start(d);
        audit.record(req, "room.delete", d.roomId(), auditDetails(d).put("delete_id", task.deleteId()));
        return Json.object().put("delete_id", task.deleteId());
    }

    /** The delete body (Synapse: at least {}); the replacement room is not offered. */
    private static RoomDeletion.Request deletion(Req req) {
        String roomId = roomIdParam(req);
        ObjectNode body = req.json();
        if (JsonFields.optString(body, "new_room_user_id") != null) {
            throw new MatrixException(400, "M_UNRECOGNIZED",
                    "Amtsbote does not create a replacement room (new_room_user_id); members just leave the room");
        }
        JsonFields.optString(body, "room_name");
        JsonFields.optString(body, "message");
        boolean block = Boolean.TRUE.equals(JsonFields.optBoolean(body, "block"));
        boolean purge = !Boolean.FALSE.equals(JsonFields.optBoolean(body, "purge"));
        boolean forcePurge = Boolean.TRUE.equals(JsonFields.optBoolean(body, "force_purge"));
        return new RoomDeletion.Request(roomId, req.userId(), block, purge, forcePurge);
    }

    private static ObjectNode auditDetails(RoomDeletion.Request d) {
        return Json.object().put("block", d.block()).put("purge", d.purge()).put("force_purge", d.forcePurge());
    }

    private static int nonNegative(Req req, String name, int dflt) {
        String v = req.query(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw MatrixException.invalidParam("Query parameter '" + name + "' must not be negative");
            return n;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter '" + name + "' must be a whole number");
        }
    }

    private static String roomIdParam(Req req) {
        String roomId = req.path("roomId");
        if (!Identifiers.isValidRoomId(roomId)) throw MatrixException.invalidParam(roomId + " is not a legal room ID");
        return roomId;
    }

    private Room room(Req req) {
        Room room = rooms.room(roomIdParam(req));
        if (room == null) throw MatrixException.notFound("Room not found");
        return room;
    }

    private RoomSummaries.Summary summary(Req req) {
        RoomSummaries.Summary s = summaries.of(roomIdParam(req));
        if (s == null) throw MatrixException.notFound("Room not found");
        return s;
    }

    private int localDevices(Room room) {
        int n = 0;
        for (String u : room.joinedMembers()) if (accounts.isLocal(u)) n += accounts.store().devices(u).size();
        return n;
    }

    private static ObjectNode summaryJson(RoomSummaries.Summary s) {
        ObjectNode o = Json.object();
        o.put("room_id", s.roomId());
        o.put("name", s.name());
        o.put("canonical_alias", s.canonicalAlias());
        o.put("joined_members", s.joinedMembers());
        o.put("joined_local_members", s.joinedLocalMembers());
        o.put("version", s.version());
        o.put("creator", s.creator());
        o.put("encryption", s.encryption());
        o.put("federatable", s.federatable());
        o.put("public", s.isPublic());
        o.put("join_rules", s.joinRules());
        o.put("guest_access", s.guestAccess());
        o.put("history_visibility", s.historyVisibility());
        o.put("state_events", s.stateEvents());
        o.put("room_type", s.roomType());
        return o;
    }
}
