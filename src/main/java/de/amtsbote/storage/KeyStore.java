package de.amtsbote.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * End-to-end encryption keys: device identity keys, one-time and fallback keys, cross-signing keys, uploaded
 * signatures and the device-list change stream. Stores what it is given; the rules live in users.DeviceKeys.
 */
public interface KeyStore {
    /** A device's uploaded identity keys, with the device's current display name (null if none). */
    record DeviceKeys(String userId, String deviceId, ObjectNode json, String displayName) {}

    /** A one-time or fallback key: algorithm, key id and the uploaded value (a string or a signed object). */
    record OneTimeKey(String algorithm, String keyId, JsonNode value) {}

    record Claim(String userId, String deviceId, String algorithm) {}

    /** What a claim handed out: the key, and whether it was the (reusable) fallback key. */
    record Claimed(Claim claim, OneTimeKey key, boolean fallback) {}

    record Signature(String signerUserId, String signerKeyId, String targetUserId, String targetKeyId,
                     String signature) {}

    /** A cross-signing key: type (master, self_signing, user_signing), public key and the uploaded JSON. */
    record CrossSigningKey(String type, String publicKey, ObjectNode json) {}

    enum UploadResult { STORED, DEVICE_KEYS_CONFLICT, ONE_TIME_KEY_CONFLICT }

    /**
     * One /keys/upload in one write. Device keys (if not null) are stored when the device has none, replaced
     * when {@code mayReplace(old, new)} allows it, else nothing at all is stored (DEVICE_KEYS_CONFLICT). A
     * one-time key whose id is already stored with other content refuses the whole upload
     * (ONE_TIME_KEY_CONFLICT); the same content again is a retry and stores nothing new. A fallback key
     * replaces the device's one for its algorithm (and is unused again) unless it is the same key. New or
     * changed device keys are a device-list change.
     */
    UploadResult upload(String userId, String deviceId, ObjectNode deviceKeys, BiPredicate<ObjectNode, ObjectNode> mayReplace,
                        List<OneTimeKey> oneTimeKeys, List<OneTimeKey> fallbackKeys);

    Optional<ObjectNode> deviceKeys(String userId, String deviceId);

    /** Keys of the user's devices that still exist, all of them or only the listed ones. */
    List<DeviceKeys> deviceKeysOf(String userId, Collection<String> onlyDevices);

    /** algorithm -> number of unclaimed one-time keys of the device. */
    Map<String, Integer> oneTimeKeyCounts(String userId, String deviceId);

    /** Algorithms for which the device has a fallback key that no claim has handed out yet. */
    List<String> unusedFallbackKeyTypes(String userId, String deviceId);

    /**
     * Hands out, in one write, the oldest one-time key per claim (deleting it) or else the fallback key
     * (marking it used). Claims with neither are left out of the answer.
     */
    List<Claimed> claim(List<Claim> claims);

    /** type -> key; empty if the user has none. */
    Map<String, CrossSigningKey> crossSigningKeys(String userId);

    /**
     * Stores the given keys (replacing those of the same type), removes the types listed in {@code remove}
     * and records a device-list change for the user, in one write; but only if the user's master public key
     * is still {@code expectedMaster} (null: none). Returns false, storing nothing, if it is not: the keys
     * changed since the caller decided whether the upload needs user-interactive auth.
     */
    boolean setCrossSigningKeys(String userId, List<CrossSigningKey> keys, Set<String> remove, String expectedMaster);

    /** Stores the signatures (the same signer, key and target again replaces) and records changes for the users. */
    void addSignatures(List<Signature> signatures, Set<String> changedUsers);

    /** Every stored signature on keys of the target user. */
    List<Signature> signaturesOn(String targetUserId);

    /** Removes the devices' identity, one-time and fallback keys and records a device-list change. */
    void deleteDevices(String userId, List<String> deviceIds);

    /** Users with a device-list change at a position after {@code from} and at most {@code to}. */
    Set<String> changedUsersBetween(long from, long to);
}
