package de.amtsbote.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Who is typing where. Kept in memory only (it is worthless after a few seconds); each change gets a serial
 * so /sync can tell whether a room's typing list changed since the client's token.
 */
public final class Typing {
    private record State(Map<String, Long> until, long serial) {}

    private final AtomicLong serial = new AtomicLong();
    private final ConcurrentHashMap<String, State> rooms = new ConcurrentHashMap<>();
    private final Notifier notifier;
    private final Function<String, Set<String>> roomMembers;

    public Typing(Notifier notifier, Function<String, Set<String>> roomMembers) {
        this.notifier = notifier;
        this.roomMembers = roomMembers;
    }

    public long serial() { return serial.get(); }

    /** Told the room and who types there now after each change (application services); must be cheap. */
    private volatile java.util.function.BiConsumer<String, List<String>> changed = (r, u) -> { };

    public void onChanged(java.util.function.BiConsumer<String, List<String>> listener) { this.changed = listener; }

    public void set(String roomId, String userId, boolean typing, long timeoutMs) {
        long now = System.currentTimeMillis();
        rooms.compute(roomId, (k, old) -> {
            Map<String, Long> until = new ConcurrentHashMap<>(old == null ? Map.of() : old.until());
            until.values().removeIf(t -> t < now);
            if (typing) until.put(userId, now + Math.min(Math.max(timeoutMs, 1000), 120_000));
            else until.remove(userId);
            return new State(until, serial.incrementAndGet());
        });
        notifier.wake(roomMembers.apply(roomId));
        changed.accept(roomId, typingUsers(roomId));
    }

    /** Users typing now in the room, and whether that changed after the given serial. */
    public List<String> typingUsers(String roomId) {
        State s = rooms.get(roomId);
        if (s == null) return List.of();
        long now = System.currentTimeMillis();
        List<String> out = new ArrayList<>();
        s.until().forEach((u, t) -> {
            if (t >= now) out.add(u);
        });
        return out;
    }

    public boolean changedSince(String roomId, long sinceSerial) {
        State s = rooms.get(roomId);
        return s != null && s.serial() > sinceSerial;
    }

    /** Expired typing notices must reach clients too: expire them and wake the rooms (run every second). */
    public void expire() {
        long now = System.currentTimeMillis();
        for (String roomId : rooms.keySet()) {
            State s = rooms.get(roomId);
            if (s != null && s.until().values().stream().anyMatch(t -> t < now)) {
                rooms.computeIfPresent(roomId, (k, old) -> {
                    Map<String, Long> until = new ConcurrentHashMap<>(old.until());
                    until.values().removeIf(t -> t < now);
                    return new State(until, serial.incrementAndGet());
                });
                notifier.wake(roomMembers.apply(roomId));
            }
        }
    }
}
