package de.amtsbote.push;

import static de.amtsbote.push.WebPushTestSupport.b64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RFC 8291 message encryption, checked against the RFC's own example (section 5, appendix A). */
class WebPushEncryptionTest {
    private static final byte[] PLAINTEXT = "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.US_ASCII);
    private static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    private static final String RFC_MESSAGE = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIg"
            + "Dll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQ"
            + "exSgSxsj_Qulcy4a-fN";

    @Test
    void theRfcExampleEncryptsToTheRfcBytes() {
        byte[] out = WebPushEncryption.encrypt(PLAINTEXT, b64(UA_PUBLIC), b64(AUTH), b64(SALT),
                P256.privateKey(b64(AS_PRIVATE)), P256.publicKey(b64(AS_PUBLIC)));
        assertEquals(RFC_MESSAGE, Base64.getUrlEncoder().withoutPadding().encodeToString(out));
    }

    /** The test's decryptor reads the RFC's message: it is a fair judge for the tests that use it. */
    @Test
    void theTestDecryptorReadsTheRfcExample() throws Exception {
        byte[] plain = WebPushTestSupport.decrypt(b64(RFC_MESSAGE), P256.privateKey(b64(UA_PRIVATE)), b64(UA_PUBLIC), b64(AUTH));
        assertArrayEquals(PLAINTEXT, plain);
    }

    @Test
    void freshKeysAndSaltEachTimeAndTheBrowserCanRead() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(P256.PARAMS);
        KeyPair ua = g.generateKeyPair();
        byte[] uaPublic = P256.uncompressed((ECPublicKey) ua.getPublic());
        byte[] auth = new byte[16];
        new java.security.SecureRandom().nextBytes(auth);
        byte[] one = WebPushEncryption.encrypt(PLAINTEXT, uaPublic, auth);
        byte[] two = WebPushEncryption.encrypt(PLAINTEXT, uaPublic, auth);
        assertFalse(Arrays.equals(Arrays.copyOf(one, 86), Arrays.copyOf(two, 86)), "salt and sender key are fresh");
        assertArrayEquals(PLAINTEXT, WebPushTestSupport.decrypt(one, (ECPrivateKey) ua.getPrivate(), uaPublic, auth));
        assertArrayEquals(PLAINTEXT, WebPushTestSupport.decrypt(two, (ECPrivateKey) ua.getPrivate(), uaPublic, auth));
        // A wrong auth secret does not decrypt (GCM tag check).
        byte[] wrong = auth.clone();
        wrong[0] ^= 1;
        assertThrows(javax.crypto.AEADBadTagException.class,
                () -> WebPushTestSupport.decrypt(one, (ECPrivateKey) ua.getPrivate(), uaPublic, wrong));
    }

    @Test
    void badSubscriptionKeysAreRefused() {
        byte[] notOnCurve = new byte[65];
        notOnCurve[0] = 4;
        notOnCurve[64] = 1;
        assertThrows(IllegalArgumentException.class, () -> WebPushEncryption.encrypt(PLAINTEXT, notOnCurve, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> WebPushEncryption.encrypt(PLAINTEXT, new byte[33], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> WebPushEncryption.encrypt(PLAINTEXT, b64(UA_PUBLIC), new byte[8]));
    }
}
