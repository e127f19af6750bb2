package de.amtsbote.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which member events each device already got through lazy-loading, so an incremental sync with
 * include_redundant_members false sends a member event only once (per device and room, until it changes).
 * In memory: after a restart a device may get a member event once more, which is harmless.
 */
final class LazyMembersSent {
    /** Bound on devices remembered; beyond it everything is forgotten (redundant members are allowed). */
    private static final int MAX_DEVICES = 50_000;
    /** user NUL device -> room id -> member user id -> member event id sent. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Map<String, String>>> sent =
            new ConcurrentHashMap<>();

    private static String key(String userId, String deviceId) { return userId + "\u0000" + deviceId; }

    /** A first sync starts from nothing. */
    void reset(String userId, String deviceId) { sent.remove(key(userId, deviceId)); }

    /** True if this member event was already sent to the device for the room. */
    boolean alreadySent(String userId, String deviceId, String roomId, String member, String eventId) {
        var rooms = sent.get(key(userId, deviceId));
        if (rooms == null) return false;
        Map<String, String> m = rooms.get(roomId);
        return m != null && eventId.equals(m.get(member));
    }

    void record(String userId, String deviceId, String roomId, String member, String eventId) {
        if (sent.size() > MAX_DEVICES) sent.clear();
        sent.computeIfAbsent(key(userId, deviceId), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(roomId, k -> new ConcurrentHashMap<>()).put(member, eventId);
    }
}
