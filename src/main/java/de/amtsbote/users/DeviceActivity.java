package de.amtsbote.users;

import de.amtsbote.storage.AccountStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When each device was last active and from where. Every authenticated request records it in memory; the
 * database gets it at most once per minute per device (asynchronously), so busy clients cost no write per
 * request. Readers see the in-memory value laid over the stored one.
 */
public final class DeviceActivity {
    static final long WRITE_INTERVAL_MS = 60_000;

    private record Key(String userId, String deviceId) {}

    private static final class Seen {
        volatile long ts;
        volatile String ip;
        long writtenTs = -WRITE_INTERVAL_MS; // guarded by this; "long ago" without overflowing now - writtenTs
    }

    private final AccountStore store;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Key, Seen> seen = new ConcurrentHashMap<>();

    public DeviceActivity(AccountStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Notes a request by the device; writes it through if the stored value is a minute old or unknown. */
    public void record(String userId, String deviceId, String ip) {
        if (deviceId == null) return;
        long now = clock.getAsLong();
        Seen s = seen.computeIfAbsent(new Key(userId, deviceId), k -> new Seen());
        s.ts = now;
        s.ip = ip;
        boolean write;
        synchronized (s) {
            write = now - s.writtenTs >= WRITE_INTERVAL_MS;
            if (write) s.writtenTs = now;
        }
        if (write) store.touchDevice(userId, deviceId, now, ip);
    }

    /** The device with its most recent activity (memory may be up to a minute ahead of the database). */
    public AccountStore.Device latest(AccountStore.Device d) {
        Seen s = seen.get(new Key(d.userId(), d.deviceId()));
        if (s == null || (d.lastSeenTs() != null && d.lastSeenTs() >= s.ts)) return d;
        return new AccountStore.Device(d.userId(), d.deviceId(), d.displayName(), s.ts, s.ip);
    }

    public void forget(String userId, String deviceId) { seen.remove(new Key(userId, deviceId)); }

    public void forgetUser(String userId) { seen.keySet().removeIf(k -> k.userId().equals(userId)); }
}
