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
import de.amtsbote.rooms.RoomStates;
import de.amtsbote.rooms.RoomUpgrader;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.sync.SyncToken;
import de.amtsbote.util.Json;
import java.util.HashMap;
import java.util.HashSet;
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
    private final RoomStates states;
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
        this.states = new RoomStates(rooms, timeline.visibility());
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
            EventDraft.Txn txn = new EventDraft.Txn(req.userId(), req.session().deviceId(),
                    "/rooms/" + req.path("roomId") + "/send/" + req.path("eventType"), req.path("txnId"));
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
            EventDraft.Txn txn = new EventDraft.Txn(req.userId(), req.session().deviceId(),
                    "/rooms/" + req.path("roomId") + "/redact/" + req.path("eventId"), req.path("txnId"));
            String id = actions.redact(req.userId(), req.path("roomId"), req.path("eventId"),
                    JsonFields.optString(req.jsonOrEmpty(), "reason"), txn);
            return Json.object().put("event_id", id);
        });
        RoomUpgrader upgrader = new RoomUpgrader(actions);
        r.client("POST", "/rooms/{roomId}/upgrade", USER, req -> Json.object().put("replacement_room",
                upgrader.upgrade(req.userId(), req.path("roomId"), JsonFields.string(req.json(), "new_version"))));
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

    /** The state the user may see now (as of their leave if they left); 403 if none. */
    private Map<StateKey, StoredEvent> visibleState(Req req, long at) {
        return states.stateAt(req.path("roomId"), at, req.userId())
                .orElseThrow(() -> MatrixException.forbidden("You have not joined this room"));
    }

    private Object allState(Req req) {
        ArrayNode out = Json.array();
        for (StoredEvent e : visibleState(req, Long.MAX_VALUE).values()) out.add(events.format(e, viewer(req)));
        return out;
    }

    private Object getState(Req req, String stateKey) {
        StoredEvent e = visibleState(req, Long.MAX_VALUE).get(new StateKey(req.path("eventType"), stateKey));
        if (e == null) throw MatrixException.notFound("No such state event");
        ObjectNode formatted = events.format(e, viewer(req));
        if ("event".equals(req.query("format"))) return formatted;
        return formatted.get("content");
    }

    private static ClientEvents.Viewer viewer(Req req) {
        return new ClientEvents.Viewer(req.userId(), req.session().deviceId());
    }

    private HistoryVisibility.Checker readable(Req req, String roomId) {
        return states.reader(roomId, req.userId());
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
        if (filter.lazyLoadMembers()) addMemberState(out, roomId, page.events(), who, req);
        return out;
    }

    /**
     * Lazy loading: the member events of the chunk's senders, as of the chunk's newest event and as far as the
     * user may see (never member changes made after they left).
     */
    private void addMemberState(ObjectNode out, String roomId, List<StoredEvent> list, HistoryVisibility.Checker who,
                                Req req) {
        Set<String> senders = new LinkedHashSet<>();
        long newest = Long.MIN_VALUE;
        for (StoredEvent e : list) {
            senders.add(e.sender());
            newest = Math.max(newest, e.streamPos());
        }
        ArrayNode state = out.putArray("state");
        if (list.isEmpty()) return;
        Map<StateKey, StoredEvent> at = states.stateAt(roomId, newest, who).orElse(Map.of());
        for (String s : senders) {
            StoredEvent m = at.get(new StateKey("m.room.member", s));
            if (m != null) state.add(events.format(m, viewer(req)));
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
        // The state at the last event returned (spec), as far as this user may see it: never the current
        // state for a user who left, was kicked or banned, or is only invited.
        StoredEvent last = a.events().isEmpty() ? target.get() : a.events().getLast();
        Set<String> lazyMembers = new HashSet<>();
        if (filter.lazyLoadMembers()) {
            lazyMembers.add(target.get().sender());
            for (StoredEvent e : b.events()) lazyMembers.add(e.sender());
            for (StoredEvent e : a.events()) lazyMembers.add(e.sender());
        }
        ArrayNode state = out.putArray("state");
        for (StoredEvent e : states.stateAt(roomId, last, who).orElse(Map.of()).values()) {
            // Lazy loading: only the members who sent one of the returned events.
            if (filter.lazyLoadMembers() && e.type().equals("m.room.member") && !lazyMembers.contains(e.stateKey())) continue;
            state.add(events.format(e, viewer(req), cache));
        }
        return out;
    }

    private static final Set<String> MEMBERSHIPS = Set.of("join", "invite", "knock", "leave", "ban");

    private Object members(Req req) {
        String membership = req.query("membership");
        String notMembership = req.query("not_membership");
        if ((membership != null && !MEMBERSHIPS.contains(membership))
                || (notMembership != null && !MEMBERSHIPS.contains(notMembership))) {
            throw MatrixException.invalidParam("Unknown membership");
        }
        String at = req.query("at");
        ArrayNode chunk = Json.array();
        for (var entry : visibleState(req, at == null ? Long.MAX_VALUE : SyncToken.position(at)).entrySet()) {
            if (!entry.getKey().type().equals("m.room.member")) continue;
            StoredEvent e = entry.getValue();
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
        Room room = rooms.requireJoined(req.path("roomId"), req.userId());
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
