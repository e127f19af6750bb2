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
    /** A User-Agent header is kept only this long; clients send far less, an attacker could send kilobytes. */
    static final int MAX_USER_AGENT = 512;

    private record Key(String userId, String deviceId) {}

    private static final class Seen {
        volatile long ts;
        volatile String ip;
        volatile String userAgent;
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
        record(userId, deviceId, ip, null);
    }

    /** As {@link #record(String, String, String)} with the request's User-Agent (cut to 512 characters). */
    public void record(String userId, String deviceId, String ip, String userAgent) {
        if (deviceId == null) return;
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) userAgent = userAgent.substring(0, MAX_USER_AGENT);
        long now = clock.getAsLong();
        Seen s = seen.computeIfAbsent(new Key(userId, deviceId), k -> new Seen());
        s.ts = now;
        s.ip = ip;
        if (userAgent != null) s.userAgent = userAgent;
        boolean write;
        synchronized (s) {
            write = now - s.writtenTs >= WRITE_INTERVAL_MS;
            if (write) s.writtenTs = now;
        }
        if (write) store.touchDevice(userId, deviceId, now, ip, s.userAgent);
    }

    /** The device with its most recent activity (memory may be up to a minute ahead of the database). */
    public AccountStore.Device latest(AccountStore.Device d) {
        Seen s = seen.get(new Key(d.userId(), d.deviceId()));
        if (s == null || (d.lastSeenTs() != null && d.lastSeenTs() >= s.ts)) return d;
        return new AccountStore.Device(d.userId(), d.deviceId(), d.displayName(), s.ts, s.ip,
                s.userAgent != null ? s.userAgent : d.lastSeenUserAgent());
    }

    public void forget(String userId, String deviceId) { seen.remove(new Key(userId, deviceId)); }

    public void forgetUser(String userId) { seen.keySet().removeIf(k -> k.userId().equals(userId)); }
}
