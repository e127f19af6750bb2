package de.amtsbote.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTest {
    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    @Test
    void strictUtf8() {
        assertEquals("a\u00e4\ud83d\ude00", Text.utf8("a\u00e4\ud83d\ude00".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> Text.utf8(bytes(0xC0, 0xAF)), "overlong /");
        assertThrows(IllegalArgumentException.class, () -> Text.utf8(bytes(0xE0, 0x80, 0xAF)), "overlong 3-byte");
        assertThrows(IllegalArgumentException.class, () -> Text.utf8(bytes(0xED, 0xA0, 0x80)), "encoded surrogate");
        assertThrows(IllegalArgumentException.class, () -> Text.utf8(bytes(0xF4, 0x90, 0x80, 0x80)), "above U+10FFFF");
        assertThrows(IllegalArgumentException.class, () -> Text.utf8(bytes(0xE2, 0x82)), "truncated");
        assertThrows(IllegalArgumentException.class, () -> Text.utf8(bytes(0x61, 0x00)), "NUL");
    }

    @Test
    void nulAndLoneSurrogates() {
        Text.check("ok \ud83d\ude00");
        assertThrows(IllegalArgumentException.class, () -> Text.check("a\u0000"));
        assertThrows(IllegalArgumentException.class, () -> Text.check("a\ud800"));
        assertThrows(IllegalArgumentException.class, () -> Text.check("\udc00a"));
        assertThrows(IllegalArgumentException.class, () -> Text.check("\ud800\ud800\udc00"));
        assertThrows(IllegalArgumentException.class, () -> Text.check(Json.parse("{\"a\":[{\"b\\u0000\":1}]}")));
        assertThrows(IllegalArgumentException.class, () -> Text.check(Json.parse("[\"x\\udfff\"]")));
        Text.check(Json.parse("{\"a\":[1,true,null,\"\\ud83d\\ude00\"]}"));
    }

    @Test
    void percentDecoding() {
        assertEquals("!room:test.local", Text.percentDecode("%21room%3Atest.local", false));
        assertEquals("a+b", Text.percentDecode("a+b", false), "'+' is literal in paths");
        assertEquals("a b", Text.percentDecode("a+b", true), "'+' is a space in queries");
        assertEquals("\u00e4", Text.percentDecode("%C3%A4", false));
        for (String bad : new String[] {"%", "%4", "%G0", "%00", "%C3%28", "%ED%A0%80", "%C0%AF", "%FF"}) {
            assertThrows(IllegalArgumentException.class, () -> Text.percentDecode(bad, false), bad);
        }
    }
}
