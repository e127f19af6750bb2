package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.CanonicalJson;
import de.amtsbote.rooms.ServerSigningKey;
import de.amtsbote.rooms.UnpaddedBase64;
import java.util.Map;

/** Shape checks and Ed25519 signature checks for the key objects clients upload ("Signing JSON"). */
final class KeyJson {
    /** Key ids, device ids and algorithm names longer than this are refused: nothing legitimate needs more. */
    static final int MAX_ID_LENGTH = 255;

    private KeyJson() {}

    /** Floats and out-of-range integers have no canonical form, so nothing with them can be signed. */
    static void requireCanonical(JsonNode body) {
        try {
            CanonicalJson.validate(body);
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson(e.getMessage());
        }
    }

    static ObjectNode object(JsonNode parent, String field, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) throw MatrixException.badJson("'" + field + "' is required");
            return null;
        }
        if (!(n instanceof ObjectNode o)) throw MatrixException.badJson("'" + field + "' must be an object");
        return o;
    }

    static String string(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isTextual()) throw MatrixException.badJson("'" + field + "' must be a string");
        return n.textValue();
    }

    /** Splits "algorithm:id"; both parts non-empty and of sane length, else 400 M_INVALID_PARAM. */
    static String[] algorithmAndId(String name) {
        int colon = name.indexOf(':');
        if (colon <= 0 || colon == name.length() - 1 || name.length() > MAX_ID_LENGTH) {
            throw MatrixException.invalidParam("Key name '" + shorten(name) + "' is not of the form <algorithm>:<key id>");
        }
        return new String[] {name.substring(0, colon), name.substring(colon + 1)};
    }

    /** A 32-byte Ed25519 public key in unpadded base64, or null if the text is not one. */
    static byte[] ed25519(String base64) {
        if (base64 == null) return null;
        try {
            byte[] key = UnpaddedBase64.decode(base64);
            return key.length == 32 ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether json carries a valid signature by signer's key keyId (e.g. "ed25519:ABCDEF") made with publicKey. */
    static boolean signedBy(ObjectNode json, String signer, String keyId, String publicKeyBase64) {
        byte[] key = ed25519(publicKeyBase64);
        return key != null && ServerSigningKey.verifyJson(json, signer, keyId, key);
    }

    /** The signed part of a key object: everything but signatures and unsigned. */
    static ObjectNode signable(ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return copy;
    }

    /** Adds signatures[signer][keyId] = signature to json (in place). */
    static void addSignature(ObjectNode json, String signer, String keyId, String signature) {
        JsonNode sigs = json.get("signatures");
        ObjectNode all = sigs instanceof ObjectNode o ? o : json.putObject("signatures");
        JsonNode bySigner = all.get(signer);
        ObjectNode mine = bySigner instanceof ObjectNode o ? o : all.putObject(signer);
        mine.put(keyId, signature);
    }

    /** Every field value of the object is a string (e.g. a keys map). */
    static void requireStringValues(ObjectNode o, String what) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!e.getValue().isTextual()) throw MatrixException.badJson("'" + what + "' values must be strings");
        }
    }

    static String shorten(String s) { return s.length() > 60 ? s.substring(0, 60) + "…" : s; }

    static MatrixException invalidSignature(String msg) {
        return new MatrixException(400, "M_INVALID_SIGNATURE", msg);
    }
}
