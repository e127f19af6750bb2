package de.amtsbote.http;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NUL, lone surrogates and invalid UTF-8 are refused at the edge, the same on both databases (PostgreSQL
 * used to answer 500 for NUL in a login name, a directory search, a filter id or a display name).
 */
@ParameterizedClass
@EnumSource(TestServer.Db.class)
class TextRejectionTest {
    static TestServer s;
    static String alice;

    @Parameter
    TestServer.Db db;

    @BeforeParameterizedClassInvocation
    static void start(TestServer.Db db) throws Exception {
        s = new TestServer(db);
        alice = s.userToken("alice");
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception { s.close(); }

    private static final String[] BAD_STRINGS = {"a\\u0000b", "\\u0000", "x\\ud800", "\\udc00y", "\\ud800\\ud800"};

    @Test
    void badTextInJsonBodiesIsBadJson() throws Exception {
        for (String bad : BAD_STRINGS) {
            assertError(s.requestRaw("POST", "/_matrix/client/v3/login", null,
                    "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"" + bad
                            + "\"},\"password\":\"x\"}", "application/json"), 400, "M_BAD_JSON");
            assertError(s.requestRaw("POST", "/_matrix/client/v3/user_directory/search", alice,
                    "{\"search_term\":\"" + bad + "\"}", "application/json"), 400, "M_BAD_JSON");
            assertError(s.requestRaw("PUT", "/_matrix/client/v3/profile/@alice:test.local/displayname", alice,
                    "{\"displayname\":\"" + bad + "\"}", "application/json"), 400, "M_BAD_JSON");
            assertError(s.requestRaw("POST", "/_matrix/client/v3/user/@alice:test.local/filter", alice,
                    "{\"room\":{\"rooms\":[\"" + bad + "\"]}}", "application/json"), 400, "M_BAD_JSON");
            // In a key, too.
            var r = s.requestRaw("POST", "/_matrix/client/v3/createRoom", alice,
                    "{\"creation_content\":{\"" + bad + "\":1}}", "application/json");
            assertEquals("M_BAD_JSON", r.errcode(), bad + ": " + r.body());
        }
        assertEquals(200, s.requestRaw("PUT", "/_matrix/client/v3/profile/@alice:test.local/displayname", alice,
                "{\"displayname\":\"Alice \\ud83d\\ude00 \u00e4\"}", "application/json").status(), "paired surrogates are fine");
    }

    @Test
    void invalidUtf8BytesInJsonBodiesAreBadJson() throws Exception {
        int[][] badBytes = {{0xC0, 0xAF}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xFF}, {0xC3, 0x28}, {0xF4, 0x90, 0x80, 0x80}, {0x00}};
        for (int[] bad : badBytes) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"displayname\":\"a".getBytes(StandardCharsets.UTF_8));
            for (int b : bad) body.write(b);
            body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            var r = s.requestBytes("PUT", "/_matrix/client/v3/profile/@alice:test.local/displayname", alice,
                    body.toByteArray(), "application/json");
            String text = new String(r.body(), StandardCharsets.UTF_8);
            assertEquals(400, r.statusCode(), text);
            assertEquals("M_BAD_JSON", Json.parse(text).path("errcode").asText(), text);
        }
    }

    @Test
    void badTextInQueryAndPathIsInvalidParam() throws Exception {
        // Jetty itself refuses a URI with %00 in it, before any routing: still 400 with a Matrix body.
        for (String path : new String[] {"/_matrix/client/v3/sync?filter=%00", "/_matrix/client/v3/sync?filter=a%00",
                "/_matrix/client/v3/profile/%00", "/_matrix/client/v3/user/@alice:test.local/filter/%00"}) {
            var r = s.request("GET", path, alice, null);
            assertEquals(400, r.status(), path);
            assertEquals(true, r.errcode().startsWith("M_"), r.body());
        }
        for (String bad : new String[] {"%ED%A0%80", "%C0%AF", "%FF", "%C3%28", "%E2%82", "%F0%9F%98"}) {
            assertError(s.request("GET", "/_matrix/client/v3/sync?filter=" + bad, alice, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", "/_matrix/client/v3/profile/" + bad, alice, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", "/_matrix/client/v3/user/@alice:test.local/filter/" + bad, alice, null),
                    400, "M_INVALID_PARAM");
            assertError(s.request("GET", "/_matrix/client/v3/publicRooms?since=" + bad, alice, null), 400, "M_INVALID_PARAM");
            assertError(s.request("GET", "/_matrix/client/v3/account/whoami?access_token=" + bad, null, null),
                    400, "M_INVALID_PARAM");
        }
        assertEquals(200, s.request("GET", "/_matrix/client/v3/profile/%40alice%3Atest.local", alice, null).status());
    }
}
