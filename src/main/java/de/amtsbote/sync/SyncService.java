package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.Session;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.RoomStates;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.ToDeviceStore;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * GET /sync: what changed for a user since their token, or everything they need on first start, put together
 * from one {@link SyncStream} per kind of data. If nothing changed, the request waits (long-poll) until the
 * {@link Notifier} says something concerning the user was committed, or the timeout passes.
 */
public final class SyncService {
    private final RoomService rooms;
    private final Notifier notifier;
    private final UnreadCounts unread;
    private final List<SyncStream> streams = new ArrayList<>();
    private final java.util.Map<String, SyncStream> byKind = new java.util.HashMap<>();
    private Function<String, Set<String>> ignoredUsers = u -> Set.of();
    private Predicate<Session> sessionValid = s -> true;

    /** How a waiting /sync checks that its session was not revoked meanwhile. */
    public void setSessionCheck(Predicate<Session> check) { this.sessionValid = check; }

    /** Whose events and invites each user does not want to see (m.ignored_user_list). */
    public void setIgnoredUsers(Function<String, Set<String>> ignored) { this.ignoredUsers = ignored; }

    public SyncService(RoomService rooms, ClientEvents events, Timeline timeline, Notifier notifier, Typing typing,
                       Receipts receipts, UnreadCounts unread, AccountDataStore accountData, ToDeviceStore toDevice,
                       Function<String, ObjectNode> pushRules) {
        this.rooms = rooms;
        this.notifier = notifier;
        this.unread = unread;
        SyncEventFormat format = new SyncEventFormat(events);
        streams.add(new JoinedRoomsStream(rooms, timeline, format, new RoomStateSection(new RoomStates(rooms, timeline.visibility())), unread));
        streams.add(kind("invite", new InvitedRoomsStream(rooms)));
        streams.add(new LeftRoomsStream(rooms, timeline, format));
        streams.add(kind("account_data", new AccountDataStream(accountData, pushRules)));
        streams.add(kind("receipts", new ReceiptsStream(receipts)));
        streams.add(kind("typing", new TypingStream(typing)));
        streams.add(kind("to_device", new ToDeviceStream(toDevice)));
    }

    private SyncStream kind(String name, SyncStream s) {
        byKind.put(name, s);
        return s;
    }

    /**
     * One stream by kind ("invite", "account_data", "receipts", "typing", "to_device"): sliding sync
     * (sync.sliding) runs them as they are for its invites and extensions instead of repeating their rules.
     */
    public SyncStream stream(String kind) { return byKind.get(kind); }

    /** Turns on the presence stream. */
    public void setPresence(Presence presence) { streams.add(new PresenceStream(presence, rooms)); }

    /** Turns on the end-to-end encryption fields (device_lists, one-time key counts, fallback key types). */
    public void setDeviceKeys(de.amtsbote.users.DeviceKeys keys, de.amtsbote.users.DeviceListChanges changes) {
        streams.add(new DeviceListsStream(keys, changes));
    }

    public ObjectNode sync(Session session, SyncToken since, SyncFilter filter, long timeoutMs, boolean fullState)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
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
        SyncRequest req = new SyncRequest(s, since, filter, fullState, rooms.streamPos(),
                rooms.membershipsOf(s.userId()), ignoredUsers.apply(s.userId()));
        SyncResponse resp = new SyncResponse();
        if (since != null) {
            resp.advanceTyping(since.typing());
            resp.advancePresence(since.presence());
        }
        for (SyncStream stream : streams) stream.advance(req, resp);
        boolean content = false;
        for (SyncStream stream : streams) content |= req.initial() ? stream.initial(req, resp) : stream.incremental(req, resp);
        // A room only touched by receipts or account data still reports its (maybe changed) unread counts.
        List<String> joinedIds = new ArrayList<>();
        resp.joinSection().fieldNames().forEachRemaining(joinedIds::add);
        for (String roomId : joinedIds) {
            ObjectNode room = resp.joined(roomId);
            if (room.has("unread_notifications")) continue;
            EventStore.Counts counts = unread.get(s.userId(), roomId);
            ObjectNode un = room.putObject("unread_notifications");
            un.put("notification_count", counts.notifications());
            un.put("highlight_count", counts.highlights());
        }
        return new Built(resp.finish(req.initial()), content);
    }
}
