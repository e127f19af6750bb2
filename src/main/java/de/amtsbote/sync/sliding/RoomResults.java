package de.amtsbote.sync.sliding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.EventFilter;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomStates;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.sync.SyncToken;
import de.amtsbote.sync.TimelineWindow;
import de.amtsbote.sync.UnreadCounts;
import de.amtsbote.sync.sliding.SlidingConnection.RoomSent;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room's entry in a sliding sync response, for a room the user is or was joined to: on its first sight on
 * the connection (or after an invite turned into a join) everything (initial: true), afterwards only what
 * changed since it was last sent. Timelines come from {@link TimelineWindow} through what the user may see,
 * state from {@link RoomStates}.
 */
final class RoomResults {
    private final Timeline timeline;
    private final RoomStates states;
    private final ClientEvents events;
    private final UnreadCounts unread;

    RoomResults(Timeline timeline, RoomStates states, ClientEvents events, UnreadCounts unread) {
        this.timeline = timeline;
        this.states = states;
        this.events = events;
        this.unread = unread;
    }

    /** What the room needs, as far as the request builder knows it. */
    /** @param liveAfter events after this position are "live" (num_live); Long.MAX_VALUE on a new connection */
    record Ask(Room room, String membership, long membershipPos, SlidingRequest.RoomConfig config, RoomSent prev,
               long upTo, long liveAfter, ClientEvents.Viewer viewer, Set<String> ignored) {}

    record Result(ObjectNode body, RoomSent sent) {}

    /** The room's entry, or null if nothing changed since it was last sent. */
    Result build(Ask a) {
        Room room = a.room();
        String roomId = room.roomId();
        String me = a.viewer().userId();
        RoomSent prev = a.prev();
        boolean initial = prev == null || !"join".equals(prev.membership()) && !"leave".equals(prev.membership())
                && !"ban".equals(prev.membership());
        int limit = a.config().timelineLimit();
        boolean expanded = !initial && limit > prev.timelineLimit();
        EventStore.Counts counts = unread.get(me, roomId);
        boolean changed = initial || expanded || room.lastStreamPos() > prev.upTo() || a.membershipPos() > prev.upTo()
                || counts.notifications() != prev.notifications() || counts.highlights() != prev.highlights();
        if (!changed) return null;

        HistoryVisibility.Checker who = timeline.visibility().forUser(roomId, me);
        long from = Math.min(a.upTo(), who.readableUpTo());
        long bound = initial || expanded ? 0 : prev.upTo();
        TimelineWindow tw = TimelineWindow.paged(timeline, roomId, who, from, bound, limit, EventFilter.ALL, a.ignored());

        // State: everything asked for on first sight, afterwards what changed since the room was last sent.
        boolean joined = "join".equals(a.membership());
        Map<StateKey, StoredEvent> current = joined ? inMemoryState(room) : states.stateAfter(room, from);
        Map<StateKey, StoredEvent> candidates = initial ? current
                : states.changedBetween(roomId, prev.upTo(), from);
        RequiredState rs = a.config().requiredState();
        Set<String> lazySent = new HashSet<>(initial ? Set.of() : prev.lazyMembers());
        List<StoredEvent> state = new ArrayList<>();
        Set<String> added = new HashSet<>();
        for (Map.Entry<StateKey, StoredEvent> e : candidates.entrySet()) {
            StateKey k = e.getKey();
            boolean member = k.type().equals("m.room.member");
            // Lazy members: membership changes in a gapless sync keep the client's member cache right.
            boolean lazyDelta = rs.lazyMembers() && member && !initial && !tw.limited();
            if (rs.wants(k.type(), k.stateKey(), me) || lazyDelta) {
                state.add(e.getValue());
                added.add(e.getValue().eventId());
                if (member) lazySent.add(k.stateKey());
            }
        }
        if (rs.lazyMembers()) {
            Set<String> needed = new java.util.LinkedHashSet<>();
            for (StoredEvent e : tw.events()) {
                needed.add(e.sender());
                if (e.type().equals("m.room.member") && e.stateKey() != null) needed.add(e.stateKey());
            }
            for (String u : needed) {
                if (lazySent.contains(u)) continue;
                StoredEvent m = current.get(new StateKey("m.room.member", u));
                if (m != null && added.add(m.eventId())) state.add(m);
                lazySent.add(u);
            }
        }

        boolean countsChanged = prev != null && (counts.notifications() != prev.notifications()
                || counts.highlights() != prev.highlights());
        if (!initial && !expanded && !countsChanged && tw.events().isEmpty() && state.isEmpty()
                && a.membershipPos() <= prev.upTo()) {
            return null; // e.g. events in a room the user has left, which they may not see
        }
        ObjectNode out = Json.object();
        if (initial) out.put("initial", true);
        if (expanded) out.put("expanded_timeline", true);
        out.put("membership", a.membership());
        Map<String, StoredEvent> cache = new HashMap<>();
        ArrayNode tl = out.putArray("timeline");
        int live = 0;
        long liveAfter = prev == null ? a.liveAfter() : prev.upTo();
        for (StoredEvent e : tw.events()) {
            tl.add(events.format(e, a.viewer(), cache));
            if (e.streamPos() > liveAfter) live++;
        }
        out.put("num_live", live);
        if (tw.limited()) out.put("limited", true);
        out.put("prev_batch", SyncToken.page(tw.prevBatch()));
        ArrayNode rsOut = out.putArray("required_state");
        for (StoredEvent e : state) rsOut.add(events.format(e, a.viewer(), cache));

        boolean nameChanged = initial || state.stream().anyMatch(e -> e.type().equals("m.room.name"))
                || changedType(candidates, "m.room.name");
        boolean avatarChanged = initial || changedType(candidates, "m.room.avatar");
        boolean membersChanged = initial || changedType(candidates, "m.room.member");
        String name = content(current, "m.room.name").path("name").asText("");
        if (nameChanged) {
            if (!name.isEmpty()) out.put("name", name);
            else if (!initial) out.putNull("name");
        }
        if (avatarChanged) {
            String avatar = content(current, "m.room.avatar").path("url").asText("");
            if (!avatar.isEmpty()) out.put("avatar", avatar);
            else if (!initial) out.putNull("avatar");
        }
        if (membersChanged || nameChanged) members(out, current, me, name.isEmpty());
        out.put("notification_count", counts.notifications());
        out.put("highlight_count", counts.highlights());
        ObjectNode unreadNode = out.putObject("unread_notifications");
        unreadNode.put("notification_count", counts.notifications());
        unreadNode.put("highlight_count", counts.highlights());
        return new Result(out, new RoomSent(a.upTo(), limit, a.membership(), Set.copyOf(lazySent),
                counts.notifications(), counts.highlights()));
    }

    /** joined_count, invited_count and, for a room without a name, up to five heroes (as /sync's m.heroes). */
    private static void members(ObjectNode out, Map<StateKey, StoredEvent> current, String me, boolean withHeroes) {
        int joinedCount = 0;
        int invitedCount = 0;
        List<String> heroes = new ArrayList<>();
        for (Map.Entry<StateKey, StoredEvent> e : current.entrySet()) {
            if (!e.getKey().type().equals("m.room.member")) continue;
            String m = e.getValue().pdu().path("content").path("membership").asText();
            if (m.equals("join")) joinedCount++;
            if (m.equals("invite")) invitedCount++;
            if (!e.getKey().stateKey().equals(me) && (m.equals("join") || m.equals("invite"))) heroes.add(e.getKey().stateKey());
        }
        out.put("joined_count", joinedCount);
        out.put("invited_count", invitedCount);
        if (!withHeroes) return;
        java.util.Collections.sort(heroes);
        ArrayNode h = out.putArray("heroes");
        for (String u : heroes.stream().limit(5).toList()) {
            ObjectNode hero = h.addObject().put("user_id", u);
            JsonNode c = current.get(new StateKey("m.room.member", u)).pdu().path("content");
            if (c.path("displayname").isTextual()) hero.put("displayname", c.path("displayname").asText());
            if (c.path("avatar_url").isTextual()) hero.put("avatar_url", c.path("avatar_url").asText());
        }
    }

    private static boolean changedType(Map<StateKey, StoredEvent> changed, String type) {
        for (StateKey k : changed.keySet()) if (k.type().equals(type)) return true;
        return false;
    }

    private static JsonNode content(Map<StateKey, StoredEvent> state, String type) {
        StoredEvent e = state.get(new StateKey(type, ""));
        return e == null ? Json.object() : e.pdu().path("content");
    }

    private static Map<StateKey, StoredEvent> inMemoryState(Room room) {
        Map<StateKey, StoredEvent> out = new LinkedHashMap<>();
        room.state().forEach((k, v) -> out.put(k, RoomStates.fromState(room.roomId(), k, v)));
        return out;
    }
}
