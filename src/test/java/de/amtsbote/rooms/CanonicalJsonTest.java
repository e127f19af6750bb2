package de.amtsbote.rooms;

import static org.junit.jupiter.api.Assertions.*;

import de.amtsbote.util.Json;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static String canon(String json) {
        return CanonicalJson.encode(Json.parse(json));
    }

    @Test
    void appendixExamples() {
        assertEquals("{}", canon("{}"));
        assertEquals("{\"one\":1,\"two\":\"Two\"}", canon("{\n \"one\": 1,\n \"two\": \"Two\"\n}"));
        assertEquals("{\"a\":\"1\",\"b\":\"2\"}", canon("{\n \"b\": \"2\",\n \"a\": \"1\"\n}"));
        assertEquals("{\"a\":\"1\",\"b\":\"2\"}", canon("{\"b\":\"2\",\"a\":\"1\"}"));
        assertEquals("{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\","
                        + "\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},"
                        + "{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},\"success\":true}}",
                canon("""
                        {"auth": {"success": true, "mxid": "@john.doe:example.com",
                          "profile": {"display_name": "John Doe", "three_pids": [
                            {"medium": "email", "address": "john.doe@example.org"},
                            {"medium": "msisdn", "address": "123456789"}]}}}"""));
        assertEquals("{\"a\":\"日本語\"}", canon("{\"a\": \"日本語\"}"));
        assertEquals("{\"日\":1,\"本\":2}", canon("{\"本\": 2, \"日\": 1}"));
        assertEquals("{\"a\":\"日\"}", canon("{\"a\": \"\\u65E5\"}"));
        assertEquals("{\"a\":null}", canon("{\"a\": null}"));
        assertEquals("{\"a\":0,\"b\":10000000000}", canon("{\"a\": -0, \"b\": 1e10}"));
    }

    @Test
    void escapesOnlyWhatTheGrammarRequires() {
        assertEquals("[\"\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001f/\u007f\u2028\"]",
                canon("[\"\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001F\\/\\u007f\\u2028\"]"));
    }

    @Test
    void keysSortByCodePointNotUtf16Unit() {
        // U+1F600 (surrogate pair D83D DE00) must sort after U+FF21 although D83D < FF21 as UTF-16 units.
        assertEquals("{\"\uFF21\":1,\"\uD83D\uDE00\":2}", canon("{\"\uD83D\uDE00\":2,\"\uFF21\":1}"));
        assertArrayEquals("{\"é\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                CanonicalJson.bytes(Json.parse("{\"é\": 1}")));
    }

    @Test
    void validateRejectsFloatsAndOutOfRange() {
        CanonicalJson.validate(Json.parse("{\"a\":[9007199254740991,-9007199254740991,{\"b\":0}]}"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.validate(Json.parse("{\"a\":1.5}")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.validate(Json.parse("{\"a\":[1.0]}")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.validate(Json.parse("{\"a\":9007199254740992}")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.validate(Json.parse("{\"a\":-9007199254740992}")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.validate(Json.parse("[123456789012345678901234567890]")));
        assertThrows(IllegalArgumentException.class, () -> canon("{\"a\":1.5}"));
    }
}
