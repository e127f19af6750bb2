package de.amtsbote.util;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one place that decides which text a client may send: strict UTF-8 (no overlong forms, no encoded
 * surrogates), no NUL characters and no lone surrogates. PostgreSQL refuses NUL in text columns and
 * lone surrogates cannot be stored as UTF-8 at all, so without this check the same request would fail
 * differently per database. Failures are IllegalArgumentException with a message for the client.
 */
public final class Text {
    private Text() {}

    /** Strictly decoded UTF-8 that also passes {@link #check}. */
    public static String utf8(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii) {
            s = new String(bytes, StandardCharsets.US_ASCII);
        } else {
            try {
                s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("is not valid UTF-8");
            }
        }
        check(s);
        return s;
    }

    /** Throws if the text has a NUL character or a lone (unpaired) surrogate. */
    public static void check(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) throw new IllegalArgumentException("contains a NUL character");
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("contains an unpaired surrogate");
                }
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("contains an unpaired surrogate");
            }
        }
    }

    /** Checks every key and string value of a JSON tree (escapes like \u0000 only appear after parsing). */
    public static void check(JsonNode node) {
        if (node.isTextual()) {
            check(node.textValue());
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                check(e.getKey());
                check(e.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) check(child);
        }
    }

    /**
     * Percent-decodes one URL component strictly: malformed escapes, invalid UTF-8, NUL and lone surrogates
     * are refused. plusIsSpace: '+' means a space (query strings), not in paths.
     */
    public static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            check(s);
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw new IllegalArgumentException("has a malformed percent-escape");
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("has a malformed percent-escape");
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                // Not valid in a URI, but Jetty lets it through in legacy mode; take it as the UTF-8 it came as.
                int end = i + (Character.isHighSurrogate(c) && i + 1 < s.length() ? 2 : 1);
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return utf8(out.toByteArray());
    }
}
