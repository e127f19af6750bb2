package de.amtsbote.sync.sliding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Session;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.RoomStates;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.sync.Notifier;
import de.amtsbote.sync.SyncFilter;
import de.amtsbote.sync.SyncRequest;
import de.amtsbote.sync.SyncResponse;
import de.amtsbote.sync.SyncService;
import de.amtsbote.sync.SyncToken;
import de.amtsbote.sync.UnreadCounts;
import de.amtsbote.sync.sliding.SlidingConnection.RoomSent;
import de.amtsbote.sync.sliding.SlidingConnection.Snapshot;
import de.amtsbote.users.DeviceKeys;
import de.amtsbote.users.DeviceListChanges;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Simplified sliding sync (MSC4186): the rooms of the request's lists (filtered, ordered by activity, cut to
 * their ranges) and subscriptions that changed since the connection last sent them, plus the extensions. If
 * nothing changed the request waits on the {@link Notifier} like /sync does.
 */
public final class SlidingSyncService {
    /** conn_ids per device kept at most; a client opening more loses its oldest. */
    static final int MAX_CONNECTIONS_PER_DEVICE = 10;

    private final RoomService rooms;
    private final Notifier notifier;
    private final AccountDataStore accountData;
    private final RoomListOrder order;
    private final RoomResults results;
    private final SlidingExtensions extensions;
    private final Function<String, Set<String>> ignoredUsers;
    private final Predicate<Session> sessionValid;
    private final Map<String, LinkedHashMap<String, SlidingConnection>> connections = new ConcurrentHashMap<>();

    public SlidingSyncService(RoomService rooms, Timeline timeline, ClientEvents events, UnreadCounts unread,
                              Notifier notifier, AccountDataStore accountData, SyncService sync, DeviceKeys keys,
                              DeviceListChanges deviceLists, Function<String, Set<String>> ignoredUsers,
                              Predicate<Session> sessionValid) {
        this.rooms = rooms;
        this.notifier = notifier;
        this.accountData = accountData;
        this.order = new RoomListOrder(rooms, timeline);
        this.results = new RoomResults(timeline, new RoomStates(rooms, timeline.visibility()), events, unread);
        this.extensions = new SlidingExtensions(sync, keys, deviceLists);
        this.ignoredUsers = ignoredUsers;
        this.sessionValid = sessionValid;
    }

    public ObjectNode sync(Session session, SlidingRequest req, long maxTimeoutMs) throws InterruptedException {
        SlidingConnection conn;
        Snapshot prev;
        if (req.pos() == null) {
            conn = newConnection(session, req.connId());
            prev = null;
        } else {
            conn = connection(session, req.connId());
            prev = conn == null ? null : conn.presented(req.pos());
            if (prev == null) throw new MatrixException(400, "M_UNKNOWN_POS", "Unknown or expired 'pos'; start a new connection");
        }
        long timeout = prev == null || req.timeout() == null ? 0 : Math.min(req.timeout(), maxTimeoutMs);
        long deadline = System.currentTimeMillis() + timeout;
        while (true) {
            long version = notifier.version(session.userId());
            Built b = build(session, req, prev);
            long left = deadline - System.currentTimeMillis();
            if (b.content || prev == null || left <= 0) return finish(conn, b, req.txnId());
            notifier.await(session.userId(), version, left);
            if (!sessionValid.test(session)) {
                throw new MatrixException(401, "M_UNKNOWN_TOKEN", "Unknown or expired access token",
                        Json.object().put("soft_logout", false));
            }
            if (deadline - System.currentTimeMillis() <= 0) return finish(conn, build(session, req, prev), req.txnId());
        }
    }

    private static ObjectNode finish(SlidingConnection conn, Built b, String txnId) {
        b.body.put("pos", conn.issue(b.next));
        if (txnId != null) b.body.put("txn_id", txnId); // older clients match responses to requests by it
        return b.body;
    }

    private static String deviceKey(Session s) { return deviceKey(s.userId(), s.deviceId()); }

    private static String deviceKey(String userId, String deviceId) { return userId + "\u0000" + deviceId; }

    /** A deleted device's connections go with it (its token no longer works anyway; this frees the memory). */
    public void devicesDeleted(String userId, List<String> deviceIds) {
        for (String d : deviceIds) connections.remove(deviceKey(userId, d));
    }

    private SlidingConnection newConnection(Session s, String connId) {
        LinkedHashMap<String, SlidingConnection> mine = connections.computeIfAbsent(deviceKey(s), k -> new LinkedHashMap<>());
        synchronized (mine) {
            mine.remove(connId);
            SlidingConnection c = new SlidingConnection();
            mine.put(connId, c);
            while (mine.size() > MAX_CONNECTIONS_PER_DEVICE) mine.remove(mine.keySet().iterator().next());
            return c;
        }
    }

    private SlidingConnection connection(Session s, String connId) {
        LinkedHashMap<String, SlidingConnection> mine = connections.get(deviceKey(s));
        if (mine == null) return null;
        synchronized (mine) {
            return mine.get(connId);
        }
    }

    private record Built(ObjectNode body, boolean content, Snapshot next) {}

    private Built build(Session s, SlidingRequest req, Snapshot prev) {
        String user = s.userId();
        long upTo = rooms.streamPos();
        Map<String, String> memberships = rooms.membershipsOf(user);
        Set<String> ignored = ignoredUsers.apply(user);
        Map<String, RoomSent> sent = prev == null ? Map.of() : prev.rooms();
        ObjectNode body = Json.object();
        boolean content = false;

        // Which rooms the lists and subscriptions select, with their combined room configs.
        List<RoomListOrder.Entry> all = order.entries(user, memberships, sent.keySet(), upTo);
        Set<String> dms = dmRooms(user);
        Map<String, SlidingRequest.RoomConfig> configs = new LinkedHashMap<>();
        Map<String, List<String>> listsOf = new HashMap<>();
        Map<String, RoomListOrder.Entry> entries = new HashMap<>();
        for (RoomListOrder.Entry e : all) entries.put(e.room().roomId(), e);
        ObjectNode listsOut = body.putObject("lists");
        for (Map.Entry<String, SlidingRequest.ListConfig> l : req.lists().entrySet()) {
            SlidingRequest.ListConfig list = l.getValue();
            List<RoomListOrder.Entry> filtered = new ArrayList<>();
            for (RoomListOrder.Entry e : all) if (matches(list.filters(), e, dms)) filtered.add(e);
            listsOut.putObject(l.getKey()).put("count", filtered.size());
            for (int i = 0; i < filtered.size(); i++) {
                if (!list.inRange(i)) continue;
                String roomId = filtered.get(i).room().roomId();
                configs.merge(roomId, list.config(), SlidingRequest.RoomConfig::union);
                listsOf.computeIfAbsent(roomId, k -> new ArrayList<>()).add(l.getKey());
            }
        }
        Map<String, SlidingRequest.RoomConfig> subscriptions = new LinkedHashMap<>(prev == null ? Map.of() : prev.subscriptions());
        subscriptions.putAll(req.subscriptions());
        req.unsubscribe().forEach(subscriptions::remove);
        if (subscriptions.size() > SlidingRequest.MAX_SUBSCRIPTIONS) {
            throw MatrixException.invalidParam("At most " + SlidingRequest.MAX_SUBSCRIPTIONS + " room subscriptions");
        }
        for (Map.Entry<String, SlidingRequest.RoomConfig> sub : subscriptions.entrySet()) {
            // Rooms the user may not see (never a member) or that do not exist are ignored, as the MSC says.
            if (!entries.containsKey(sub.getKey()) && !sent.containsKey(sub.getKey())) continue;
            configs.merge(sub.getKey(), sub.getValue(), SlidingRequest.RoomConfig::union);
        }

        Map<String, RoomSent> nextSent = new HashMap<>(sent);
        ObjectNode roomsOut = body.putObject("rooms");
        ObjectNode invites = null;
        ClientEvents.Viewer viewer = new ClientEvents.Viewer(user, s.deviceId());
        for (Map.Entry<String, SlidingRequest.RoomConfig> c : configs.entrySet()) {
            String roomId = c.getKey();
            RoomListOrder.Entry e = entries.get(roomId);
            Room room = rooms.room(roomId);
            String membership = memberships.get(roomId);
            if (room == null || membership == null) continue;
            if (!Set.of("join", "leave", "ban", "invite", "knock").contains(membership)) continue;
            long mpos = rooms.membershipPos(user, roomId);
            long bump = e != null ? e.bumpStamp() : mpos;
            RoomSent before = sent.get(roomId);
            ObjectNode r;
            if (membership.equals("invite") || membership.equals("knock")) {
                if (before != null && before.membership().equals(membership) && mpos <= before.upTo()) continue;
                if (invites == null) invites = invites(s, memberships, ignored, upTo);
                JsonNode stripped = invites.path(roomId).path("invite_state").path("events");
                if (membership.equals("invite") && !stripped.isArray()) continue; // e.g. from an ignored user
                r = Json.object();
                r.put("initial", true);
                r.put("membership", membership);
                ArrayNode st = stripped.isArray() ? ((ArrayNode) stripped).deepCopy() : Json.array();
                r.set("invite_state", st);
                r.set("stripped_state", st.deepCopy());
                nextSent.put(roomId, new RoomSent(upTo, c.getValue().timelineLimit(), membership, Set.of(), 0, 0));
            } else {
                var res = results.build(new RoomResults.Ask(room, membership, mpos, c.getValue(), before, upTo,
                        prev == null ? Long.MAX_VALUE : prev.token().pos(), viewer, ignored));
                if (res == null) continue;
                r = res.body();
                nextSent.put(roomId, res.sent());
            }
            r.put("bump_stamp", bump);
            if (dms.contains(roomId) && (before == null || r.path("initial").asBoolean())) r.put("is_dm", true);
            List<String> ls = listsOf.get(roomId);
            if (ls != null) {
                ArrayNode la = r.putArray("lists");
                ls.forEach(la::add);
            }
            roomsOut.set(roomId, r);
            content = true;
        }

        // Extensions continue from the connection's classic position; a request without extensions keeps them.
        // (The to-device since token is not kept: the connection's own position carries on from it.)
        SlidingRequest.Extensions ext = req.extensionsGiven() || prev == null ? req.extensions()
                : prev.extensions().withoutSince();
        SyncToken since = prev == null ? null : prev.token();
        Long toDeviceSince = ext.toDeviceSince() == null ? null : parseToDeviceSince(ext.toDeviceSince());
        SyncRequest classic = new SyncRequest(s, since, SyncFilter.DEFAULT, false, upTo, memberships, ignored);
        SlidingExtensions.Out x = extensions.build(ext, classic, toDeviceSince,
                prev == null ? Map.of() : prev.oneTimeKeyCounts());
        body.set("extensions", x.body());
        content |= x.content();
        SyncToken token = x.token();
        return new Built(body, content, new Snapshot(token, Map.copyOf(nextSent), ext, x.oneTimeKeyCounts(),
                Map.copyOf(subscriptions)));
    }

    private static long parseToDeviceSince(String since) {
        try {
            long v = Long.parseLong(since);
            if (v >= 0) return v;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw MatrixException.invalidParam("Invalid to_device 'since' token");
    }

    /** The classic invite stream's rooms.invite section: stripped state, invites from ignored users hidden. */
    private ObjectNode invites(Session s, Map<String, String> memberships, Set<String> ignored, long upTo) {
        SyncRequest r = new SyncRequest(s, null, SyncFilter.DEFAULT, false, upTo, memberships, ignored);
        SyncResponse resp = new SyncResponse();
        extensionsSync().stream("invite").initial(r, resp);
        return resp.inviteSection();
    }

    private SyncService extensionsSync() { return extensions.sync(); }

    private Set<String> dmRooms(String user) {
        Set<String> out = new HashSet<>();
        accountData.get(user, "", "m.direct").ifPresent(d -> d.forEach(ids -> ids.forEach(id -> out.add(id.asText()))));
        return out;
    }

    private static boolean matches(SlidingRequest.Filters f, RoomListOrder.Entry e, Set<String> dms) {
        String roomId = e.room().roomId();
        if (f.isDm() != null && f.isDm() != dms.contains(roomId)) return false;
        if (f.isInvited() != null && f.isInvited() != e.membership().equals("invite")) return false;
        if (f.isEncrypted() != null && f.isEncrypted() != (e.room().stateEvent("m.room.encryption", "") != null)) return false;
        if (f.roomTypes() != null || f.notRoomTypes() != null) {
            JsonNode create = e.room().stateContent("m.room.create", "");
            String type = create == null || !create.path("type").isTextual() ? null : create.path("type").asText();
            if (f.notRoomTypes() != null && f.notRoomTypes().contains(type)) return false;
            if (f.roomTypes() != null && !f.roomTypes().contains(type)) return false;
        }
        return true;
    }
}
