package de.amtsbote.users;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts attempts per key (an account, an address) in a sliding one-minute window. Used for sign-in, where
 * the limit applies per account and per client address separately.
 */
public final class RateLimiter {
    private static final long WINDOW_MS = 60_000;
    private final int perMinute;
    private final ConcurrentHashMap<String, Deque<Long>> attempts = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute) { this.perMinute = perMinute; }

    /**
     * Records an attempt for the key. Returns 0 if allowed, else the milliseconds until the next attempt
     * would be allowed (and the attempt is not counted).
     */
    public long tryAcquire(String key, long now) {
        Deque<Long> q = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst() <= now - WINDOW_MS) q.pollFirst();
            if (q.size() >= perMinute) return Math.max(1, q.peekFirst() + WINDOW_MS - now);
            q.addLast(now);
            if (attempts.size() > 100_000) attempts.entrySet().removeIf(e -> e.getValue().isEmpty());
            return 0;
        }
    }
}
