package de.amtsbote.clientapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/** A real Ed25519 key pair from the JDK, signing JSON the way clients do ("Signing JSON" in the appendix). */
final class TestSigningKey {
    private final KeyPair pair;
    final String publicKey;

    TestSigningKey() throws Exception {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] x509 = pair.getPublic().getEncoded();
        // The X.509 encoding of an Ed25519 key ends with the 32 raw key bytes.
        publicKey = unpadded(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    }

    static String unpadded(byte[] b) { return Base64.getEncoder().withoutPadding().encodeToString(b); }

    /** The signature over the canonical JSON without signatures and unsigned. */
    String signature(ObjectNode json) throws Exception {
        ObjectNode copy = json.deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(CanonicalJson.encode(copy).getBytes(StandardCharsets.UTF_8));
        return unpadded(s.sign());
    }

    /** Adds signatures[userId][keyId] and returns json. */
    ObjectNode sign(ObjectNode json, String userId, String keyId) throws Exception {
        String sig = signature(json);
        ObjectNode sigs = json.has("signatures") ? (ObjectNode) json.get("signatures") : json.putObject("signatures");
        ObjectNode mine = sigs.has(userId) ? (ObjectNode) sigs.get(userId) : sigs.putObject(userId);
        mine.put(keyId, sig);
        return json;
    }
}
