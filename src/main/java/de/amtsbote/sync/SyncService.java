package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.Session;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.storage.ReceiptStore;
import de.amtsbote.storage.ToDeviceStore;
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
 * GET /sync: what changed for a user since their token, or everything they need on first start. If nothing
 * changed, the request waits (long-poll) until the {@link Notifier} says something concerning the user was
 * committed, or the timeout passes.
 */
public final class SyncService {
    private static final Set<String> INVITE_STATE_TYPES = Set.of("m.room.create", "m.room.join_rules", "m.room.name",
            "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic");

    private final RoomService rooms;
    private final ClientEvents events;
    private final Timeline timeline;
    private final Notifier notifier;
    private final Typing typing;
    private final Receipts receipts;
    private final UnreadCounts unread;
    private final AccountDataStore accountData;
    private final ToDeviceStore toDevice;
    private final java.util.function.Function<String, ObjectNode> pushRules;
    private java.util.function.Predicate<Session> sessionValid = s -> true;

    /** How a waiting /sync checks that its session was not revoked meanwhile. */
    public void setSessionCheck(java.util.function.Predicate<Session> check) { this.sessionValid = check; }

    public SyncService(RoomService rooms, ClientEvents events, Timeline timeline, Notifier notifier, Typing typing,
                       Receipts receipts, UnreadCounts unread, AccountDataStore accountData, ToDeviceStore toDevice,
                       java.util.function.Function<String, ObjectNode> pushRules) {
        this.pushRules = pushRules;
        this.rooms = rooms;
        this.events = events;
        this.timeline = timeline;
        this.notifier = notifier;
        this.typing = typing;
        this.receipts = receipts;
        this.unread = unread;
        this.accountData = accountData;
        this.toDevice = toDevice;
    }

    public ObjectNode sync(Session session, SyncToken since, SyncFilter filter, long timeoutMs, boolean fullState)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        if (since != null) toDevice.acknowledge(session.userId(), session.deviceId(), since.pos());
        while (true) {
            long version = notifier.version(session.userId());
            Built b = build(session, since, filter, fullState);
            long left = deadline - System.currentTimeMillis();
            if (b.hasContent || since == null || fullState || left <= 0) return b.body;
            notifier.await(session.userId(), version, left);
            // Signed out elsewhere (or by the admin) while waiting: answer as for any revoked token.
            if (!sessionValid.test(session)) {
                throw new de.amtsbote.http.MatrixException(401, "M_UNKNOWN_TOKEN", "Unknown or expired access token",
                        Json.object().put("soft_logout", false));
            }
            if (deadline - System.currentTimeMillis() <= 0) {
                // Timed out: one last look, then answer (possibly empty) with an advanced token.
                return build(session, since, filter, fullState).body;
            }
        }
    }

    private record Built(ObjectNode body, boolean hasContent) {}

    private Built build(Session s, SyncToken since, SyncFilter filter, boolean fullState) {
        long upTo = rooms.streamPos();
        long typingSerial = typing.serial();
        long sincePos = since == null ? 0 : since.pos();
        boolean initial = since == null;
        ClientEvents.Viewer viewer = new ClientEvents.Viewer(s.userId(), s.deviceId());
        ObjectNode body = Json.object();
        body.put("next_batch", new SyncToken(upTo, typingSerial).format());
        boolean content = false;

        // Account data: global and per room, changed since the token.
        List<AccountDataStore.Item> ad = initial ? accountData.since(s.userId(), 0, upTo)
                : accountData.since(s.userId(), sincePos, upTo);
        Map<String, List<AccountDataStore.Item>> roomAd = new HashMap<>();
        ArrayNode globalAd = Json.array();
        boolean pushRulesSent = false;
        for (AccountDataStore.Item item : ad) {
            if (item.roomId().isEmpty() && item.type().equals("m.push_rules")) {
                // Always the live rule set (server defaults may have changed since the copy was stored).
                pushRulesSent = true;
                if (filter.accountData().matchesType(item.type())) {
                    globalAd.add(Json.object().put("type", "m.push_rules").set("content", pushRules.apply(s.userId())));
                }
            } else if (item.roomId().isEmpty()) {
                if (filter.accountData().matchesType(item.type())) globalAd.add(accountDataEvent(item));
            } else {
                roomAd.computeIfAbsent(item.roomId(), k -> new ArrayList<>()).add(item);
            }
        }
        if (initial && !pushRulesSent && filter.accountData().matchesType("m.push_rules")) {
            globalAd.add(Json.object().put("type", "m.push_rules").set("content", pushRules.apply(s.userId())));
        }
        ObjectNode ado = body.putObject("account_data");
        ado.set("events", globalAd);
        content |= !globalAd.isEmpty();

        ObjectNode roomsNode = body.putObject("rooms");
        ObjectNode join = roomsNode.putObject("join");
        ObjectNode invite = roomsNode.putObject("invite");
        ObjectNode leave = roomsNode.putObject("leave");
        roomsNode.putObject("knock");
        for (Map.Entry<String, String> m : rooms.membershipsOf(s.userId()).entrySet()) {
            String roomId = m.getKey();
            if (!filter.rooms().matchesRoom(roomId)) continue;
            Room room = rooms.room(roomId);
            if (room == null) continue;
            switch (m.getValue()) {
                case "join" -> {
                    ObjectNode r = joinedRoom(s, viewer, room, since, upTo, typingSerial, filter, fullState,
                            roomAd.getOrDefault(roomId, List.of()));
                    if (r != null) {
                        join.set(roomId, r);
                        content = true;
                    }
                }
                case "invite" -> {
                    ObjectNode r = invitedRoom(s, room, sincePos, initial);
                    if (r != null) {
                        invite.set(roomId, r);
                        content = true;
                    }
                }
                case "leave", "ban" -> {
                    if (initial && !filter.includeLeave()) continue;
                    ObjectNode r = leftRoom(s, viewer, room, sincePos, upTo, filter);
                    if (r != null) {
                        leave.set(roomId, r);
                        content = true;
                    }
                }
                default -> { }
            }
        }

        ArrayNode toDev = body.putObject("to_device").putArray("events");
        for (ToDeviceStore.Message msg : toDevice.pending(s.userId(), s.deviceId(), upTo, 100)) {
            ObjectNode e = toDev.addObject();
            e.put("sender", msg.sender());
            e.put("type", msg.type());
            e.set("content", msg.content());
        }
        content |= !toDev.isEmpty();
        body.putObject("presence").putArray("events");
        if (!initial) pruneEmpty(body);
        return new Built(body, content);
    }

    /**
     * Incremental responses leave out empty sections (the spec makes them optional): a busy room sends one
     * response per message to every member, and most of each would otherwise be empty lists.
     */
    private static void pruneEmpty(ObjectNode node) {
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() instanceof ObjectNode child) {
                if (e.getKey().equals("unread_notifications") || e.getKey().equals("timeline")
                        || e.getKey().equals("summary")) {
                    continue;
                }
                pruneEmpty(child);
                if (child.isEmpty()) it.remove();
            } else if (e.getValue().isArray() && e.getValue().isEmpty() && e.getKey().equals("events")) {
                it.remove();
            }
        }
    }

    private static ObjectNode accountDataEvent(AccountDataStore.Item item) {
        ObjectNode e = Json.object();
        e.put("type", item.type());
        e.set("content", item.content());
        return e;
    }

    private ObjectNode joinedRoom(Session s, ClientEvents.Viewer viewer, Room room, SyncToken since, long upTo,
                                  long typingSerial, SyncFilter filter, boolean fullState,
                                  List<AccountDataStore.Item> roomAd) {
        String roomId = room.roomId();
        long sincePos = since == null ? 0 : since.pos();
        boolean newEvents = since == null || room.lastStreamPos() > sincePos;
        boolean typingChanged = since == null || typing.changedSince(roomId, since.typing());
        boolean newReceipts = since == null || receipts.lastPos(roomId) > sincePos;
        if (!newEvents && !typingChanged && !newReceipts && roomAd.isEmpty() && !fullState) return null;

        ObjectNode out = Json.object();
        int limit = filter.timelineLimit();
        List<StoredEvent> tl = List.of();
        boolean limited = false;
        long prevBatch = upTo;
        boolean fresh = since == null || fullState;
        if (newEvents || fullState) {
            List<StoredEvent> cached = since == null ? null : room.recent().between(sincePos, upTo);
            boolean steadyMember = cached != null && joinedBefore(room, s.userId(), cached, sincePos);
            if (steadyMember && cached.size() <= limit && filter.timeline().isUnfiltered() && !fullState) {
                tl = cached;
                prevBatch = cached.isEmpty() ? upTo : cached.getFirst().streamPos() - 1;
            } else {
                HistoryVisibility.Checker who = timeline.visibility().forUser(roomId, s.userId());
                long from = Math.min(upTo, who.readableUpTo());
                Timeline.Page page = timeline.page(roomId, who, from, fresh ? 0 : sincePos, true, limit, filter.timeline());
                tl = new ArrayList<>(page.events());
                Collections.reverse(tl);
                limited = !page.exhausted();
                prevBatch = page.scannedTo();
                // Joined since the token: the client has never seen this room, so it gets the full state.
                if (!fresh && joinedAfter(tl, s.userId(), sincePos, room)) fresh = true;
            }
        }
        ObjectNode tlNode = out.putObject("timeline");
        ArrayNode tlEvents = tlNode.putArray("events");
        Map<String, StoredEvent> cache = new HashMap<>();
        Set<String> inTimeline = new HashSet<>();
        for (StoredEvent e : tl) {
            tlEvents.add(events.format(e, viewer, cache));
            inTimeline.add(e.eventId());
        }
        tlNode.put("limited", limited);
        tlNode.put("prev_batch", SyncToken.page(prevBatch));

        // State: everything before the timeline on first sight; otherwise what changed in a gap we skipped.
        ArrayNode state = out.putObject("state").putArray("events");
        boolean lazy = filter.state().lazyLoadMembers();
        Set<String> senders = new LinkedHashSet<>();
        for (StoredEvent e : tl) senders.add(e.sender());
        senders.add(s.userId());
        if (fresh) {
            for (Map.Entry<StateKey, Room.StateEntry> e : room.state().entrySet()) {
                if (inTimeline.contains(e.getValue().eventId())) continue;
                if (!filter.state().matchesType(e.getKey().type())) continue;
                if (lazy && e.getKey().type().equals("m.room.member") && !senders.contains(e.getKey().stateKey())) continue;
                state.add(events.format(fromState(roomId, e.getKey(), e.getValue()), viewer, cache));
            }
        } else {
            if (limited) {
                Map<StateKey, StoredEvent> gap = new HashMap<>();
                for (StoredEvent e : rooms.store().roomEvents(roomId, sincePos, prevBatch, 10_000, false)) {
                    if (e.stateKey() != null) gap.put(new StateKey(e.type(), e.stateKey()), e);
                }
                for (StoredEvent e : gap.values()) {
                    if (filter.state().matchesType(e.type())) state.add(events.format(e, viewer, cache));
                }
            }
            if (lazy) {
                for (String sender : senders) {
                    Room.StateEntry m = room.state().get(new StateKey("m.room.member", sender));
                    if (m != null && !inTimeline.contains(m.eventId())) {
                        state.add(events.format(fromState(roomId, new StateKey("m.room.member", sender), m), viewer, cache));
                    }
                }
            }
        }

        // Ephemeral: typing and receipts.
        ArrayNode eph = out.putObject("ephemeral").putArray("events");
        if (typingChanged) {
            ObjectNode t = eph.addObject();
            t.put("type", "m.typing");
            ArrayNode ids = t.putObject("content").putArray("user_ids");
            typing.typingUsers(roomId).forEach(ids::add);
        }
        if (newReceipts) {
            List<ReceiptStore.Receipt> list = receipts.since(roomId, since == null ? 0 : sincePos, upTo);
            ObjectNode rc = Json.object();
            for (ReceiptStore.Receipt r : list) {
                if (r.type().equals("m.read.private") && !r.userId().equals(s.userId())) continue;
                if (r.type().equals("m.fully_read")) continue;
                ObjectNode byType = rc.has(r.eventId()) ? (ObjectNode) rc.get(r.eventId()) : rc.putObject(r.eventId());
                ObjectNode users = byType.has(r.type()) ? (ObjectNode) byType.get(r.type()) : byType.putObject(r.type());
                ObjectNode info = users.putObject(r.userId());
                info.put("ts", r.ts());
                if (!r.threadId().isEmpty()) info.put("thread_id", r.threadId());
            }
            if (!rc.isEmpty()) {
                ObjectNode ev = eph.addObject();
                ev.put("type", "m.receipt");
                ev.set("content", rc);
            }
        }
        ArrayNode radNode = out.putObject("account_data").putArray("events");
        for (AccountDataStore.Item item : roomAd) {
            if (filter.roomAccountData().matchesType(item.type())) radNode.add(accountDataEvent(item));
        }

        EventStore.Counts counts = unread.get(s.userId(), roomId);
        ObjectNode un = out.putObject("unread_notifications");
        un.put("notification_count", counts.notifications());
        un.put("highlight_count", counts.highlights());

        boolean membersChanged = fresh || tl.stream().anyMatch(e -> e.type().equals("m.room.member"));
        if (membersChanged) out.set("summary", summary(room, s.userId()));
        if (!fresh && tl.isEmpty() && eph.isEmpty() && radNode.isEmpty() && state.isEmpty()) return null;
        return out;
    }

    /** True if the user's current membership predates everything after sincePos (so all new events are visible). */
    private static boolean joinedBefore(Room room, String userId, List<StoredEvent> newEvents, long sincePos) {
        for (StoredEvent e : newEvents) {
            if (e.type().equals("m.room.member") && userId.equals(e.stateKey())) return false;
        }
        return true;
    }

    private boolean joinedAfter(List<StoredEvent> tl, String userId, long sincePos, Room room) {
        for (StoredEvent e : tl) {
            if (e.type().equals("m.room.member") && userId.equals(e.stateKey())
                    && "join".equals(e.pdu().path("content").path("membership").asText())) {
                String prev = e.pdu().path("unsigned").path("prev_content").path("membership").asText("");
                if (!prev.equals("join")) return true;
            }
        }
        return false;
    }

    private static StoredEvent fromState(String roomId, StateKey k, Room.StateEntry entry) {
        return new StoredEvent(0, entry.eventId(), roomId, k.type(), k.stateKey(),
                entry.pdu().path("sender").asText(), null, null, null, entry.pdu());
    }

    private ObjectNode summary(Room room, String userId) {
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

    private ObjectNode invitedRoom(Session s, Room room, long sincePos, boolean initial) {
        Room.StateEntry me = room.state().get(new StateKey("m.room.member", s.userId()));
        if (me == null) return null;
        if (!initial && rooms.membershipPos(s.userId(), room.roomId()) <= sincePos) return null;
        ObjectNode out = Json.object();
        ArrayNode ev = out.putObject("invite_state").putArray("events");
        room.state().forEach((k, v) -> {
            if (INVITE_STATE_TYPES.contains(k.type())) ev.add(ClientEvents.stripped(v.pdu()));
        });
        String inviter = me.pdu().path("sender").asText();
        Room.StateEntry inviterMember = room.state().get(new StateKey("m.room.member", inviter));
        if (inviterMember != null && !inviter.equals(s.userId())) ev.add(ClientEvents.stripped(inviterMember.pdu()));
        ObjectNode invite = ClientEvents.stripped(me.pdu());
        invite.put("event_id", me.eventId());
        invite.put("origin_server_ts", me.pdu().path("origin_server_ts").asLong());
        ev.add(invite);
        return out;
    }

    private ObjectNode leftRoom(Session s, ClientEvents.Viewer viewer, Room room, long sincePos, long upTo, SyncFilter filter) {
        if (sincePos != 0 && rooms.membershipPos(s.userId(), room.roomId()) <= sincePos) return null;
        HistoryVisibility.Checker who = timeline.visibility().forUser(room.roomId(), s.userId());
        long leftAt = who.readableUpTo();
        if (leftAt <= sincePos && sincePos != 0) return null;
        long to = Math.min(leftAt, upTo);
        Timeline.Page page = timeline.page(room.roomId(), who, to, sincePos, true, filter.timelineLimit(), filter.timeline());
        List<StoredEvent> tl = new ArrayList<>(page.events());
        Collections.reverse(tl);
        ObjectNode out = Json.object();
        ObjectNode tlNode = out.putObject("timeline");
        ArrayNode evs = tlNode.putArray("events");
        Map<String, StoredEvent> cache = new HashMap<>();
        for (StoredEvent e : tl) evs.add(events.format(e, viewer, cache));
        tlNode.put("limited", !page.exhausted());
        tlNode.put("prev_batch", SyncToken.page(page.scannedTo()));
        out.putObject("state").putArray("events");
        out.putObject("account_data").putArray("events");
        return out;
    }
}
