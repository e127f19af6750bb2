package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.NONE;
import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.PowerLevels;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomAliases;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.storage.DirectoryStore;
import de.amtsbote.storage.EventStore;
import de.amtsbote.util.Json;

/** Room aliases and the public room directory. */
public final class DirectoryHandlers implements Handlers {
    private final RoomService rooms;
    private final DirectoryStore directory;
    private final RoomAliases aliases;

    public DirectoryHandlers(RoomService rooms, DirectoryStore directory) {
        this.rooms = rooms;
        this.directory = directory;
        this.aliases = new RoomAliases(rooms.serverName(), directory);
    }

    @Override
    public void register(Router r) {
        r.client("GET", "/directory/room/{alias}", NONE, req -> {
            DirectoryStore.Alias a = directory.get(alias(req)).orElseThrow(() -> MatrixException.notFound("Unknown alias"));
            ObjectNode out = Json.object();
            out.put("room_id", a.roomId());
            out.putArray("servers").add(rooms.serverName());
            return out;
        });
        r.client("PUT", "/directory/room/{alias}", USER, req -> {
            String alias = alias(req);
            String roomId = JsonFields.string(req.json(), "room_id");
            aliases.create(req.userId(), alias, rooms.room(roomId));
            return Json.object();
        });
        r.client("DELETE", "/directory/room/{alias}", USER, req -> {
            DirectoryStore.Alias a = directory.get(alias(req)).orElseThrow(() -> MatrixException.notFound("Unknown alias"));
            Room room = rooms.room(a.roomId());
            boolean allowed = a.creator().equals(req.userId()) || req.session().admin();
            if (!allowed && room != null) {
                PowerLevels pl = PowerLevels.fromState(room.version(), room::stateEvent);
                allowed = pl.userLevel(req.userId()) >= pl.eventLevel("m.room.canonical_alias", true);
            }
            if (!allowed) throw MatrixException.forbidden("You may not remove this alias");
            directory.delete(a.alias());
            return Json.object();
        });
        r.client("GET", "/rooms/{roomId}/aliases", USER, req -> {
            Room room = rooms.room(req.path("roomId"));
            if (room == null || !"join".equals(room.membership(req.userId()))) {
                throw MatrixException.forbidden("You are not in this room");
            }
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("aliases");
            directory.aliasesOf(room.roomId()).forEach(list::add);
            return out;
        });
        r.client("GET", "/directory/list/room/{roomId}", NONE, req -> {
            EventStore.RoomRow row = rooms.store().room(req.path("roomId"))
                    .orElseThrow(() -> MatrixException.notFound("Room not found"));
            return Json.object().put("visibility", row.isPublic() ? "public" : "private");
        });
        r.client("PUT", "/directory/list/room/{roomId}", USER, req -> {
            String v = JsonFields.optString(req.json(), "visibility");
            if (v != null && !v.equals("public") && !v.equals("private")) {
                throw MatrixException.badJson("'visibility' must be 'public' or 'private'");
            }
            Room room = rooms.room(req.path("roomId"));
            if (room == null) throw MatrixException.notFound("Room not found");
            PowerLevels pl = PowerLevels.fromState(room.version(), room::stateEvent);
            if (!"join".equals(room.membership(req.userId()))
                    || pl.userLevel(req.userId()) < pl.eventLevel("m.room.canonical_alias", true)) {
                throw MatrixException.forbidden("You may not change the directory listing of this room");
            }
            rooms.store().setPublic(room.roomId(), "public".equals(v));
            return Json.object();
        });
        r.client("GET", "/publicRooms", USER, req -> publicRooms(req.queryInt("limit", 100, 1, 500), null));
        r.client("POST", "/publicRooms", USER, req -> {
            ObjectNode b = req.json();
            Long limit = JsonFields.optLong(b, "limit");
            ObjectNode f = JsonFields.optObject(b, "filter");
            String term = f == null ? null : JsonFields.optString(f, "generic_search_term");
            return publicRooms(limit == null ? 100 : (int) Math.max(1, Math.min(limit, 500)), term);
        });
    }

    private static String alias(Req req) {
        String a = req.path("alias");
        if (!a.startsWith("#") || !a.contains(":")) throw MatrixException.invalidParam("Room aliases look like #name:server");
        return a;
    }

    private ObjectNode publicRooms(int limit, String term) {
        ObjectNode out = Json.object();
        ArrayNode chunk = out.putArray("chunk");
        int total = 0;
        for (EventStore.RoomRow row : rooms.store().publicRooms()) {
            Room room = rooms.room(row.roomId());
            if (room == null) continue;
            ObjectNode c = Json.object();
            c.put("room_id", row.roomId());
            c.put("num_joined_members", room.joinedCount());
            c.put("world_readable", "world_readable".equals(text(room, "m.room.history_visibility", "history_visibility")));
            c.put("guest_can_join", "can_join".equals(text(room, "m.room.guest_access", "guest_access")));
            String name = text(room, "m.room.name", "name");
            String topic = text(room, "m.room.topic", "topic");
            String alias = text(room, "m.room.canonical_alias", "alias");
            String avatar = text(room, "m.room.avatar", "url");
            if (name != null) c.put("name", name);
            if (topic != null) c.put("topic", topic);
            if (alias != null) c.put("canonical_alias", alias);
            if (avatar != null) c.put("avatar_url", avatar);
            c.put("join_rule", text(room, "m.room.join_rules", "join_rule"));
            if (term != null && !term.isBlank()) {
                String hay = ((name == null ? "" : name) + " " + (topic == null ? "" : topic) + " " + (alias == null ? "" : alias))
                        .toLowerCase();
                if (!hay.contains(term.toLowerCase())) continue;
            }
            total++;
            if (chunk.size() < limit) chunk.add(c);
        }
        out.put("total_room_count_estimate", total);
        return out;
    }

    private static String text(Room room, String type, String field) {
        ObjectNode c = room.stateContent(type, "");
        return c == null || !c.path(field).isTextual() ? null : c.get(field).asText();
    }
}
