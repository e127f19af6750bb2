package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.KeyStore;
import de.amtsbote.storage.KeyStore.CrossSigningKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Cross-signing keys (/keys/device_signing/upload) and their part of /keys/query. The master key signs the
 * self-signing key (which signs the user's devices) and the user-signing key (which signs other users' master
 * keys). Signatures uploaded later are checked in {@link KeySignatures}.
 */
public final class CrossSigning {
    static final String MASTER = "master";
    static final String SELF_SIGNING = "self_signing";
    static final String USER_SIGNING = "user_signing";
    private static final List<String> TYPES = List.of(MASTER, SELF_SIGNING, USER_SIGNING);

    private final KeyStore store;
    private final AccountStore accounts;
    private final Consumer<String> deviceListChanged;

    public CrossSigning(KeyStore store, AccountStore accounts, Consumer<String> deviceListChanged) {
        this.store = store;
        this.accounts = accounts;
        this.deviceListChanged = deviceListChanged;
    }

    /** A checked upload: the keys that are new, the types to drop, and whether it needs UIA. */
    public record Upload(String userId, List<CrossSigningKey> changed, Set<String> remove, boolean needsAuth,
                         String storedMaster) {}

    /**
     * Checks an upload without storing it. UIA is needed when the user already has a master key and the
     * upload brings a key that differs from the stored one (the spec lets the first upload, and a repeat of
     * the same keys, through without it).
     */
    public Upload check(String userId, ObjectNode body) {
        KeyJson.requireCanonical(body);
        Map<String, CrossSigningKey> existing = store.crossSigningKeys(userId);
        List<CrossSigningKey> given = new ArrayList<>();
        for (String type : TYPES) {
            ObjectNode json = KeyJson.object(body, type + "_key", false);
            if (json != null) given.add(parse(json, userId, type));
        }
        CrossSigningKey master = given.stream().filter(k -> k.type().equals(MASTER)).findFirst()
                .orElse(existing.get(MASTER));
        if (master == null) throw MatrixException.missingParam("No master key: upload master_key first");
        Set<String> deviceIds = new HashSet<>();
        for (AccountStore.Device d : accounts.devices(userId)) deviceIds.add(d.deviceId());
        for (CrossSigningKey k : given) {
            if (deviceIds.contains(k.publicKey())) throw MatrixException.forbidden("Key ID in use by a device");
            if (!k.type().equals(MASTER)
                    && !KeyJson.signedBy(k.json(), userId, "ed25519:" + master.publicKey(), master.publicKey())) {
                throw KeyJson.invalidSignature("The " + k.type() + " key must be signed by the master key");
            }
        }
        List<CrossSigningKey> changed = given.stream()
                .filter(k -> existing.get(k.type()) == null || !existing.get(k.type()).json().equals(k.json())).toList();
        Set<String> remove = new HashSet<>();
        CrossSigningKey oldMaster = existing.get(MASTER);
        if (oldMaster != null && !oldMaster.publicKey().equals(master.publicKey())) {
            // Keys signed by the replaced master key are no longer valid; drop those not replaced as well.
            for (String type : List.of(SELF_SIGNING, USER_SIGNING)) {
                if (given.stream().noneMatch(k -> k.type().equals(type)) && existing.containsKey(type)) remove.add(type);
            }
        }
        return new Upload(userId, changed, remove, oldMaster != null && !changed.isEmpty(),
                oldMaster == null ? null : oldMaster.publicKey());
    }

    /**
     * Stores a checked upload (nothing to do for a repeat of the stored keys). Returns false if the user's
     * master key changed since {@link #check}: two concurrent first uploads must not both skip UIA, so the
     * caller checks again.
     */
    public boolean store(Upload upload) {
        if (upload.changed().isEmpty() && upload.remove().isEmpty()) return true;
        if (!store.setCrossSigningKeys(upload.userId(), upload.changed(), upload.remove(), upload.storedMaster())) {
            return false;
        }
        deviceListChanged.accept(upload.userId());
        return true;
    }

    private static CrossSigningKey parse(ObjectNode json, String userId, String type) {
        String field = type + "_key";
        if (!userId.equals(KeyJson.string(json, "user_id"))) {
            throw MatrixException.invalidParam(field + ".user_id must be your user id");
        }
        JsonNode usage = json.get("usage");
        if (!(usage instanceof ArrayNode u)) throw MatrixException.badJson(field + ".usage must be an array");
        boolean hasType = false;
        for (JsonNode n : u) {
            if (!n.isTextual()) throw MatrixException.badJson(field + ".usage must hold strings");
            hasType |= n.textValue().equals(type);
        }
        if (!hasType) throw MatrixException.invalidParam(field + ".usage must contain '" + type + "'");
        ObjectNode keys = KeyJson.object(json, "keys", true);
        KeyJson.requireStringValues(keys, field + ".keys");
        if (keys.size() != 1) throw MatrixException.invalidParam(field + ".keys must hold exactly one key");
        Map.Entry<String, JsonNode> key = keys.properties().iterator().next();
        String pub = key.getValue().textValue();
        if (!key.getKey().equals("ed25519:" + pub) || KeyJson.ed25519(pub) == null) {
            throw MatrixException.invalidParam(field + ".keys must be {\"ed25519:<public key>\": \"<public key>\"}");
        }
        JsonNode sigs = json.get("signatures");
        if (sigs != null && !sigs.isObject()) throw MatrixException.badJson(field + ".signatures must be an object");
        return new CrossSigningKey(type, pub, json);
    }

    /**
     * Adds master_keys, self_signing_keys and user_signing_keys (the latter only the requester's own) for the
     * users of a /keys/query answer. Signatures on a master key are shown from its owner and from the
     * requester: a signature by someone's user-signing key is only for that someone.
     */
    public void addToQuery(String requester, ObjectNode answer, Iterable<String> users) {
        ObjectNode masters = answer.putObject("master_keys");
        ObjectNode selfSigning = answer.putObject("self_signing_keys");
        ObjectNode userSigning = answer.putObject("user_signing_keys");
        for (String user : users) {
            Map<String, CrossSigningKey> keys = store.crossSigningKeys(user);
            if (keys.isEmpty()) continue;
            CrossSigningKey master = keys.get(MASTER);
            if (master != null) {
                ObjectNode json = master.json();
                Map<String, List<KeyStore.Signature>> sigs = DeviceKeys.byTarget(store.signaturesOn(user));
                for (KeyStore.Signature s : sigs.getOrDefault(master.publicKey(), List.of())) {
                    if (s.signerUserId().equals(user) || s.signerUserId().equals(requester)) {
                        KeyJson.addSignature(json, s.signerUserId(), s.signerKeyId(), s.signature());
                    }
                }
                masters.set(user, json);
            }
            if (keys.get(SELF_SIGNING) != null) selfSigning.set(user, keys.get(SELF_SIGNING).json());
            if (keys.get(USER_SIGNING) != null && user.equals(requester)) userSigning.set(user, keys.get(USER_SIGNING).json());
        }
    }
}
