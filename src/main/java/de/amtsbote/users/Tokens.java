package de.amtsbote.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Random access tokens and device ids, and the hash under which a token is stored. */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private Tokens() {}

    public static String newAccessToken() { return "abt_" + random(ALPHANUM, 40); }

    public static String newDeviceId() { return random(UPPER, 10); }

    public static String random(int length) { return random(ALPHANUM, length); }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        return new String(out);
    }

    /** SHA-256 hex; tokens are long random strings, so a fast hash is enough (unlike passwords). */
    public static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
