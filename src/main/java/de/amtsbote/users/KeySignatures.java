package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.KeyStore;
import de.amtsbote.storage.KeyStore.CrossSigningKey;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * POST /keys/signatures/upload. Which key may sign what:
 * <ul>
 *   <li>one of my devices: my self-signing key;</li>
 *   <li>my master key: one of my devices (its ed25519 key);</li>
 *   <li>another user's master key: my user-signing key.</li>
 * </ul>
 * Each signed object must be the stored key (apart from signatures and unsigned); every new signature in it
 * by the uploader must verify. Failures are reported per key, the rest is stored.
 */
public final class KeySignatures {
    private final KeyStore store;
    private final DeviceKeys devices;
    private final Consumer<String> deviceListChanged;

    public KeySignatures(KeyStore store, DeviceKeys devices, Consumer<String> deviceListChanged) {
        this.store = store;
        this.devices = devices;
        this.deviceListChanged = deviceListChanged;
    }

    public ObjectNode upload(String requester, ObjectNode body) {
        KeyJson.requireCanonical(body);
        Map<String, CrossSigningKey> mine = store.crossSigningKeys(requester);
        List<KeyStore.Signature> accepted = new ArrayList<>();
        ObjectNode failures = Json.object();
        for (Map.Entry<String, JsonNode> u : body.properties()) {
            if (!(u.getValue() instanceof ObjectNode perKey)) {
                throw MatrixException.badJson("Each user must map key ids to signed key objects");
            }
            for (Map.Entry<String, JsonNode> k : perKey.properties()) {
                if (!(k.getValue() instanceof ObjectNode signed)) {
                    throw MatrixException.badJson("Each key id must map to a signed key object");
                }
                try {
                    accepted.addAll(check(requester, mine, u.getKey(), k.getKey(), signed));
                } catch (MatrixException e) {
                    ObjectNode perUser = failures.get(u.getKey()) instanceof ObjectNode o ? o : failures.putObject(u.getKey());
                    ObjectNode err = Json.object().put("errcode", e.errcode()).put("error", e.getMessage());
                    perUser.set(k.getKey(), err);
                }
            }
        }
        if (!accepted.isEmpty()) {
            // The signer's list changed, and so did each signed user's: the signer's other devices must re-fetch the
            // signed user's keys to see the new signature (it is only shown to the signer) and trust that user.
            Set<String> changed = new HashSet<>();
            changed.add(requester);
            for (KeyStore.Signature s : accepted) changed.add(s.targetUserId());
            store.addSignatures(accepted, changed);
            deviceListChanged.accept(requester);
        }
        ObjectNode out = Json.object();
        out.set("failures", failures);
        return out;
    }

    /** The signatures to store for one signed object, or a MatrixException for its failures entry. */
    private List<KeyStore.Signature> check(String requester, Map<String, CrossSigningKey> mine, String targetUser,
                                           String keyId, ObjectNode signed) {
        ObjectNode stored;
        Map<String, String> allowedSigners; // signer key id -> its public key
        if (targetUser.equals(requester)) {
            Optional<ObjectNode> device = devices.store().deviceKeys(requester, keyId);
            CrossSigningKey master = mine.get(CrossSigning.MASTER);
            if (device.isPresent()) {
                stored = device.get();
                CrossSigningKey ssk = mine.get(CrossSigning.SELF_SIGNING);
                allowedSigners = ssk == null ? Map.of() : Map.of("ed25519:" + ssk.publicKey(), ssk.publicKey());
            } else if (master != null && master.publicKey().equals(keyId)) {
                stored = master.json();
                allowedSigners = new java.util.HashMap<>();
                for (KeyStore.DeviceKeys d : store.deviceKeysOf(requester, List.of())) {
                    String ed = d.json().path("keys").path("ed25519:" + d.deviceId()).asText(null);
                    if (ed != null) allowedSigners.put("ed25519:" + d.deviceId(), ed);
                }
            } else {
                throw MatrixException.notFound("No such device or key");
            }
        } else {
            CrossSigningKey theirMaster = devices.isLocal(targetUser)
                    ? store.crossSigningKeys(targetUser).get(CrossSigning.MASTER) : null;
            if (theirMaster == null || !theirMaster.publicKey().equals(keyId)) {
                throw MatrixException.notFound("Only another user's master key can be signed, and this is not it");
            }
            stored = theirMaster.json();
            CrossSigningKey usk = mine.get(CrossSigning.USER_SIGNING);
            allowedSigners = usk == null ? Map.of() : Map.of("ed25519:" + usk.publicKey(), usk.publicKey());
        }
        if (!KeyJson.signable(signed).equals(KeyJson.signable(stored))) {
            throw KeyJson.invalidSignature("The signed object does not match the uploaded key");
        }
        JsonNode bySigner = signed.path("signatures").path(requester);
        Map<String, String> already = new java.util.HashMap<>();
        stored.path("signatures").path(requester).properties().forEach(e -> already.put(e.getKey(), e.getValue().asText()));
        for (KeyStore.Signature s : store.signaturesOn(targetUser)) {
            if (s.targetKeyId().equals(keyId) && s.signerUserId().equals(requester)) already.put(s.signerKeyId(), s.signature());
        }
        List<KeyStore.Signature> out = new ArrayList<>();
        boolean known = false;
        for (Map.Entry<String, JsonNode> s : bySigner.properties()) {
            // Signatures the key already carries (e.g. the device's self-signature, or one uploaded before:
            // a retry) are not new; clients send back what /keys/query gave them.
            if (s.getValue().isTextual() && s.getValue().textValue().equals(already.get(s.getKey()))) {
                known |= allowedSigners.containsKey(s.getKey());
                continue;
            }
            String pub = allowedSigners.get(s.getKey());
            // Like Synapse, only signatures by a key allowed to sign this key count; others (e.g. by a replaced
            // self-signing key, echoed from an older query) are ignored.
            if (pub == null) continue;
            if (!s.getValue().isTextual() || !KeyJson.signedBy(signed, requester, s.getKey(), pub)) {
                throw KeyJson.invalidSignature("Invalid signature by " + KeyJson.shorten(s.getKey()));
            }
            out.add(new KeyStore.Signature(requester, s.getKey(), targetUser, keyId, s.getValue().textValue()));
        }
        if (out.isEmpty() && !known) throw KeyJson.invalidSignature("No signature by a key allowed to sign this key");
        return out;
    }
}
