package de.amtsbote.media;

import static de.amtsbote.media.MediaSafety.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaSafetyTest {

    @Test
    void activeContentIsServedAsOctetStreamAttachment() {
        for (String t : new String[] {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml",
                "application/javascript", "text/javascript", "application/pdf", "application/x-shockwave-flash",
                "TEXT/HTML; charset=utf-8", "multipart/x-mixed-replace", "", "  ", "image/png\r\nX-Evil: 1"}) {
            assertEquals(OCTET_STREAM, safeContentType(t), t);
            assertFalse(isInlineSafe(t), t);
            assertEquals("attachment; filename=\"a.html\"", contentDisposition(safeContentType(t), "a.html", false));
            assertEquals("attachment", contentDisposition(t, null, false));
        }
        assertEquals(OCTET_STREAM, safeContentType(null));
    }

    @Test
    void inlineSafeTypesAreKeptNormalised() {
        assertEquals("image/png", safeContentType("image/png"));
        assertEquals("image/jpeg", safeContentType(" IMAGE/JPEG ; foo=bar"));
        assertEquals("video/mp4", safeContentType("video/mp4; codecs=\"avc1\""));
        assertEquals("application/json", safeContentType("application/json"));
        assertEquals("inline; filename=\"cat.png\"", contentDisposition("image/png", "cat.png", false));
        assertEquals("attachment; filename=\"cat.png\"", contentDisposition("image/png", "cat.png", true));
        assertEquals("inline", contentDisposition("audio/ogg", null, false));
    }

    @Test
    void textGetsCharsetOnlyWhenMissingOrUnsafe() {
        assertEquals("text/plain; charset=utf-8", safeContentType("text/plain"));
        assertEquals("text/plain; charset=iso-8859-1", safeContentType("text/plain; charset=ISO-8859-1"));
        assertEquals("text/csv; charset=windows-1252", safeContentType("text/csv;charset=\"windows-1252\""));
        assertEquals("text/plain; charset=utf-8", safeContentType("text/plain; charset=utf-7"));
        assertEquals("text/plain; charset=utf-8", safeContentType("text/plain; charset=\"a\r\nb\""));
        assertEquals("text/css; charset=utf-8", safeContentType("text/css; format=flowed"));
    }

    @Test
    void fileNamesWithQuotesAndNonAsciiAreEncoded() {
        assertEquals("attachment; filename=\"say _hi_.txt\"; filename*=utf-8''say%20%22hi%22.txt",
                contentDisposition(OCTET_STREAM, "say \"hi\".txt", false));
        assertEquals("inline; filename=\"Bescheid_Stra_e.png\"; filename*=utf-8''Bescheid_Stra%C3%9Fe.png",
                contentDisposition("image/png", "Bescheid_Straße.png", false));
        String h = contentDisposition(OCTET_STREAM, "a;b\r\nSet-Cookie: x=1%41.txt", false);
        assertEquals("attachment; filename=\"a_bSet-Cookie: x=1_41.txt\"; "
                + "filename*=utf-8''a%3BbSet-Cookie%3A%20x%3D1%2541.txt", h);
        // A backslash is a path separator (Windows clients), so only the last segment survives.
        assertEquals("attachment; filename=\"b.txt\"", contentDisposition(OCTET_STREAM, "a\\b.txt", false));
        // Emoji (outside the BMP) encodes as its 4 UTF-8 bytes.
        assertTrue(contentDisposition("image/png", "\uD83D\uDE00.png", false).endsWith("''%F0%9F%98%80.png"));
    }

    @Test
    void fileNamesAreCleaned() {
        assertEquals("passwd", validateFileName("../../etc/passwd"));
        assertEquals("x.png", validateFileName("C:\\fakepath\\x.png"));
        assertEquals("invoicetxt.exe", validateFileName("invoice\u202Etxt.exe"));
        assertEquals("ab", validateFileName("a\u0000\r\n\tb\u0085"));
        assertEquals("ab.txt", validateFileName("  ab.txt  "));
        assertEquals("a.txt", validateFileName("a\uD800.txt"));
        assertNull(validateFileName(null));
        assertNull(validateFileName(""));
        assertNull(validateFileName("dir/"));
        assertNull(validateFileName(".."));
        assertNull(validateFileName("\u200B"));
        assertEquals("say \"hi\".txt", validateFileName("say \"hi\".txt"), "quotes are the header's business");

        String longName = "ä".repeat(300) + ".pdf";
        String cut = validateFileName(longName);
        assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= 255);
        assertTrue(cut.endsWith(".pdf"));
        assertTrue(cut.startsWith("ää"));
        assertTrue(validateFileName("x".repeat(1000)).length() == 255);
    }

    @Test
    void securityHeadersAreStrict() {
        Map<String, String> h = securityHeaders();
        String csp = h.get("Content-Security-Policy");
        assertTrue(csp.startsWith("sandbox;"));
        assertTrue(csp.contains("default-src 'none'"));
        assertTrue(csp.contains("script-src 'none'"));
        assertEquals("nosniff", h.get("X-Content-Type-Options"));
        assertEquals("cross-origin", h.get("Cross-Origin-Resource-Policy"));
        assertThrows(UnsupportedOperationException.class, () -> h.put("x", "y"));
    }
}
