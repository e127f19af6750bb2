package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Timeline and state of the rooms the user is joined to (rooms.join), plus unread counts and the summary.
 * A room the client has not seen yet (first sync, full_state, or joined since the token) comes like in a first
 * sync: the newest visible events and the full state at the start of the timeline. Otherwise the new events,
 * and, when the timeline skips some (limited), the state that changed in the gap.
 */
final class JoinedRoomsStream implements SyncStream {
    private final RoomService rooms;
    private final Timeline timeline;
    private final SyncEventFormat format;
    private final RoomStateSection stateSection;
    private final UnreadCounts unread;
    private final LazyMembersSent lazySent = new LazyMembersSent();

    JoinedRoomsStream(RoomService rooms, Timeline timeline, SyncEventFormat format, RoomStateSection stateSection,
                      UnreadCounts unread) {
        this.rooms = rooms;
        this.timeline = timeline;
        this.format = format;
        this.stateSection = stateSection;
        this.unread = unread;
    }

    @Override
    public void advance(SyncRequest req, SyncResponse resp) { resp.advancePos(req.upTo()); }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) {
        lazySent.reset(req.userId(), req.session().deviceId());
        return all(req, resp);
    }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) { return all(req, resp); }

    private boolean all(SyncRequest req, SyncResponse resp) {
        boolean content = false;
        for (String roomId : req.joinedRooms()) {
            Room room = rooms.room(roomId);
            if (room != null) content |= room(req, resp, room);
        }
        return content;
    }

    /** Adds one room; true if it had anything to say. */
    boolean room(SyncRequest req, SyncResponse resp, Room room) {
        String roomId = room.roomId();
        String user = req.userId();
        long sincePos = req.sincePos();
        long upTo = req.upTo();
        SyncFilter filter = req.filter();
        if (!req.initial() && !req.fullState() && room.lastStreamPos() <= sincePos) return false;

        // Steady: the user's membership did not change since the token, so every new event is visible.
        boolean steady = !req.initial() && rooms.membershipPos(user, roomId) <= sincePos;
        boolean joinedInWindow = !req.initial() && !steady && !wasJoinedAt(roomId, user, sincePos);
        boolean fresh = req.initial() || req.fullState() || joinedInWindow;
        int limit = filter.timelineLimit();
        boolean unfiltered = filter.timeline().isUnfiltered();

        TimelineWindow tw = null;
        if (steady && !fresh && unfiltered) {
            List<StoredEvent> cached = room.recent().between(sincePos, upTo);
            if (cached != null && cached.size() <= limit) tw = TimelineWindow.ofCached(cached, upTo, req.ignored());
        }
        long from = upTo;
        if (tw == null) {
            HistoryVisibility.Checker who = steady && !fresh ? null : timeline.visibility().forUser(roomId, user);
            if (who != null) from = Math.min(upTo, who.readableUpTo());
            tw = TimelineWindow.paged(timeline, roomId, who, from, fresh ? 0 : sincePos, limit, filter.timeline(),
                    req.ignored());
        }

        // State. A filtered timeline may have left out state events anywhere in the window, so its state runs
        // to the end of the window (the timeline's own events are not repeated).
        long stateTo = unfiltered ? tw.start() : from;
        Map<StateKey, StoredEvent> stateMap;
        if (fresh) stateMap = stateSection.syncStateAt(room, stateTo);
        else if (tw.limited() || !unfiltered) stateMap = stateSection.changedBetween(roomId, sincePos, stateTo);
        else stateMap = Map.of();

        Set<String> inTimeline = new HashSet<>();
        Set<String> senders = new LinkedHashSet<>();
        for (StoredEvent e : tw.events()) {
            inTimeline.add(e.eventId());
            senders.add(e.sender());
        }
        if (fresh) senders.add(user);
        boolean lazy = filter.state().lazyLoadMembers();
        boolean redundant = filter.state().includeRedundantMembers();
        String device = req.session().deviceId();

        List<StoredEvent> state = new ArrayList<>();
        for (Map.Entry<StateKey, StoredEvent> e : stateMap.entrySet()) {
            StoredEvent ev = e.getValue();
            if (inTimeline.contains(ev.eventId()) || !filter.state().matchesType(ev.type())) continue;
            // Lazy loading on a room's first sight: only the members the timeline needs.
            if (lazy && fresh && ev.type().equals("m.room.member") && !senders.contains(ev.stateKey())) continue;
            state.add(ev);
        }
        if (lazy && !fresh) {
            Set<String> inState = new HashSet<>();
            for (StoredEvent ev : state) if (ev.type().equals("m.room.member")) inState.add(ev.stateKey());
            for (String sender : senders) {
                if (inState.contains(sender)) continue;
                StateKey k = new StateKey("m.room.member", sender);
                Room.StateEntry m = room.state().get(k);
                if (m != null && !inTimeline.contains(m.eventId())) state.add(RoomStateSection.fromState(roomId, k, m));
            }
        }
        if (lazy && !redundant) {
            List<StoredEvent> kept = new ArrayList<>();
            for (StoredEvent ev : state) {
                if (ev.type().equals("m.room.member")) {
                    if (lazySent.alreadySent(user, device, roomId, ev.stateKey(), ev.eventId())) continue;
                    lazySent.record(user, device, roomId, ev.stateKey(), ev.eventId());
                }
                kept.add(ev);
            }
            for (StoredEvent ev : tw.events()) {
                if (ev.type().equals("m.room.member")) lazySent.record(user, device, roomId, ev.stateKey(), ev.eventId());
            }
            state = kept;
        }

        if (!fresh && tw.events().isEmpty() && state.isEmpty() && !tw.limited()) return false;

        ObjectNode out = resp.joined(roomId);
        Map<String, StoredEvent> cache = new HashMap<>();
        ObjectNode tlNode = out.putObject("timeline");
        ArrayNode tlEvents = tlNode.putArray("events");
        for (StoredEvent e : tw.events()) tlEvents.add(format.format(req, room, e, cache));
        tlNode.put("limited", tw.limited());
        tlNode.put("prev_batch", SyncToken.page(tw.prevBatch()));
        ArrayNode stateEvents = out.putObject("state").putArray("events");
        for (StoredEvent e : state) stateEvents.add(format.format(req, room, e, cache));

        EventStore.Counts counts = unread.get(user, roomId);
        ObjectNode un = out.putObject("unread_notifications");
        un.put("notification_count", counts.notifications());
        un.put("highlight_count", counts.highlights());
        boolean membersChanged = fresh || tw.events().stream().anyMatch(e -> e.type().equals("m.room.member"))
                || state.stream().anyMatch(e -> e.type().equals("m.room.member"));
        if (membersChanged) out.set("summary", summary(room, user));
        return true;
    }

    /** Whether the user was joined just after stream position pos (read only when their membership changed). */
    private boolean wasJoinedAt(String roomId, String userId, long pos) {
        String m = null;
        for (StoredEvent e : rooms.store().stateHistory(roomId, "m.room.member", userId)) {
            if (e.streamPos() > pos) break;
            m = e.pdu().path("content").path("membership").asText();
        }
        return "join".equals(m);
    }

    private static ObjectNode summary(Room room, String userId) {
        ObjectNode sum = Json.object();
        int joined = 0;
        int invited = 0;
        List<String> heroes = new ArrayList<>();
        for (Map.Entry<String, String> m : room.memberships().entrySet()) {
            if (m.getValue().equals("join")) joined++;
            if (m.getValue().equals("invite")) invited++;
            if (!m.getKey().equals(userId) && (m.getValue().equals("join") || m.getValue().equals("invite"))) {
                heroes.add(m.getKey());
            }
        }
        Collections.sort(heroes);
        ArrayNode h = sum.putArray("m.heroes");
        heroes.stream().limit(5).forEach(h::add);
        sum.put("m.joined_member_count", joined);
        sum.put("m.invited_member_count", invited);
        return sum;
    }
}
