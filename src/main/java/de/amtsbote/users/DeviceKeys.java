package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.KeyStore;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Device identity keys, one-time and fallback keys: /keys/upload, /keys/query, /keys/claim, and the keys'
 * life with the device (deleted with it). Cross-signing is in {@link CrossSigning}.
 */
public final class DeviceKeys {
    /**
     * Unclaimed one-time keys a device may hold. Clients keep about 50 (half of what libolm/vodozemac can
     * hold); the cap keeps one device from filling the disk. Checked before the write, so concurrent uploads
     * can pass it by at most one request each.
     */
    static final int MAX_ONE_TIME_KEYS = 10_000;

    private final KeyStore store;
    private final String serverName;
    /** Told the user whose device list changed (to wake the /sync of everyone who shares a room with them). */
    private final Consumer<String> deviceListChanged;
    /** Told the user whose one-time or fallback keys were claimed (their /sync shows the new counts). */
    private final Consumer<String> keysClaimed;

    public DeviceKeys(KeyStore store, String serverName, Consumer<String> deviceListChanged, Consumer<String> keysClaimed) {
        this.store = store;
        this.serverName = serverName;
        this.deviceListChanged = deviceListChanged;
        this.keysClaimed = keysClaimed;
    }

    KeyStore store() { return store; }

    boolean isLocal(String userId) { return userId.startsWith("@") && userId.endsWith(":" + serverName); }

    // ---- for /sync (device_one_time_keys_count, device_unused_fallback_key_types) ----

    /** algorithm -> unclaimed one-time keys of the device. */
    public Map<String, Integer> oneTimeKeyCounts(String userId, String deviceId) {
        return store.oneTimeKeyCounts(userId, deviceId);
    }

    /** Algorithms of the device's fallback keys that no claim has handed out yet. */
    public List<String> unusedFallbackKeyTypes(String userId, String deviceId) {
        return store.unusedFallbackKeyTypes(userId, deviceId);
    }

    // ---- /keys/upload ----

    public ObjectNode upload(String userId, String deviceId, ObjectNode body) {
        KeyJson.requireCanonical(body);
        ObjectNode deviceKeys = KeyJson.object(body, "device_keys", false);
        if (deviceKeys != null) checkDeviceKeys(deviceKeys, userId, deviceId);
        List<KeyStore.OneTimeKey> otks = oneTimeKeys(KeyJson.object(body, "one_time_keys", false), "one_time_keys");
        List<KeyStore.OneTimeKey> fallbacks = oneTimeKeys(KeyJson.object(body, "fallback_keys", false), "fallback_keys");
        Set<String> fallbackAlgorithms = new HashSet<>();
        for (KeyStore.OneTimeKey k : fallbacks) {
            if (!fallbackAlgorithms.add(k.algorithm())) {
                throw MatrixException.invalidParam("At most one fallback key per algorithm");
            }
        }
        int held = store.oneTimeKeyCounts(userId, deviceId).values().stream().mapToInt(Integer::intValue).sum();
        if (held + otks.size() > MAX_ONE_TIME_KEYS) {
            throw MatrixException.invalidParam("A device may hold at most " + MAX_ONE_TIME_KEYS + " unclaimed one-time keys");
        }
        KeyStore.UploadResult result = store.upload(userId, deviceId, deviceKeys,
                // Signatures and algorithms may change; the identity keys themselves may not.
                (old, now) -> old.path("keys").equals(now.path("keys")), otks, fallbacks);
        switch (result) {
            case DEVICE_KEYS_CONFLICT -> throw MatrixException.invalidParam(
                    "This device already has other identity keys; sign in again to get a new device");
            case ONE_TIME_KEY_CONFLICT -> throw MatrixException.invalidParam(
                    "A one-time key with this id was already uploaded with another value");
            case STORED -> { }
        }
        if (deviceKeys != null) deviceListChanged.accept(userId);
        ObjectNode out = Json.object();
        ObjectNode counts = out.putObject("one_time_key_counts");
        // Synapse always lists signed_curve25519; some clients expect it.
        counts.put("signed_curve25519", 0);
        store.oneTimeKeyCounts(userId, deviceId).forEach(counts::put);
        return out;
    }

    /** The device_keys object: the session's user and device, algorithms, keys and a valid self-signature. */
    private static void checkDeviceKeys(ObjectNode dk, String userId, String deviceId) {
        if (!userId.equals(KeyJson.string(dk, "user_id"))) {
            throw MatrixException.invalidParam("device_keys.user_id must be your user id");
        }
        if (!deviceId.equals(KeyJson.string(dk, "device_id"))) {
            throw MatrixException.invalidParam("device_keys.device_id must be the id of this device");
        }
        JsonNode algorithms = dk.get("algorithms");
        if (!(algorithms instanceof ArrayNode a) || a.isEmpty()) {
            throw MatrixException.badJson("device_keys.algorithms must be a non-empty array");
        }
        for (JsonNode alg : a) if (!alg.isTextual()) throw MatrixException.badJson("device_keys.algorithms must hold strings");
        ObjectNode keys = KeyJson.object(dk, "keys", true);
        KeyJson.requireStringValues(keys, "device_keys.keys");
        keys.fieldNames().forEachRemaining(KeyJson::algorithmAndId);
        String ed25519 = keys.path("ed25519:" + deviceId).asText(null);
        if (KeyJson.ed25519(ed25519) == null) {
            throw MatrixException.invalidParam("device_keys.keys must hold the device's ed25519 key as ed25519:" + deviceId);
        }
        KeyJson.object(dk, "signatures", true);
        if (!KeyJson.signedBy(dk, userId, "ed25519:" + deviceId, ed25519)) {
            throw KeyJson.invalidSignature("device_keys must be signed by the device's own ed25519 key");
        }
    }

    /** A one_time_keys or fallback_keys map: "algorithm:id" -> a key string or a signed key object. */
    private static List<KeyStore.OneTimeKey> oneTimeKeys(ObjectNode map, String field) {
        if (map == null) return List.of();
        List<KeyStore.OneTimeKey> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String[] algId = KeyJson.algorithmAndId(e.getKey());
            JsonNode v = e.getValue();
            if (v instanceof ObjectNode o) {
                if (!o.path("key").isTextual()) throw MatrixException.badJson(field + ": a key object needs 'key'");
                JsonNode sigs = o.get("signatures");
                if (sigs != null && !sigs.isObject()) throw MatrixException.badJson(field + ": 'signatures' must be an object");
            } else if (!v.isTextual()) {
                throw MatrixException.badJson(field + " values must be key strings or key objects");
            }
            out.add(new KeyStore.OneTimeKey(algId[0], algId[1], v));
        }
        return out;
    }

    // ---- /keys/query ----

    /** The query answer without the cross-signing parts (see {@link CrossSigning#addToQuery}). */
    public ObjectNode query(String requester, ObjectNode body) {
        KeyJson.requireCanonical(body);
        ObjectNode wanted = KeyJson.object(body, "device_keys", true);
        JsonNode timeout = body.get("timeout");
        if (timeout != null && !timeout.isNull() && !timeout.isIntegralNumber()) {
            throw MatrixException.badJson("'timeout' must be an integer");
        }
        ObjectNode out = Json.object();
        out.putObject("failures");
        ObjectNode deviceKeys = out.putObject("device_keys");
        for (Map.Entry<String, JsonNode> e : wanted.properties()) {
            if (!(e.getValue() instanceof ArrayNode devices)) {
                throw MatrixException.badJson("device_keys values must be arrays of device ids");
            }
            Set<String> only = new LinkedHashSet<>();
            for (JsonNode d : devices) {
                if (!d.isTextual()) throw MatrixException.badJson("device_keys values must be arrays of device ids");
                only.add(d.textValue());
            }
            String user = e.getKey();
            // Other servers' users need federation, which this server does not speak yet: left out.
            if (!isLocal(user)) continue;
            ObjectNode perUser = deviceKeys.putObject(user);
            Map<String, List<KeyStore.Signature>> sigs = byTarget(store.signaturesOn(user));
            for (KeyStore.DeviceKeys dk : store.deviceKeysOf(user, only)) {
                ObjectNode json = dk.json();
                // Only the owner's (self-signing key) signatures apply to a device.
                for (KeyStore.Signature s : sigs.getOrDefault(dk.deviceId(), List.of())) {
                    if (s.signerUserId().equals(user)) KeyJson.addSignature(json, s.signerUserId(), s.signerKeyId(), s.signature());
                }
                ObjectNode unsigned = json.get("unsigned") instanceof ObjectNode u ? u : json.putObject("unsigned");
                if (dk.displayName() != null) unsigned.put("device_display_name", dk.displayName());
                else unsigned.remove("device_display_name");
                perUser.set(dk.deviceId(), json);
            }
        }
        return out;
    }

    static Map<String, List<KeyStore.Signature>> byTarget(List<KeyStore.Signature> sigs) {
        Map<String, List<KeyStore.Signature>> out = new java.util.HashMap<>();
        for (KeyStore.Signature s : sigs) out.computeIfAbsent(s.targetKeyId(), k -> new ArrayList<>()).add(s);
        return out;
    }

    // ---- /keys/claim ----

    public ObjectNode claim(ObjectNode body) {
        KeyJson.requireCanonical(body);
        ObjectNode wanted = KeyJson.object(body, "one_time_keys", true);
        JsonNode timeout = body.get("timeout");
        if (timeout != null && !timeout.isNull() && !timeout.isIntegralNumber()) {
            throw MatrixException.badJson("'timeout' must be an integer");
        }
        List<KeyStore.Claim> claims = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : wanted.properties()) {
            if (!(e.getValue() instanceof ObjectNode perDevice)) {
                throw MatrixException.badJson("one_time_keys values must map device ids to algorithms");
            }
            for (Map.Entry<String, JsonNode> d : perDevice.properties()) {
                if (!d.getValue().isTextual()) throw MatrixException.badJson("one_time_keys: the algorithm must be a string");
                if (isLocal(e.getKey())) claims.add(new KeyStore.Claim(e.getKey(), d.getKey(), d.getValue().textValue()));
            }
        }
        ObjectNode out = Json.object();
        out.putObject("failures");
        ObjectNode keys = out.putObject("one_time_keys");
        Set<String> claimedUsers = new HashSet<>();
        for (KeyStore.Claimed c : store.claim(claims)) {
            ObjectNode perUser = keys.get(c.claim().userId()) instanceof ObjectNode o ? o : keys.putObject(c.claim().userId());
            ObjectNode perDevice = perUser.get(c.claim().deviceId()) instanceof ObjectNode o
                    ? o : perUser.putObject(c.claim().deviceId());
            perDevice.set(c.key().algorithm() + ":" + c.key().keyId(), c.key().value());
            claimedUsers.add(c.claim().userId());
        }
        claimedUsers.forEach(keysClaimed);
        return out;
    }

    // ---- devices going away ----

    /** Called after devices were deleted (DELETE /devices, /delete_devices, logout): their keys go too. */
    public void devicesDeleted(String userId, Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) return;
        store.deleteDevices(userId, List.copyOf(deviceIds));
        deviceListChanged.accept(userId);
    }
}
