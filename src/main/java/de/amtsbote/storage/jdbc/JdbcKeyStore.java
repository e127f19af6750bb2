package de.amtsbote.storage.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.KeyStore;
import de.amtsbote.storage.WriteContext;
import de.amtsbote.util.Json;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * {@link KeyStore} in SQL that SQLite and PostgreSQL both accept. Every change runs on the single writer, so
 * a claim's "select the oldest key, delete it" can never hand one key to two claims.
 */
public final class JdbcKeyStore implements KeyStore {
    private final Database db;
    /**
     * The newest device-list change position. /sync asks "any changes since my token?" on every call; this
     * answers "no" without a query. Raised inside the write, before the position is published.
     */
    private final AtomicLong newestChange = new AtomicLong();

    /**
     * Per device (user NUL device): its one-time key counts and unused fallback algorithms. /sync reports them
     * on every response; this answers without a query once read. A write touching a device drops its entry
     * (inside the write and again after the commit) and bumps {@link #countsVersion}, so a read racing with a
     * write never caches what it read before that write committed.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, DeviceCounts> counts = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong countsVersion = new AtomicLong();

    private record DeviceCounts(Map<String, Integer> oneTimeKeys, List<String> unusedFallbacks) {}

    public JdbcKeyStore(Database db) {
        this.db = db;
        newestChange.set(db.read(c -> Q.one(c, "SELECT COALESCE(MAX(stream_pos), 0) FROM device_list_changes",
                rs -> rs.getLong(1)).orElse(0L)));
    }

    private static String key(String userId, String deviceId) { return userId + "\u0000" + deviceId; }

    private void countsChanged(WriteContext ctx, String userId, String deviceId) {
        String k = key(userId, deviceId);
        counts.remove(k);
        countsVersion.incrementAndGet();
        ctx.afterCommit(() -> {
            counts.remove(k);
            countsVersion.incrementAndGet();
        });
    }

    private DeviceCounts counts(String userId, String deviceId) {
        String k = key(userId, deviceId);
        DeviceCounts cached = counts.get(k);
        if (cached != null) return cached;
        long version = countsVersion.get();
        Map<String, Integer> otks = new TreeMap<>();
        List<String> fallbacks = db.read(c -> {
            Q.list(c, "SELECT algorithm, COUNT(*) FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ?"
                    + " GROUP BY algorithm", rs -> otks.put(rs.getString(1), rs.getInt(2)), userId, deviceId);
            return Q.list(c, "SELECT algorithm FROM e2e_fallback_keys WHERE user_id = ? AND device_id = ?"
                    + " AND used = 0 ORDER BY algorithm", rs -> rs.getString(1), userId, deviceId);
        });
        DeviceCounts fresh = new DeviceCounts(java.util.Collections.unmodifiableMap(otks), List.copyOf(fallbacks));
        if (countsVersion.get() == version) {
            if (counts.size() > 100_000) counts.clear();
            counts.put(k, fresh);
        }
        return fresh;
    }

    private void recordChange(WriteContext ctx, String userId) throws SQLException {
        long pos = ctx.nextStreamPos();
        Q.update(ctx, "INSERT INTO device_list_changes (stream_pos, user_id) VALUES (?,?)", pos, userId);
        newestChange.accumulateAndGet(pos, Math::max);
    }

    @Override
    public UploadResult upload(String userId, String deviceId, ObjectNode deviceKeys,
                               BiPredicate<ObjectNode, ObjectNode> mayReplace, List<OneTimeKey> oneTimeKeys,
                               List<OneTimeKey> fallbackKeys) {
        long now = System.currentTimeMillis();
        return db.write(ctx -> {
            var c = ctx.connection();
            // All checks first: a refused upload stores nothing.
            boolean deviceKeysChanged = false;
            if (deviceKeys != null) {
                Optional<ObjectNode> old = Q.one(c, "SELECT json FROM e2e_device_keys WHERE user_id = ? AND device_id = ?",
                        rs -> Json.parseObject(rs.getString(1)), userId, deviceId);
                if (old.isPresent() && !old.get().equals(deviceKeys) && !mayReplace.test(old.get(), deviceKeys)) {
                    return UploadResult.DEVICE_KEYS_CONFLICT;
                }
                deviceKeysChanged = old.isEmpty() || !old.get().equals(deviceKeys);
            }
            List<OneTimeKey> newKeys = new ArrayList<>();
            for (OneTimeKey k : oneTimeKeys) {
                Optional<String> stored = Q.one(c, "SELECT json FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ?"
                                + " AND algorithm = ? AND key_id = ?", rs -> rs.getString(1),
                        userId, deviceId, k.algorithm(), k.keyId());
                if (stored.isEmpty()) newKeys.add(k);
                else if (!Json.parse(stored.get()).equals(k.value())) return UploadResult.ONE_TIME_KEY_CONFLICT;
            }
            if (deviceKeysChanged) {
                Q.update(ctx, "INSERT INTO e2e_device_keys (user_id, device_id, json) VALUES (?,?,?)"
                        + " ON CONFLICT (user_id, device_id) DO UPDATE SET json = excluded.json",
                        userId, deviceId, Json.write(deviceKeys));
                recordChange(ctx, userId);
            }
            if (!newKeys.isEmpty() || !fallbackKeys.isEmpty()) countsChanged(ctx, userId, deviceId);
            for (OneTimeKey k : newKeys) {
                Q.update(ctx, "INSERT INTO e2e_one_time_keys (user_id, device_id, algorithm, key_id, json, uploaded_ts)"
                        + " VALUES (?,?,?,?,?,?)", userId, deviceId, k.algorithm(), k.keyId(), Json.write(k.value()), now);
            }
            for (OneTimeKey k : fallbackKeys) {
                String json = Json.write(k.value());
                // The same key again (a retry) keeps its used flag; another key replaces it, unused.
                Q.update(ctx, "INSERT INTO e2e_fallback_keys (user_id, device_id, algorithm, key_id, json, used)"
                        + " VALUES (?,?,?,?,?,0) ON CONFLICT (user_id, device_id, algorithm) DO UPDATE SET"
                        + " key_id = excluded.key_id, json = excluded.json, used = CASE WHEN"
                        + " e2e_fallback_keys.key_id = excluded.key_id AND e2e_fallback_keys.json = excluded.json"
                        + " THEN e2e_fallback_keys.used ELSE 0 END",
                        userId, deviceId, k.algorithm(), k.keyId(), json);
            }
            return UploadResult.STORED;
        });
    }

    @Override
    public Optional<ObjectNode> deviceKeys(String userId, String deviceId) {
        return db.read(c -> Q.one(c, "SELECT json FROM e2e_device_keys WHERE user_id = ? AND device_id = ?",
                rs -> Json.parseObject(rs.getString(1)), userId, deviceId));
    }

    @Override
    public List<DeviceKeys> deviceKeysOf(String userId, Collection<String> onlyDevices) {
        // Joined with devices: keys of a device deleted meanwhile are never served.
        List<DeviceKeys> all = db.read(c -> Q.list(c, "SELECT k.device_id, k.json, d.display_name FROM e2e_device_keys k"
                        + " JOIN devices d ON d.user_id = k.user_id AND d.device_id = k.device_id WHERE k.user_id = ?"
                        + " ORDER BY k.device_id",
                rs -> new DeviceKeys(userId, rs.getString(1), Json.parseObject(rs.getString(2)), rs.getString(3)), userId));
        if (onlyDevices.isEmpty()) return all;
        return all.stream().filter(d -> onlyDevices.contains(d.deviceId())).toList();
    }

    @Override
    public Map<String, Integer> oneTimeKeyCounts(String userId, String deviceId) {
        return counts(userId, deviceId).oneTimeKeys();
    }

    @Override
    public List<String> unusedFallbackKeyTypes(String userId, String deviceId) {
        return counts(userId, deviceId).unusedFallbacks();
    }

    @Override
    public List<Claimed> claim(List<Claim> claims) {
        if (claims.isEmpty()) return List.of();
        return db.write(ctx -> {
            var c = ctx.connection();
            List<Claimed> out = new ArrayList<>();
            for (Claim cl : claims) {
                Optional<OneTimeKey> otk = Q.one(c, "SELECT key_id, json FROM e2e_one_time_keys WHERE user_id = ?"
                                + " AND device_id = ? AND algorithm = ? ORDER BY uploaded_ts, key_id LIMIT 1",
                        rs -> new OneTimeKey(cl.algorithm(), rs.getString(1), Json.parse(rs.getString(2))),
                        cl.userId(), cl.deviceId(), cl.algorithm());
                if (otk.isPresent()) {
                    Q.update(ctx, "DELETE FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ? AND algorithm = ?"
                            + " AND key_id = ?", cl.userId(), cl.deviceId(), cl.algorithm(), otk.get().keyId());
                    countsChanged(ctx, cl.userId(), cl.deviceId());
                    out.add(new Claimed(cl, otk.get(), false));
                    continue;
                }
                Optional<OneTimeKey> fallback = Q.one(c, "SELECT key_id, json FROM e2e_fallback_keys WHERE user_id = ?"
                                + " AND device_id = ? AND algorithm = ?",
                        rs -> new OneTimeKey(cl.algorithm(), rs.getString(1), Json.parse(rs.getString(2))),
                        cl.userId(), cl.deviceId(), cl.algorithm());
                if (fallback.isPresent()) {
                    Q.update(ctx, "UPDATE e2e_fallback_keys SET used = 1 WHERE user_id = ? AND device_id = ?"
                            + " AND algorithm = ?", cl.userId(), cl.deviceId(), cl.algorithm());
                    countsChanged(ctx, cl.userId(), cl.deviceId());
                    out.add(new Claimed(cl, fallback.get(), true));
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, CrossSigningKey> crossSigningKeys(String userId) {
        Map<String, CrossSigningKey> out = new LinkedHashMap<>();
        db.read(c -> Q.list(c, "SELECT key_type, public_key, json FROM e2e_cross_signing_keys WHERE user_id = ?",
                rs -> out.put(rs.getString(1), new CrossSigningKey(rs.getString(1), rs.getString(2),
                        Json.parseObject(rs.getString(3)))), userId));
        return out;
    }

    @Override
    public boolean setCrossSigningKeys(String userId, List<CrossSigningKey> keys, Set<String> remove,
                                       String expectedMaster) {
        return db.write(ctx -> {
            String master = Q.one(ctx.connection(), "SELECT public_key FROM e2e_cross_signing_keys WHERE user_id = ?"
                    + " AND key_type = 'master'", rs -> rs.getString(1), userId).orElse(null);
            if (!java.util.Objects.equals(master, expectedMaster)) return false;
            for (String type : remove) {
                Q.update(ctx, "DELETE FROM e2e_cross_signing_keys WHERE user_id = ? AND key_type = ?", userId, type);
            }
            for (CrossSigningKey k : keys) {
                Q.update(ctx, "INSERT INTO e2e_cross_signing_keys (user_id, key_type, public_key, json) VALUES (?,?,?,?)"
                        + " ON CONFLICT (user_id, key_type) DO UPDATE SET public_key = excluded.public_key,"
                        + " json = excluded.json", userId, k.type(), k.publicKey(), Json.write(k.json()));
            }
            recordChange(ctx, userId);
            return true;
        });
    }

    @Override
    public void addSignatures(List<Signature> signatures, Set<String> changedUsers) {
        if (signatures.isEmpty() && changedUsers.isEmpty()) return;
        db.write(ctx -> {
            for (Signature s : signatures) {
                Q.update(ctx, "INSERT INTO e2e_signatures (signer_user_id, signer_key_id, target_user_id, target_key_id,"
                        + " signature) VALUES (?,?,?,?,?) ON CONFLICT (target_user_id, target_key_id, signer_user_id,"
                        + " signer_key_id) DO UPDATE SET signature = excluded.signature",
                        s.signerUserId(), s.signerKeyId(), s.targetUserId(), s.targetKeyId(), s.signature());
            }
            for (String u : new java.util.TreeSet<>(changedUsers)) recordChange(ctx, u);
            return null;
        });
    }

    @Override
    public List<Signature> signaturesOn(String targetUserId) {
        return db.read(c -> Q.list(c, "SELECT signer_user_id, signer_key_id, target_key_id, signature FROM e2e_signatures"
                        + " WHERE target_user_id = ? ORDER BY target_key_id, signer_user_id, signer_key_id",
                rs -> new Signature(rs.getString(1), rs.getString(2), targetUserId, rs.getString(3), rs.getString(4)),
                targetUserId));
    }

    @Override
    public void deleteDevices(String userId, List<String> deviceIds) {
        if (deviceIds.isEmpty()) return;
        db.write(ctx -> {
            for (String d : deviceIds) {
                for (String table : new String[] {"e2e_device_keys", "e2e_one_time_keys", "e2e_fallback_keys"}) {
                    Q.update(ctx, "DELETE FROM " + table + " WHERE user_id = ? AND device_id = ?", userId, d);
                }
                countsChanged(ctx, userId, d);
                // Signatures on the device's keys would otherwise apply to a new device of the same id.
                Q.update(ctx, "DELETE FROM e2e_signatures WHERE target_user_id = ? AND target_key_id = ?", userId, d);
            }
            recordChange(ctx, userId);
            return null;
        });
    }

    @Override
    public Set<String> changedUsersBetween(long from, long to) {
        if (newestChange.get() <= from || to <= from) return Set.of();
        return new HashSet<>(db.read(c -> Q.list(c, "SELECT DISTINCT user_id FROM device_list_changes"
                + " WHERE stream_pos > ? AND stream_pos <= ?", rs -> rs.getString(1), from, to)));
    }
}
