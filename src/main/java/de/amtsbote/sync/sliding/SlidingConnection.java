package de.amtsbote.sync.sliding;

import de.amtsbote.sync.SyncToken;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One sliding sync connection (user + device + conn_id), in memory only: after a restart every pos is unknown
 * and clients start over, as the MSC allows. Each response's pos names a snapshot of what the connection had
 * sent by then; a request with pos N works from snapshot N, so a retried or cancelled request sends again what
 * the lost response carried. Once a request presents N, older snapshots go.
 */
final class SlidingConnection {
    /** What was last sent of a room on this connection. */
    record RoomSent(long upTo, int timelineLimit, String membership, Set<String> lazyMembers, int notifications,
                    int highlights) {}

    /**
     * @param token the classic sync position this snapshot was computed up to (extensions continue from it)
     * @param rooms what each room sent so far looked like
     * @param extensions the extensions in force (requests that leave extensions out keep them)
     * @param subscriptions the room subscriptions in force: clients (matrix-js-sdk, matrix-rust-sdk) send a
     *     subscription once and expect it to hold until they send it in unsubscribe_rooms
     */
    record Snapshot(SyncToken token, Map<String, RoomSent> rooms, SlidingRequest.Extensions extensions,
                    Map<String, Integer> oneTimeKeyCounts, Map<String, SlidingRequest.RoomConfig> subscriptions) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Snapshots kept at most (the one presented plus the ones issued after it, e.g. for cancelled requests). */
    private static final int MAX_SNAPSHOTS = 5;

    private final String id = HexFormat.of().formatHex(randomBytes());
    private final LinkedHashMap<Long, Snapshot> snapshots = new LinkedHashMap<>();
    private long next = 1;

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The snapshot a pos names, or null if it is not this connection's or has gone. Drops older ones. */
    synchronized Snapshot presented(String pos) {
        int sep = pos.lastIndexOf('_');
        if (sep < 0 || !pos.substring(0, sep).equals(id)) return null;
        long n;
        try {
            n = Long.parseLong(pos.substring(sep + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        Snapshot s = snapshots.get(n);
        if (s != null) snapshots.keySet().removeIf(k -> k < n);
        return s;
    }

    /** Stores a new snapshot and returns its pos. */
    synchronized String issue(Snapshot s) {
        long n = next++;
        snapshots.put(n, s);
        while (snapshots.size() > MAX_SNAPSHOTS) snapshots.remove(snapshots.keySet().iterator().next());
        return id + "_" + n;
    }
}
