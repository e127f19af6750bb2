package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.util.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Who is online, kept in memory only (like typing: worthless after a restart, when everyone starts offline).
 * Users become online by syncing (set_presence) or setting it, unavailable after {@link #IDLE_MS} without
 * activity, and offline once they stop syncing. Each change gets a serial, which is the presence part of a
 * sync token; the serial starts at the clock so that tokens from before a restart are not ahead of it.
 */
public final class Presence {
    public static final Set<String> STATES = Set.of("online", "unavailable", "offline");
    /** Online users without activity for this long become unavailable. */
    static final long IDLE_MS = 5 * 60_000;
    /** Activity this recent counts as "currently active". */
    static final long ACTIVE_MS = 60_000;

    /** One user's presence; replaced on change, never mutated. */
    public record State(String presence, String statusMsg, long lastActiveTs, long lastSyncTs, long serial) {}

    private final AtomicLong serial;
    private final ConcurrentHashMap<String, State> users = new ConcurrentHashMap<>();
    private final Function<String, Set<String>> roomMates;
    private final Notifier notifier;
    private final LongSupplier clock;
    private final long offlineAfterMs;

    /**
     * @param roomMates the users sharing a joined room with a user (who sees their presence, and is woken)
     * @param offlineAfterMs how long after their last sync (and activity) a user counts as offline
     */
    public Presence(Function<String, Set<String>> roomMates, Notifier notifier, long offlineAfterMs, LongSupplier clock) {
        this.roomMates = roomMates;
        this.notifier = notifier;
        this.clock = clock;
        this.offlineAfterMs = offlineAfterMs;
        this.serial = new AtomicLong(clock.getAsLong());
    }

    public long serial() { return serial.get(); }

    /** PUT /presence/{userId}/status. */
    public void set(String userId, String presence, String statusMsg) {
        long now = clock.getAsLong();
        users.compute(userId, (k, old) -> new State(presence, statusMsg,
                presence.equals("online") ? now : old == null ? 0 : old.lastActiveTs(),
                old == null ? 0 : old.lastSyncTs(), serial.incrementAndGet()));
        wakeAudience(userId);
    }

    /** A /sync with set_presence (null means online, the spec's default). */
    public void syncing(String userId, String setPresence) {
        String p = setPresence == null ? "online" : setPresence;
        long now = clock.getAsLong();
        boolean[] changed = {false};
        users.compute(userId, (k, old) -> {
            if (p.equals("offline")) {
                // Syncing "offline" does not make a user appear; it only keeps them from being marked online.
                return old == null ? null : new State(old.presence(), old.statusMsg(), old.lastActiveTs(), now, old.serial());
            }
            // Syncing "online" brings a user back from offline only: an idle (unavailable) user stays
            // unavailable until they do something, however often their client syncs.
            boolean same = old != null && (old.presence().equals(p)
                    || (p.equals("online") && old.presence().equals("unavailable")));
            if (same) return new State(old.presence(), old.statusMsg(), old.lastActiveTs(), now, old.serial());
            changed[0] = true;
            return new State(p, old == null ? null : old.statusMsg(),
                    p.equals("online") ? now : old == null ? 0 : old.lastActiveTs(), now, serial.incrementAndGet());
        });
        if (changed[0]) wakeAudience(userId);
    }

    /** The user did something (typed, sent a receipt): active now, online again if they were unavailable. */
    public void active(String userId) {
        long now = clock.getAsLong();
        boolean[] changed = {false};
        users.computeIfPresent(userId, (k, old) -> {
            if (old.presence().equals("offline")) return old;
            boolean wasActive = old.presence().equals("online") && now - old.lastActiveTs() < ACTIVE_MS;
            if (wasActive) return new State(old.presence(), old.statusMsg(), now, old.lastSyncTs(), old.serial());
            changed[0] = true;
            return new State("online", old.statusMsg(), now, old.lastSyncTs(), serial.incrementAndGet());
        });
        if (changed[0]) wakeAudience(userId);
    }

    /** Online to unavailable after idling, anything to offline once the user stopped syncing (run every few seconds). */
    public void expire() {
        long now = clock.getAsLong();
        for (Map.Entry<String, State> e : users.entrySet()) {
            State s = e.getValue();
            String next = s.presence();
            if (!next.equals("offline") && now - Math.max(s.lastSyncTs(), s.lastActiveTs()) > offlineAfterMs) {
                next = "offline";
            } else if (next.equals("online") && now - s.lastActiveTs() > IDLE_MS) {
                next = "unavailable";
            }
            if (next.equals(s.presence())) continue;
            String target = next;
            users.computeIfPresent(e.getKey(), (k, old) -> old != s ? old
                    : new State(target, old.statusMsg(), old.lastActiveTs(), old.lastSyncTs(), serial.incrementAndGet()));
            wakeAudience(e.getKey());
        }
    }

    public State get(String userId) { return users.get(userId); }

    /** Users with a presence change after the serial, with their state. */
    List<Map.Entry<String, State>> changedSince(long since) {
        return users.entrySet().stream().filter(e -> e.getValue().serial() > since).map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    /** The m.presence content for a user, as GET /presence and /sync show it. */
    public ObjectNode content(String userId) {
        State s = users.get(userId);
        ObjectNode c = Json.object();
        if (s == null) {
            c.put("presence", "offline");
            return c;
        }
        long now = clock.getAsLong();
        c.put("presence", s.presence());
        if (s.lastActiveTs() > 0) {
            c.put("last_active_ago", Math.max(0, now - s.lastActiveTs()));
            c.put("currently_active", s.presence().equals("online") && now - s.lastActiveTs() < ACTIVE_MS);
        }
        if (s.statusMsg() != null) c.put("status_msg", s.statusMsg());
        return c;
    }

    /** True if the two users share a room they are joined to (or are the same user). */
    public boolean sharesRoom(String a, String b) { return a.equals(b) || roomMates.apply(a).contains(b); }

    private void wakeAudience(String userId) {
        Set<String> audience = new HashSet<>(roomMates.apply(userId));
        audience.add(userId);
        notifier.wake(audience);
    }

    /** The users sharing a joined room with userId, from the rooms' in-memory member lists. */
    public static Set<String> roomMates(RoomService rooms, String userId) {
        Set<String> out = new HashSet<>();
        for (Map.Entry<String, String> m : rooms.membershipsOf(userId).entrySet()) {
            if (!m.getValue().equals("join")) continue;
            Room room = rooms.room(m.getKey());
            if (room != null) out.addAll(room.joinedMembers());
        }
        return out;
    }
}
