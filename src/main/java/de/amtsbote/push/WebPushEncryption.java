package de.amtsbote.push;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message encryption for Web Push (RFC 8291) in the aes128gcm content coding (RFC 8188): a fresh P-256 key
 * pair and salt per message, ECDH with the subscription's p256dh, the auth secret mixed in by HKDF-SHA256,
 * and one AES-128-GCM record. Only the browser holding the subscription's private key can read the push; the
 * push service (Google, Mozilla, Apple) sees ciphertext.
 */
final class WebPushEncryption {
    /** The record size we announce; one record carries our small payloads (RFC 8291 allows up to 4096). */
    static final int RECORD_SIZE = 4096;
    /** Header (86) + tag (16) + delimiter (1) leave this much for the plaintext in our single record. */
    static final int MAX_PLAINTEXT = RECORD_SIZE - 16 - 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebPushEncryption() {}

    /** Encrypts a payload for a subscription (p256dh: 65-byte point; auth: 16-byte secret). */
    static byte[] encrypt(byte[] plaintext, byte[] p256dh, byte[] auth) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        KeyPair ephemeral;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(P256.PARAMS, RANDOM);
            ephemeral = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return encrypt(plaintext, p256dh, auth, salt, (ECPrivateKey) ephemeral.getPrivate(),
                (ECPublicKey) ephemeral.getPublic());
    }

    /** With a given sender key pair and salt: the RFC's example uses fixed ones, so tests can compare bytes. */
    static byte[] encrypt(byte[] plaintext, byte[] p256dh, byte[] auth, byte[] salt, ECPrivateKey asPrivate,
                          ECPublicKey asPublic) {
        if (auth.length != 16) throw new IllegalArgumentException("the auth secret must be 16 bytes");
        if (salt.length != 16) throw new IllegalArgumentException("the salt must be 16 bytes");
        if (plaintext.length > MAX_PLAINTEXT) throw new IllegalArgumentException("payload too large for one record");
        ECPublicKey uaPublic = P256.publicKey(p256dh);
        byte[] asPublicBytes = P256.uncompressed(asPublic);
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(asPrivate);
            ka.doPhase(uaPublic, true);
            byte[] ecdhSecret = ka.generateSecret();
            // RFC 8291 section 3.4: IKM = HKDF(auth, ecdh_secret, "WebPush: info" || 0 || ua_public || as_public, 32)
            byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), p256dh, asPublicBytes);
            byte[] ikm = expand(extract(auth, ecdhSecret), keyInfo, 32);
            // RFC 8188 section 2.2/2.3: CEK and nonce from the salt.
            byte[] prk = extract(salt, ikm);
            byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
            byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
            // The last (and only) record ends in the delimiter 0x02 (RFC 8188 section 2); no further padding.
            byte[] record = Arrays.copyOf(plaintext, plaintext.length + 1);
            record[plaintext.length] = 0x02;
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            byte[] ciphertext = aes.doFinal(record);
            // Header: salt (16) || rs (uint32) || idlen (1) || keyid (the sender's public key, 65).
            ByteBuffer out = ByteBuffer.allocate(16 + 4 + 1 + asPublicBytes.length + ciphertext.length);
            out.put(salt).putInt(RECORD_SIZE).put((byte) asPublicBytes.length).put(asPublicBytes).put(ciphertext);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encrypt for this subscription", e);
        }
    }

    static byte[] extract(byte[] salt, byte[] ikm) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        return mac.doFinal(ikm);
    }

    /** HKDF-Expand for at most one block (all our lengths are ≤ 32). */
    static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }
}
