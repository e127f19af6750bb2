package de.amtsbote.sync;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling /sync requests. Each user has a change counter; writers bump the counters of the users
 * a change concerns (after it is committed), and a waiting /sync returns as soon as its user's counter moves.
 * Only the affected users' requests wake up, so 10,000 idle long-polls cost nothing while a busy room talks.
 */
public final class Notifier {
    private static final class Signal {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        long version;
    }

    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

    private Signal signal(String userId) { return signals.computeIfAbsent(userId, k -> new Signal()); }

    /** The user's current change counter; read it before computing a sync response. */
    public long version(String userId) {
        Signal s = signal(userId);
        s.lock.lock();
        try {
            return s.version;
        } finally {
            s.lock.unlock();
        }
    }

    public void wake(String userId) {
        Signal s = signal(userId);
        s.lock.lock();
        try {
            s.version++;
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
        }
    }

    public void wake(Collection<String> userIds) {
        for (String u : userIds) wake(u);
    }

    /** Waits until the user's counter differs from seenVersion or the timeout passes. True if it changed. */
    public boolean await(String userId, long seenVersion, long timeoutMs) throws InterruptedException {
        Signal s = signal(userId);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        s.lock.lock();
        try {
            while (s.version == seenVersion) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                s.changed.awaitNanos(left);
            }
            return true;
        } finally {
            s.lock.unlock();
        }
    }
}
