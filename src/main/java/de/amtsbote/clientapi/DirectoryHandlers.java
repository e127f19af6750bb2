package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.NONE;
import static de.amtsbote.http.Router.Auth.OPTIONAL;
import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.Membership;
import de.amtsbote.rooms.PowerLevels;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomAliases;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.storage.DirectoryStore;
import de.amtsbote.storage.EventStore;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
            Room room = rooms.requireJoined(req.path("roomId"), req.userId());
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
            if (room.member(req.userId()) != Membership.JOIN
                    || pl.userLevel(req.userId()) < pl.eventLevel("m.room.canonical_alias", true)) {
                throw MatrixException.forbidden("You may not change the directory listing of this room");
            }
            rooms.store().setPublic(room.roomId(), "public".equals(v));
            return Json.object();
        });
        // GET needs no access token (the spec allows servers to serve the directory to anyone); POST does.
        r.client("GET", "/publicRooms", OPTIONAL, req -> publicRooms(req.queryInt("limit", 100, 1, 500),
                req.query("since"), null, null));
        r.client("POST", "/publicRooms", USER, req -> {
            ObjectNode b = req.json();
            Long limit = JsonFields.optLong(b, "limit");
            ObjectNode f = JsonFields.optObject(b, "filter");
            String term = f == null ? null : JsonFields.optString(f, "generic_search_term");
            Set<String> types = f == null ? null : roomTypes(f);
            return publicRooms(limit == null ? 100 : (int) Math.max(1, Math.min(limit, 500)),
                    JsonFields.optString(b, "since"), term, types);
        });
    }

    /** filter.room_types: strings, and null for rooms without a type (stored as ""); null if absent. */
    private static Set<String> roomTypes(ObjectNode filter) {
        JsonNode t = filter.get("room_types");
        if (t == null || t.isNull()) return null;
        if (!t.isArray()) throw MatrixException.badJson("'room_types' must be an array");
        Set<String> out = new HashSet<>();
        for (JsonNode x : t) {
            if (x.isNull()) out.add("");
            else if (x.isTextual()) out.add(x.textValue());
            else throw MatrixException.badJson("'room_types' holds strings or null");
        }
        return out;
    }

    private static String alias(Req req) {
        String a = req.path("alias");
        if (!a.startsWith("#") || !a.contains(":")) throw MatrixException.invalidParam("Room aliases look like #name:server");
        return a;
    }

    /**
     * One page of the directory. Rooms are ordered by joined members (largest first, as the spec recommends),
     * then room id; "since" is the opaque token {@code p<offset>} from a previous page's next_batch/prev_batch.
     */
    private ObjectNode publicRooms(int limit, String since, String term, Set<String> types) {
        int offset = since == null || since.isEmpty() ? 0 : offset(since);
        List<ObjectNode> matching = new ArrayList<>();
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
            String type = text(room, "m.room.create", "type");
            if (name != null) c.put("name", name);
            if (topic != null) c.put("topic", topic);
            if (alias != null) c.put("canonical_alias", alias);
            if (avatar != null) c.put("avatar_url", avatar);
            if (type != null) c.put("room_type", type);
            c.put("join_rule", text(room, "m.room.join_rules", "join_rule"));
            if (types != null && !types.contains(type == null ? "" : type)) continue;
            if (term != null && !term.isBlank()) {
                String hay = ((name == null ? "" : name) + " " + (topic == null ? "" : topic) + " " + (alias == null ? "" : alias))
                        .toLowerCase(Locale.ROOT);
                if (!hay.contains(term.toLowerCase(Locale.ROOT))) continue;
            }
            matching.add(c);
        }
        matching.sort(Comparator.comparingInt((ObjectNode c) -> -c.get("num_joined_members").asInt())
                .thenComparing(c -> c.get("room_id").asText()));
        ObjectNode out = Json.object();
        ArrayNode chunk = out.putArray("chunk");
        int end = Math.min(matching.size(), offset + limit);
        for (int i = Math.min(offset, matching.size()); i < end; i++) chunk.add(matching.get(i));
        if (end < matching.size()) out.put("next_batch", "p" + end);
        if (offset > 0) out.put("prev_batch", "p" + Math.max(0, offset - limit));
        out.put("total_room_count_estimate", matching.size());
        return out;
    }

    private static int offset(String since) {
        if (since.length() > 1 && since.length() < 10 && since.charAt(0) == 'p'
                && since.substring(1).chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return Integer.parseInt(since.substring(1));
        }
        throw MatrixException.invalidParam("Invalid 'since' token");
    }

    private static String text(Room room, String type, String field) {
        ObjectNode c = room.stateContent(type, "");
        return c == null || !c.path(field).isTextual() ? null : c.get(field).asText();
    }
}
