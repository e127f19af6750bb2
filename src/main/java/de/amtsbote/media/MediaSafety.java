package de.amtsbote.media;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Header values for serving uploaded media so that it cannot run script in our origin: only the content types
 * the spec lists as safe for {@code Content-Disposition: inline} are served as themselves, everything else is
 * served as an attachment of type application/octet-stream, and every response carries a sandboxing CSP and
 * nosniff.
 */
public final class MediaSafety {
    /** Exactly the list of "Serving inline content" in the spec (content_repo.md). Notably no SVG, HTML, PDF. */
    private static final Set<String> INLINE_TYPES = Set.of(
            "text/css", "text/plain", "text/csv", "application/json", "application/ld+json",
            "image/jpeg", "image/gif", "image/png", "image/apng", "image/webp", "image/avif",
            "video/mp4", "video/webm", "video/ogg", "video/quicktime",
            "audio/mp4", "audio/webm", "audio/aac", "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav",
            "audio/x-wav", "audio/x-pn-wav", "audio/flac", "audio/x-flac");

    public static final String OCTET_STREAM = "application/octet-stream";
    /** Charsets we pass through; a whitelist so nothing like UTF-7 (a classic XSS vector) gets through. */
    private static final Pattern CHARSET = Pattern.compile(
            "utf-8|us-ascii|utf-16(le|be)?|iso-8859-\\d{1,2}|windows-125\\d|koi8-[ru]|shift_jis|euc-jp|euc-kr"
                    + "|gb2312|gbk|gb18030|big5", Pattern.CASE_INSENSITIVE);
    /** Longest file name we keep, in UTF-8 bytes: the usual file system limit. */
    private static final int MAX_NAME_BYTES = 255;

    private static final Map<String, String> SECURITY_HEADERS;

    static {
        Map<String, String> h = new LinkedHashMap<>();
        // The spec's recommended policy plus media-src, so audio/video still play when opened directly.
        h.put("Content-Security-Policy", "sandbox; default-src 'none'; script-src 'none'; "
                + "plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';");
        h.put("X-Content-Type-Options", "nosniff"); // browsers must not guess HTML out of a "text/plain" upload
        h.put("Cross-Origin-Resource-Policy", "cross-origin"); // spec v1.4: web clients on other origins
        SECURITY_HEADERS = Collections.unmodifiableMap(h);
    }

    private MediaSafety() {}

    /** Headers to add to every media and thumbnail response. */
    public static Map<String, String> securityHeaders() {
        return SECURITY_HEADERS;
    }

    /** Whether the (bare or parameterised) content type may be served inline. */
    public static boolean isInlineSafe(String contentType) {
        return INLINE_TYPES.contains(baseType(contentType));
    }

    /**
     * The Content-Type to serve for an upload's declared type: the type itself, lower-cased and without
     * parameters, if it is inline-safe, else application/octet-stream. Text types keep a well-formed charset
     * from the upload or get {@code charset=utf-8}, so browsers never guess an encoding.
     */
    public static String safeContentType(String uploadedType) {
        String base = baseType(uploadedType);
        if (!INLINE_TYPES.contains(base)) return OCTET_STREAM;
        if (!base.startsWith("text/")) return base;
        String charset = "utf-8";
        String[] parts = uploadedType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("charset")) continue;
            String v = p.substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            if (CHARSET.matcher(v).matches()) charset = v.toLowerCase(Locale.ROOT);
            break;
        }
        return base + "; charset=" + charset;
    }

    /**
     * The Content-Disposition value: {@code inline} only for inline-safe types and when not forced, else
     * {@code attachment}; with the file name (if any) per RFC 6266: an ASCII-only {@code filename="..."}
     * fallback in which anything risky is replaced by '_', plus the exact name as RFC 8187/5987
     * {@code filename*=utf-8''...} whenever the two differ. Quotes, CR, LF and ';' can never reach the header.
     */
    public static String contentDisposition(String contentType, String fileName, boolean forceAttachment) {
        String type = !forceAttachment && isInlineSafe(contentType) ? "inline" : "attachment";
        String name = validateFileName(fileName);
        if (name == null) return type;
        StringBuilder ascii = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            // '%' too: some browsers percent-decode the plain filename parameter.
            boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' && c != '%' && c != ',';
            ascii.append(plain ? c : '_');
        }
        String header = type + "; filename=\"" + ascii + "\"";
        return ascii.toString().equals(name) ? header : header + "; filename*=utf-8''" + encodeRfc8187(name);
    }

    /**
     * Cleans a client-supplied file name: keeps only the last path segment, drops control, formatting (e.g.
     * right-to-left override, used to disguise "exe" as "txt") and unpaired surrogate characters, trims
     * whitespace and shortens to 255 UTF-8 bytes keeping a short extension. Returns null if nothing usable
     * is left.
     */
    public static String validateFileName(String fileName) {
        if (fileName == null) return null;
        int cut = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        String s = fileName.substring(cut + 1);
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !unwanted(cp)).forEach(sb::appendCodePoint);
        String name = sb.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) return null;
        if (utf8Length(name) <= MAX_NAME_BYTES) return name;
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        return truncate(name.substring(0, name.length() - ext.length()), MAX_NAME_BYTES - utf8Length(ext)) + ext;
    }

    private static boolean unwanted(int cp) {
        int t = Character.getType(cp);
        return Character.isISOControl(cp) || t == Character.FORMAT || t == Character.SURROGATE
                || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR;
    }

    private static String truncate(String s, int maxBytes) {
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int cp : s.codePoints().toArray()) {
            bytes += utf8Length(Character.toString(cp));
            if (bytes > maxBytes) break;
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Percent-encodes everything but RFC 8187 attr-char. */
    private static String encodeRfc8187(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static String baseType(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
