package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.EventDraft;
import de.amtsbote.rooms.EventFilter;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.rooms.RoomCreator;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.sync.SyncToken;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Room endpoints: create, membership, send, state, redact, history (/messages, /context, /event), members. */
public final class RoomHandlers implements Handlers {
    private final RoomActions actions;
    private final RoomService rooms;
    private final RoomCreator creator;
    private final ClientEvents events;
    private final Timeline timeline;
    /** Whose messages each user does not want to see (m.ignored_user_list); /messages leaves them out. */
    private java.util.function.Function<String, Set<String>> ignoredUsers = u -> Set.of();

    public RoomHandlers hidingIgnoredUsers(java.util.function.Function<String, Set<String>> ignored) {
        this.ignoredUsers = ignored;
        return this;
    }

    public RoomHandlers(RoomActions actions, RoomCreator creator, ClientEvents events, Timeline timeline) {
        this.actions = actions;
        this.rooms = actions.rooms();
        this.creator = creator;
        this.events = events;
        this.timeline = timeline;
    }

    @Override
    public void register(Router r) {
        r.client("POST", "/createRoom", USER, req -> Json.object().put("room_id", creator.create(req.userId(), req.json())));
        r.client("POST", "/join/{roomIdOrAlias}", USER, req -> join(req, req.path("roomIdOrAlias")));
        r.client("POST", "/rooms/{roomId}/join", USER, req -> join(req, req.path("roomId")));
        r.client("POST", "/rooms/{roomId}/invite", USER, req -> {
            ObjectNode b = req.json();
            actions.invite(req.userId(), req.path("roomId"), userIdField(b), JsonFields.optString(b, "reason"), false);
            return Json.object();
        });
        r.client("POST", "/rooms/{roomId}/leave", USER, req -> {
            actions.leave(req.userId(), req.path("roomId"), JsonFields.optString(req.jsonOrEmpty(), "reason"));
            return Json.object();
        });
        r.client("POST", "/rooms/{roomId}/forget", USER, req -> {
            actions.forget(req.userId(), req.path("roomId"));
            return Json.object();
        });
        r.client("POST", "/rooms/{roomId}/kick", USER, req -> {
            ObjectNode b = req.json();
            actions.kick(req.userId(), req.path("roomId"), userIdField(b), JsonFields.optString(b, "reason"));
            return Json.object();
        });
        r.client("POST", "/rooms/{roomId}/ban", USER, req -> {
            ObjectNode b = req.json();
            actions.ban(req.userId(), req.path("roomId"), userIdField(b), JsonFields.optString(b, "reason"));
            return Json.object();
        });
        r.client("POST", "/rooms/{roomId}/unban", USER, req -> {
            ObjectNode b = req.json();
            actions.unban(req.userId(), req.path("roomId"), userIdField(b), JsonFields.optString(b, "reason"));
            return Json.object();
        });
        r.client("PUT", "/rooms/{roomId}/send/{eventType}/{txnId}", USER, req -> {
            EventDraft.Txn txn = new EventDraft.Txn(req.userId(), req.session().deviceId(), req.path("txnId"));
            String id = actions.sendMessage(req.userId(), req.path("roomId"), req.path("eventType"), req.json(), txn);
            return Json.object().put("event_id", id);
        });
        r.client("PUT", "/rooms/{roomId}/state/{eventType}", USER, req -> putState(req, ""));
        // The spec allows the trailing slash when the state key is empty.
        r.client("PUT", "/rooms/{roomId}/state/{eventType}/", USER, req -> putState(req, ""));
        r.client("GET", "/rooms/{roomId}/state/{eventType}/", USER, req -> getState(req, ""));
        r.client("PUT", "/rooms/{roomId}/state/{eventType}/{stateKey}", USER, req -> putState(req, req.path("stateKey")));
        r.client("GET", "/rooms/{roomId}/state", USER, this::allState);
        r.client("GET", "/rooms/{roomId}/state/{eventType}", USER, req -> getState(req, ""));
        r.client("GET", "/rooms/{roomId}/state/{eventType}/{stateKey}", USER, req -> getState(req, req.path("stateKey")));
        r.client("PUT", "/rooms/{roomId}/redact/{eventId}/{txnId}", USER, req -> {
            EventDraft.Txn txn = new EventDraft.Txn(req.userId(), req.session().deviceId(), "redact:" + req.path("txnId"));
            String id = actions.redact(req.userId(), req.path("roomId"), req.path("eventId"),
                    JsonFields.optString(req.jsonOrEmpty(), "reason"), txn);
            return Json.object().put("event_id", id);
        });
        r.client("GET", "/rooms/{roomId}/event/{eventId}", USER, this::event);
        r.client("GET", "/rooms/{roomId}/messages", USER, this::messages);
        r.client("GET", "/rooms/{roomId}/context/{eventId}", USER, this::context);
        r.client("GET", "/rooms/{roomId}/members", USER, this::members);
        r.client("GET", "/rooms/{roomId}/joined_members", USER, this::joinedMembers);
        r.client("GET", "/joined_rooms", USER, req -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("joined_rooms");
            rooms.membershipsOf(req.userId()).forEach((room, m) -> {
                if (m.equals("join")) list.add(room);
            });
            return out;
        });
    }

    private ObjectNode join(Req req, String roomIdOrAlias) {
        String roomId = actions.join(req.userId(), roomIdOrAlias, JsonFields.optString(req.jsonOrEmpty(), "reason"));
        return Json.object().put("room_id", roomId);
    }

    private static String userIdField(ObjectNode b) {
        String u = JsonFields.optString(b, "user_id");
        if (u == null) throw MatrixException.badJson("'user_id' is required");
        if (!de.amtsbote.rooms.Identifiers.isValidUserId(u)) throw MatrixException.invalidParam("Invalid user id " + u);
        return u;
    }

    private ObjectNode putState(Req req, String stateKey) {
        String id = actions.sendState(req.userId(), req.path("roomId"), req.path("eventType"), stateKey, req.json());
        return Json.object().put("event_id", id);
    }

    /**
     * The state a user may see: current state while joined; the state at the moment they left otherwise.
     */
    private Map<StateKey, StoredEventView> visibleState(Req req) {
        Room room = rooms.room(req.path("roomId"));
        String m = room == null ? null : room.membership(req.userId());
        if (m == null) throw MatrixException.forbidden("You are not in this room");
        Map<StateKey, StoredEventView> out = new HashMap<>();
        if (m.equals("join")) {
            room.state().forEach((k, v) -> out.put(k, new StoredEventView(v.eventId(), null)));
            return out;
        }
        if (m.equals("invite") || m.equals("knock")) throw MatrixException.forbidden("You have not joined this room");
        // Left or banned: rebuild the state as it was at the user's last membership change.
        HistoryVisibility.Checker who = timeline.visibility().forUser(room.roomId(), req.userId());
        long upTo = who.readableUpTo();
        for (StoredEvent e : rooms.store().roomEvents(room.roomId(), 0, upTo, Integer.MAX_VALUE, false)) {
            if (e.stateKey() != null) out.put(new StateKey(e.type(), e.stateKey()), new StoredEventView(e.eventId(), e));
        }
        return out;
    }

    private record StoredEventView(String eventId, StoredEvent event) {}

    private StoredEvent load(StoredEventView v) {
        return v.event() != null ? v.event() : rooms.store().event(v.eventId()).orElseThrow();
    }

    private Object allState(Req req) {
        ArrayNode out = Json.array();
        for (StoredEventView v : visibleState(req).values()) out.add(events.format(load(v), viewer(req)));
        return out;
    }

    private Object getState(Req req, String stateKey) {
        StoredEventView v = visibleState(req).get(new StateKey(req.path("eventType"), stateKey));
        if (v == null) throw MatrixException.notFound("No such state event");
        StoredEvent e = load(v);
        ObjectNode formatted = events.format(e, viewer(req));
        if ("event".equals(req.query("format"))) return formatted;
        return formatted.get("content");
    }

    private static ClientEvents.Viewer viewer(Req req) {
        return new ClientEvents.Viewer(req.userId(), req.session().deviceId());
    }

    private HistoryVisibility.Checker readable(Req req, String roomId) {
        Room room = rooms.room(roomId);
        if (room == null || room.membership(req.userId()) == null) {
            throw MatrixException.forbidden("You are not allowed to read this room");
        }
        return timeline.visibility().forUser(roomId, req.userId());
    }

    private Object event(Req req) {
        String roomId = req.path("roomId");
        HistoryVisibility.Checker who = readable(req, roomId);
        Optional<StoredEvent> e = rooms.store().event(req.path("eventId"));
        if (e.isEmpty() || !e.get().roomId().equals(roomId) || !who.canSee(e.get())) {
            throw MatrixException.notFound("Event not found");
        }
        return events.format(e.get(), viewer(req));
    }

    private Object messages(Req req) {
        String roomId = req.path("roomId");
        HistoryVisibility.Checker who = readable(req, roomId);
        String dir = req.query("dir");
        if (dir == null) dir = "b";
        if (!dir.equals("b") && !dir.equals("f")) throw MatrixException.invalidParam("'dir' must be 'b' or 'f'");
        boolean back = dir.equals("b");
        long committed = rooms.streamPos();
        long upTo = Math.min(committed, who.readableUpTo());
        String fromToken = req.query("from");
        long from = fromToken == null ? (back ? upTo : 0) : Math.min(SyncToken.position(fromToken), upTo);
        String toToken = req.query("to");
        long bound = toToken == null ? (back ? 0 : upTo) : Math.min(SyncToken.position(toToken), upTo);
        int limit = req.queryInt("limit", 10, 1, 1000);
        EventFilter filter = filter(req.query("filter"));
        Timeline.Page page = timeline.page(roomId, who, from, bound, back, limit, filter);
        ObjectNode out = Json.object();
        out.put("start", SyncToken.page(from));
        if (!page.exhausted() || (!back && page.events().size() == limit)) out.put("end", SyncToken.page(page.scannedTo()));
        ArrayNode chunk = out.putArray("chunk");
        Map<String, StoredEvent> cache = new HashMap<>();
        Set<String> ignored = ignoredUsers.apply(req.userId());
        for (StoredEvent e : page.events()) {
            if (!e.isState() && ignored.contains(e.sender())) continue;
            chunk.add(events.format(e, viewer(req), cache));
        }
        if (filter.lazyLoadMembers()) addMemberState(out, roomId, page.events(), req);
        return out;
    }

    private void addMemberState(ObjectNode out, String roomId, List<StoredEvent> list, Req req) {
        Room room = rooms.room(roomId);
        Set<String> senders = new LinkedHashSet<>();
        for (StoredEvent e : list) senders.add(e.sender());
        ArrayNode state = out.putArray("state");
        for (String s : senders) {
            Room.StateEntry m = room.state().get(new StateKey("m.room.member", s));
            if (m != null) rooms.store().event(m.eventId()).ifPresent(e -> state.add(events.format(e, viewer(req))));
        }
    }

    private static EventFilter filter(String json) {
        if (json == null || json.isEmpty()) return EventFilter.ALL;
        JsonNode node;
        try {
            node = Json.parse(json);
        } catch (RuntimeException e) {
            throw MatrixException.badJson("'filter' is not valid JSON");
        }
        return EventFilter.parse(node);
    }

    private Object context(Req req) {
        String roomId = req.path("roomId");
        HistoryVisibility.Checker who = readable(req, roomId);
        Optional<StoredEvent> target = rooms.store().event(req.path("eventId"));
        if (target.isEmpty() || !target.get().roomId().equals(roomId) || !who.canSee(target.get())) {
            throw MatrixException.notFound("Event not found");
        }
        int limit = req.queryInt("limit", 10, 0, 100);
        EventFilter filter = filter(req.query("filter"));
        long pos = target.get().streamPos();
        long upTo = Math.min(rooms.streamPos(), who.readableUpTo());
        int before = limit / 2;
        int after = limit - before;
        Timeline.Page b = before == 0 ? new Timeline.Page(List.of(), false, pos - 1)
                : timeline.page(roomId, who, pos - 1, 0, true, before, filter);
        Timeline.Page a = after == 0 ? new Timeline.Page(List.of(), false, pos)
                : timeline.page(roomId, who, pos, upTo, false, after, filter);
        ObjectNode out = Json.object();
        Map<String, StoredEvent> cache = new HashMap<>();
        out.set("event", events.format(target.get(), viewer(req), cache));
        ArrayNode eb = out.putArray("events_before");
        for (StoredEvent e : b.events()) eb.add(events.format(e, viewer(req), cache));
        ArrayNode ea = out.putArray("events_after");
        for (StoredEvent e : a.events()) ea.add(events.format(e, viewer(req), cache));
        out.put("start", SyncToken.page(b.scannedTo()));
        out.put("end", SyncToken.page(a.scannedTo()));
        ArrayNode state = out.putArray("state");
        Room room = rooms.room(roomId);
        room.state().forEach((k, v) -> {
            if (!filter.lazyLoadMembers() || !k.type().equals("m.room.member")) {
                rooms.store().event(v.eventId()).ifPresent(e -> state.add(events.format(e, viewer(req))));
            }
        });
        return out;
    }

    private Object members(Req req) {
        String membership = req.query("membership");
        String notMembership = req.query("not_membership");
        ArrayNode chunk = Json.array();
        for (var entry : visibleState(req).entrySet()) {
            if (!entry.getKey().type().equals("m.room.member")) continue;
            StoredEvent e = load(entry.getValue());
            String m = e.pdu().path("content").path("membership").asText();
            if (membership != null && !membership.equals(m)) continue;
            if (notMembership != null && notMembership.equals(m)) continue;
            chunk.add(events.format(e, viewer(req)));
        }
        ObjectNode out = Json.object();
        out.set("chunk", chunk);
        return out;
    }

    private Object joinedMembers(Req req) {
        Room room = rooms.room(req.path("roomId"));
        if (room == null || !"join".equals(room.membership(req.userId()))) {
            throw MatrixException.forbidden("You are not in this room");
        }
        ObjectNode out = Json.object();
        ObjectNode joined = out.putObject("joined");
        for (String u : room.joinedMembers()) {
            ObjectNode c = room.stateContent("m.room.member", u);
            ObjectNode o = joined.putObject(u);
            if (c != null && c.path("displayname").isTextual()) o.put("display_name", c.get("displayname").asText());
            if (c != null && c.path("avatar_url").isTextual()) o.put("avatar_url", c.get("avatar_url").asText());
        }
        return out;
    }
}
