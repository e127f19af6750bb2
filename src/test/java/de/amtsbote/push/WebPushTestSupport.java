package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.util.Json;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a browser and a push service do with our pushes, written independently of the code under test: decrypt
 * an aes128gcm body (RFC 8188/8291) with the subscription's private key and auth secret, and check a VAPID
 * Authorization header (RFC 8292) the way a push service does, with a standard DER ECDSA verifier.
 */
final class WebPushTestSupport {
    private WebPushTestSupport() {}

    static byte[] b64(String s) { return Base64.getUrlDecoder().decode(s.replaceAll("\\s", "")); }

    /** Decrypts a single-record aes128gcm body; fails on any deviation from the format. */
    static byte[] decrypt(byte[] body, ECPrivateKey uaPrivate, byte[] uaPublic, byte[] auth) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        int rs = in.getInt();
        assertEquals(4096, rs, "record size");
        int idlen = in.get() & 0xff;
        assertEquals(65, idlen, "keyid is the sender's uncompressed P-256 key");
        byte[] asPublic = new byte[idlen];
        in.get(asPublic);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        assertTrue(ciphertext.length <= rs, "one record");

        // The sender's key as X.509: the fixed P-256 SubjectPublicKeyInfo prefix, then the point.
        byte[] spki = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
        byte[] x509 = Arrays.copyOf(spki, spki.length + 65);
        System.arraycopy(asPublic, 0, x509, spki.length, 65);
        PublicKey senderKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(x509));
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(uaPrivate);
        ka.doPhase(senderKey, true);
        byte[] ecdh = ka.generateSecret();

        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes("WebPush: info".getBytes(StandardCharsets.US_ASCII));
        info.write(0);
        info.writeBytes(uaPublic);
        info.writeBytes(asPublic);
        byte[] ikm = hkdf(auth, ecdh, info.toByteArray(), 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] record = aes.doFinal(ciphertext);
        // Strip padding: zeros from the end, then the last-record delimiter 0x02.
        int end = record.length - 1;
        while (end >= 0 && record[end] == 0) end--;
        assertTrue(end >= 0 && record[end] == 2, "last record ends with the delimiter 0x02");
        return Arrays.copyOf(record, end);
    }

    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    /**
     * Checks "vapid t=<jwt>, k=<key>": the key is the expected one, the JWT is ES256 with a 64-byte R||S
     * signature that verifies under k, aud is the audience, exp is in the future and at most 24 hours ahead.
     * Returns the claims.
     */
    static JsonNode verifyVapid(String authorization, String expectedKey, String expectedAudience) throws Exception {
        assertTrue(authorization.startsWith("vapid "), authorization);
        String t = null;
        String k = null;
        for (String part : authorization.substring(6).split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) t = p.substring(2);
            if (p.startsWith("k=")) k = p.substring(2);
        }
        assertEquals(expectedKey, k, "k is the VAPID public key");
        String[] jwt = t.split("\\.");
        assertEquals(3, jwt.length, t);
        JsonNode header = Json.parse(b64(jwt[0]));
        assertEquals("ES256", header.get("alg").asText());
        byte[] sig = b64(jwt[2]);
        assertEquals(64, sig.length, "ES256 signatures are R || S, 64 bytes");

        byte[] spki = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
        byte[] x509 = Arrays.copyOf(spki, spki.length + 65);
        System.arraycopy(b64(k), 0, x509, spki.length, 65);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(x509)));
        verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(der(sig)), "the JWT signature verifies with k");

        JsonNode claims = Json.parse(b64(jwt[1]));
        assertEquals(expectedAudience, claims.get("aud").asText());
        long now = System.currentTimeMillis() / 1000;
        long exp = claims.get("exp").asLong();
        assertTrue(exp > now && exp <= now + 24 * 3600, "exp within 24 hours: " + claims);
        return claims;
    }

    /** R || S to the DER SEQUENCE of two INTEGERs that Java's plain ECDSA verifier takes. */
    private static byte[] der(byte[] rs) {
        byte[] r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)).toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(2 + r.length + 2 + s.length);
        out.write(0x02);
        out.write(r.length);
        out.writeBytes(r);
        out.write(0x02);
        out.write(s.length);
        out.writeBytes(s);
        return out.toByteArray();
    }
}
