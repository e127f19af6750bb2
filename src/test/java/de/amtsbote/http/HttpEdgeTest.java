package de.amtsbote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.testing.RawHttp;
import de.amtsbote.testing.TestServer;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Requests broken at the HTTP level (framing, encoding, sizes) get a Matrix error and a closed connection. */
@ParameterizedClass
@EnumSource(TestServer.Db.class)
class HttpEdgeTest {
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

    private static void assertMatrixError(RawHttp.Answer a, int status) {
        assertEquals(status, a.status(), a.head() + "\n" + a.body());
        assertTrue(a.json().path("errcode").asText("").startsWith("M_"), a.head() + "\n" + a.body());
        assertTrue(a.json().path("error").isTextual(), a.body());
        assertTrue(a.head().toLowerCase().contains("content-type: application/json"), a.head());
    }

    private static void assertClosed(RawHttp.Answer a) {
        assertEquals("close", String.valueOf(a.header("Connection")).toLowerCase(), a.head());
        assertTrue(a.closed(), "the server closes the connection");
    }

    @Test
    void malformedChunkedBodyIsBadJsonAndCloses() throws Exception {
        for (String chunks : List.of("zz\r\n{}\r\n0\r\n\r\n", "5\r\n{\"a\":1}\r\n0\r\n\r\n", "2\r\n{}XX0\r\n\r\n")) {
            RawHttp.Answer a = RawHttp.send(s.baseUrl, "POST /_matrix/client/v3/createRoom HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + alice + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + chunks);
            assertMatrixError(a, 400);
            assertTrue(List.of("M_NOT_JSON", "M_BAD_JSON").contains(a.errcode()), a.body());
            assertClosed(a);
        }
    }

    @Test
    void malformedChunkedUploadIsRefusedAndCloses() throws Exception {
        RawHttp.Answer a = RawHttp.send(s.baseUrl, "POST /_matrix/media/v3/upload?filename=a.txt HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + alice + "\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\nQQ\r\nxx\r\n0\r\n\r\n");
        assertMatrixError(a, 400);
        assertClosed(a);
    }

    @Test
    void clientAbortingMidBodyLogsNoStackTrace() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger root = Logger.getLogger("de.amtsbote");
        root.addHandler(capture);
        try {
            URI url = URI.create(s.baseUrl);
            for (int i = 0; i < 4; i++) {
                try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                    String target = i % 2 == 0 ? "/_matrix/client/v3/createRoom" : "/_matrix/media/v3/upload";
                    socket.getOutputStream().write(("POST " + target + " HTTP/1.1\r\nHost: x\r\n"
                            + "Authorization: Bearer " + alice + "\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 5000\r\n\r\n{\"name\": \"abc").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(100);
                }
            }
            // The server notices the aborted bodies asynchronously; a normal request afterwards proves it is fine.
            Thread.sleep(500);
            assertEquals(200, s.request("GET", "/_matrix/client/v3/account/whoami", alice, null).status());
        } finally {
            root.removeHandler(capture);
        }
        for (LogRecord r : records) {
            assertTrue(r.getLevel().intValue() < Level.SEVERE.intValue() && r.getThrown() == null,
                    "logged " + r.getLevel() + " " + r.getMessage() + " " + r.getThrown());
        }
    }

    @Test
    void invalidUtf8InPathIsMatrixError() throws Exception {
        for (String method : List.of("PUT", "POST", "GET")) {
            for (String seg : List.of("%C3%28", "%FF", "%ED%A0%80", "%C0%AF", "%00")) {
                RawHttp.Answer a = RawHttp.send(s.baseUrl, method + " /_matrix/client/v3/profile/" + seg
                        + "/displayname HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
                assertMatrixError(a, 400);
                if (!seg.equals("%00")) assertEquals("M_INVALID_PARAM", a.errcode(), method + " " + seg + ": " + a.body());
            }
        }
    }

    @Test
    void jettyRefusalsAreMatrixErrorsAndClose() throws Exception {
        RawHttp.Answer badUri = RawHttp.send(s.baseUrl, "GET /_matrix/client/v3/rooms/%ZZ/messages HTTP/1.1\r\nHost: x\r\n\r\n");
        assertMatrixError(badUri, 400);
        assertClosed(badUri);
        RawHttp.Answer longUri = RawHttp.send(s.baseUrl, "GET /_matrix/client/v3/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertMatrixError(longUri, 414);
        assertClosed(longUri);
        RawHttp.Answer bigHeaders = RawHttp.send(s.baseUrl, "GET /_matrix/client/v3/versions HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "b".repeat(20_000) + "\r\n\r\n");
        assertMatrixError(bigHeaders, 431);
        assertClosed(bigHeaders);
        RawHttp.Answer badHeader = RawHttp.send(s.baseUrl, "GET /_matrix/client/v3/versions HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
        assertMatrixError(badHeader, 400);
        assertClosed(badHeader);
    }
}
