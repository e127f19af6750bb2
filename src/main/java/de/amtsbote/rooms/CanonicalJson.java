package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON as defined in the spec appendix "Canonical JSON": the shortest UTF-8 encoding, object keys
 * sorted by Unicode code point, integers only. Signatures and hashes are computed over these bytes, so every
 * detail here must match other servers byte for byte.
 */
public final class CanonicalJson {
    /** Largest magnitude allowed for numbers: 2^53 - 1, so that every value is exact as an IEEE double. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final BigInteger MAX = BigInteger.valueOf(MAX_SAFE_INTEGER);
    private static final BigInteger MIN = MAX.negate();

    /**
     * Java's String.compareTo orders by UTF-16 code unit, which puts U+E000..U+FFFF after supplementary
     * characters; the spec wants code point order (which equals UTF-8 byte order).
     */
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private CanonicalJson() {}

    /**
     * Encodes a value canonically. Integral floating values (e.g. parsed from {@code 1e10}) are written as
     * integers, as the appendix example demands; fractional or out-of-range numbers throw
     * IllegalArgumentException because they have no canonical form.
     */
    public static String encode(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    public static byte[] bytes(JsonNode node) {
        return encode(node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Strict check for JSON that clients and servers send us: rejects any floating-point number (even
     * integral ones like 1.0 or 1e10) and integers outside [-(2^53)+1, 2^53-1]. The caller maps the
     * IllegalArgumentException to M_BAD_JSON.
     */
    public static void validate(JsonNode node) {
        if (node == null) return;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) validate(e.getValue());
        } else if (node.isArray()) {
            for (JsonNode child : node) validate(child);
        } else if (node.isNumber()) {
            if (!node.isIntegralNumber()) throw new IllegalArgumentException("floating-point numbers are not allowed: " + node);
            checkRange(node.bigIntegerValue());
        }
    }

    private static void checkRange(BigInteger value) {
        if (value.compareTo(MAX) > 0 || value.compareTo(MIN) < 0) {
            throw new IllegalArgumentException("integer out of range [-(2^53)+1, 2^53-1]: " + value);
        }
    }

    private static void write(JsonNode node, StringBuilder sb) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(keys::add);
            keys.sort(CODE_POINT_ORDER);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) sb.append(',');
                writeString(keys.get(i), sb);
                sb.append(':');
                write(node.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) sb.append(',');
                write(node.get(i), sb);
            }
            sb.append(']');
        } else if (node.isTextual()) {
            writeString(node.textValue(), sb);
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue());
        } else if (node.isNumber()) {
            sb.append(integerOf(node));
        } else {
            throw new IllegalArgumentException("not representable in canonical JSON: " + node.getNodeType());
        }
    }

    private static BigInteger integerOf(JsonNode node) {
        BigInteger value;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else {
            double d = node.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("not a finite number: " + node);
            BigDecimal dec = node.decimalValue().stripTrailingZeros();
            // -0.0 becomes 0 here, which is what the appendix wants for -0.
            if (dec.scale() > 0) throw new IllegalArgumentException("fractional numbers have no canonical form: " + node);
            value = dec.toBigIntegerExact();
        }
        checkRange(value);
        return value;
    }

    /** Escapes only what the grammar requires: quote, backslash and C0 controls; everything else is raw UTF-8. */
    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
