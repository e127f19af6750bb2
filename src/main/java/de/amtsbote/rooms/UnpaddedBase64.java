package de.amtsbote.rooms;

import java.util.Base64;

/** The spec's "unpadded Base64" (appendix) in its standard and URL-safe alphabets. */
public final class UnpaddedBase64 {
    private UnpaddedBase64() {}

    public static String encode(byte[] data) {
        return Base64.getEncoder().withoutPadding().encodeToString(data);
    }

    public static String encodeUrlSafe(byte[] data) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    /**
     * Decodes either alphabet, with or without padding, as the spec asks decoders to be lenient.
     * Throws IllegalArgumentException for anything else.
     */
    public static byte[] decode(String text) {
        String s = text.strip();
        while (s.endsWith("=")) s = s.substring(0, s.length() - 1);
        if (s.indexOf('-') >= 0 || s.indexOf('_') >= 0) return Base64.getUrlDecoder().decode(s);
        return Base64.getDecoder().decode(s);
    }
}
