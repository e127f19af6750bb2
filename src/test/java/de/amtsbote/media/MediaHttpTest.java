package de.amtsbote.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MediaHttpTest {
    private static final String DL = "/_matrix/client/v1/media/download/";
    private static final String TH = "/_matrix/client/v1/media/thumbnail/";

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void uploadDownloadRoundTripWithSafeHeaders(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String token = s.userToken("alice");
            byte[] data = new byte[300_000];
            new Random(42).nextBytes(data);
            String id = upload(s, token, data, "image/png", "Foto%20%C3%A4.png");

            var r = s.requestBytes("GET", DL + "test.local/" + id, token, null, null);
            assertEquals(200, r.statusCode());
            assertArrayEquals(data, r.body());
            assertEquals("image/png", header(r, "Content-Type"));
            assertEquals("inline; filename=\"Foto _.png\"; filename*=utf-8''Foto%20%C3%A4.png",
                    header(r, "Content-Disposition"));
            assertTrue(header(r, "Content-Security-Policy").contains("sandbox"));
            assertEquals("nosniff", header(r, "X-Content-Type-Options"));
            assertEquals("cross-origin", header(r, "Cross-Origin-Resource-Policy"));
            assertTrue(header(r, "Cache-Control").contains("immutable"));
            assertEquals(String.valueOf(data.length), header(r, "Content-Length"));

            // The file name in the URL replaces the uploaded one.
            var named = s.requestBytes("GET", DL + "test.local/" + id + "/other.png", token, null, null);
            assertEquals(200, named.statusCode());
            assertArrayEquals(data, named.body());
            assertEquals("inline; filename=\"other.png\"", header(named, "Content-Disposition"));

            var head = s.requestBytes("HEAD", DL + "test.local/" + id, token, null, null);
            assertEquals(200, head.statusCode());
            assertEquals(0, head.body().length);
            assertEquals(String.valueOf(data.length), header(head, "Content-Length"));
            assertTrue(header(head, "Content-Security-Policy").contains("sandbox"));

            // Without Content-Type or filename: octet-stream (the spec's default), attachment without a name.
            String bare = upload(s, token, "plain bytes".getBytes(StandardCharsets.UTF_8), null, null);
            var b = s.requestBytes("GET", DL + "test.local/" + bare, token, null, null);
            assertEquals("application/octet-stream", header(b, "Content-Type"));
            assertEquals("attachment", header(b, "Content-Disposition"));
            assertEquals("plain bytes", new String(b.body(), StandardCharsets.UTF_8));

            // Another user can download too: knowing the mxc URI is enough.
            String bob = s.userToken("bob");
            assertArrayEquals(data, s.requestBytes("GET", DL + "test.local/" + id, bob, null, null).body());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void activeContentIsNeverServedInline(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String token = s.userToken("alice");
            byte[] html = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);
            String htmlId = upload(s, token, html, "text/html", "page.html");
            var h = s.requestBytes("GET", DL + "test.local/" + htmlId, token, null, null);
            assertEquals(200, h.statusCode());
            assertArrayEquals(html, h.body());
            assertEquals("application/octet-stream", header(h, "Content-Type"));
            assertEquals("attachment; filename=\"page.html\"", header(h, "Content-Disposition"));
            assertTrue(header(h, "Content-Security-Policy").contains("sandbox"));
            assertEquals("nosniff", header(h, "X-Content-Type-Options"));

            byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                    .getBytes(StandardCharsets.UTF_8);
            String svgId = upload(s, token, svg, "image/svg+xml", "x.svg");
            var v = s.requestBytes("GET", DL + "test.local/" + svgId, token, null, null);
            assertEquals("application/octet-stream", header(v, "Content-Type"));
            assertTrue(header(v, "Content-Disposition").startsWith("attachment"));
            // Asking for a harmless-looking name in the URL does not make it inline either.
            var v2 = s.requestBytes("GET", DL + "test.local/" + svgId + "/cat.png", token, null, null);
            assertEquals("attachment; filename=\"cat.png\"", header(v2, "Content-Disposition"));

            String txtId = upload(s, token, "hello".getBytes(StandardCharsets.UTF_8), "text/plain", "a.txt");
            var t = s.requestBytes("GET", DL + "test.local/" + txtId, token, null, null);
            assertEquals("text/plain; charset=utf-8", header(t, "Content-Type"));
            assertEquals("inline; filename=\"a.txt\"", header(t, "Content-Disposition"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void thumbnails(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String token = s.userToken("alice");
            String id = upload(s, token, png(1000, 500), "image/png", "big.png");

            var scaled = s.requestBytes("GET", TH + "test.local/" + id + "?width=300&height=200&method=scale",
                    token, null, null);
            assertEquals(200, scaled.statusCode());
            assertEquals("image/png", header(scaled, "Content-Type"));
            assertEquals("inline; filename=\"thumbnail.png\"", header(scaled, "Content-Disposition"));
            assertTrue(header(scaled, "Content-Security-Policy").contains("sandbox"));
            assertEquals("nosniff", header(scaled, "X-Content-Type-Options"));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(scaled.body()));
            // Snapped to the standard 320x240 scale; the aspect ratio 2:1 is kept.
            assertEquals(320, img.getWidth());
            assertEquals(160, img.getHeight());

            // Served from the disk cache the second time: identical bytes.
            var again = s.requestBytes("GET", TH + "test.local/" + id + "?width=300&height=200&method=scale",
                    token, null, null);
            assertArrayEquals(scaled.body(), again.body());

            var cropped = s.requestBytes("GET", TH + "test.local/" + id + "?width=64&height=64&method=crop&animated=true",
                    token, null, null);
            assertEquals(200, cropped.statusCode());
            BufferedImage c = ImageIO.read(new ByteArrayInputStream(cropped.body()));
            assertEquals(96, c.getWidth());
            assertEquals(96, c.getHeight());

            // method defaults to scale
            var dflt = s.requestBytes("GET", TH + "test.local/" + id + "?width=300&height=200", token, null, null);
            assertArrayEquals(scaled.body(), dflt.body());

            var head = s.requestBytes("HEAD", TH + "test.local/" + id + "?width=300&height=200", token, null, null);
            assertEquals(200, head.statusCode());
            assertEquals(String.valueOf(scaled.body().length), header(head, "Content-Length"));

            // Smaller than requested: never upscaled.
            String small = upload(s, token, png(20, 10), "image/png", null);
            var sm = s.requestBytes("GET", TH + "test.local/" + small + "?width=640&height=480", token, null, null);
            BufferedImage smi = ImageIO.read(new ByteArrayInputStream(sm.body()));
            assertEquals(20, smi.getWidth());
            assertEquals(10, smi.getHeight());

            assertError(s, "GET", TH + "test.local/" + id + "?width=abc&height=10", token, 400, "M_INVALID_PARAM");
            assertError(s, "GET", TH + "test.local/" + id + "?width=-5&height=10", token, 400, "M_INVALID_PARAM");
            assertError(s, "GET", TH + "test.local/" + id + "?width=0&height=10", token, 400, "M_INVALID_PARAM");
            assertError(s, "GET", TH + "test.local/" + id + "?width=10&height=10&method=stretch", token, 400,
                    "M_INVALID_PARAM");
            assertError(s, "GET", TH + "test.local/" + id + "?width=10&height=10&animated=maybe", token, 400,
                    "M_INVALID_PARAM");
            assertError(s, "GET", TH + "test.local/" + id + "?width=10", token, 400, "M_MISSING_PARAM");

            // Not an image: the spec's 400 "cannot thumbnail".
            String txt = upload(s, token, "hello".getBytes(StandardCharsets.UTF_8), "text/plain", null);
            assertError(s, "GET", TH + "test.local/" + txt + "?width=32&height=32", token, 400, "M_UNKNOWN");
            // Claims to be an image but is not one.
            String fake = upload(s, token, "not a png".getBytes(StandardCharsets.UTF_8), "image/png", null);
            assertError(s, "GET", TH + "test.local/" + fake + "?width=32&height=32", token, 400, "M_UNKNOWN");
            assertError(s, "GET", TH + "test.local/unknownid?width=32&height=32", token, 404, "M_NOT_FOUND");
            assertError(s, "GET", TH + "other.server/" + id + "?width=32&height=32", token, 404, "M_NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void limitsErrorsAndAuthentication(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String token = s.userToken("alice");

            var config = s.request("GET", "/_matrix/client/v1/media/config", token, null);
            assertEquals(200, config.status());
            assertEquals(1048576, config.json().get("m.upload.size").asLong());
            assertEquals(1048576, s.request("GET", "/_matrix/media/v3/config", token, null).json()
                    .get("m.upload.size").asLong());

            // Exactly the limit is fine, one byte more is not.
            byte[] max = new byte[1048576];
            String maxId = upload(s, token, max, "application/octet-stream", null);
            assertEquals(1048576, s.requestBytes("GET", DL + "test.local/" + maxId, token, null, null).body().length);
            var tooBig = s.requestBytes("POST", "/_matrix/media/v3/upload", token, new byte[1048577],
                    "application/octet-stream");
            assertEquals(413, tooBig.statusCode());
            assertEquals("M_TOO_LARGE", Json.parse(tooBig.body()).get("errcode").asText());
            // The same without Content-Length (chunked): caught while streaming.
            var chunked = chunkedUpload(s, token, new byte[1048577 + 1000]);
            assertEquals(413, chunked.statusCode());
            assertEquals("M_TOO_LARGE", Json.parse(chunked.body()).get("errcode").asText());

            String id = upload(s, token, "x".getBytes(StandardCharsets.UTF_8), "text/plain", null);
            assertError(s, "GET", DL + "test.local/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", token, 404, "M_NOT_FOUND");
            assertError(s, "GET", DL + "test.local/..%2F..%2Fetc%2Fpasswd", token, 404, "M_NOT_FOUND");
            assertError(s, "GET", DL + "test.local/a.b", token, 404, "M_NOT_FOUND");
            assertError(s, "GET", DL + "matrix.org/" + id, token, 404, "M_NOT_FOUND");

            // Authenticated endpoints need a token.
            for (String path : new String[] {DL + "test.local/" + id, DL + "test.local/" + id + "/x.txt",
                    TH + "test.local/" + id + "?width=32&height=32", "/_matrix/client/v1/media/config",
                    "/_matrix/client/v1/media/preview_url?url=https://example.org", "/_matrix/media/v3/config"}) {
                assertError(s, "GET", path, null, 401, "M_MISSING_TOKEN");
            }
            var noTokenUpload = s.requestBytes("POST", "/_matrix/media/v3/upload", null, new byte[1], "text/plain");
            assertEquals(401, noTokenUpload.statusCode());
            assertEquals("M_MISSING_TOKEN", Json.parse(noTokenUpload.body()).get("errcode").asText());
            assertError(s, "POST", "/_matrix/media/v1/create", null, 401, "M_MISSING_TOKEN");

            // The deprecated unauthenticated endpoints are frozen: existing media is not found there.
            assertError(s, "GET", "/_matrix/media/v3/download/test.local/" + id, null, 404, "M_NOT_FOUND");
            assertError(s, "GET", "/_matrix/media/v3/download/test.local/" + id + "/x.txt", null, 404, "M_NOT_FOUND");
            assertError(s, "GET", "/_matrix/media/v3/thumbnail/test.local/" + id + "?width=32&height=32", null, 404,
                    "M_NOT_FOUND");

            assertError(s, "GET", "/_matrix/client/v1/media/preview_url?url=https://example.org", token, 404,
                    "M_UNRECOGNIZED");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void asynchronousUpload(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String alice = s.userToken("alice");
            String bob = s.userToken("bob");
            var created = s.request("POST", "/_matrix/media/v1/create", alice, Json.object());
            assertEquals(200, created.status());
            String uri = created.json().get("content_uri").asText();
            assertTrue(uri.startsWith("mxc://test.local/"));
            assertTrue(created.json().get("unused_expires_at").asLong() > System.currentTimeMillis());
            String id = uri.substring("mxc://test.local/".length());

            assertError(s, "GET", DL + "test.local/" + id + "?timeout_ms=50", alice, 504, "M_NOT_YET_UPLOADED");

            byte[] data = "async content".getBytes(StandardCharsets.UTF_8);
            String put = "/_matrix/media/v3/upload/test.local/" + id + "?filename=late.txt";
            var wrongUser = s.requestBytes("PUT", put, bob, data, "text/plain");
            assertEquals(403, wrongUser.statusCode());
            assertEquals("M_FORBIDDEN", Json.parse(wrongUser.body()).get("errcode").asText());

            // A download that is already waiting gets the content once it arrives.
            CompletableFuture<HttpResponse<byte[]>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.requestBytes("GET", DL + "test.local/" + id + "?timeout_ms=20000", alice, null, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            var ok = s.requestBytes("PUT", put, alice, data, "text/plain");
            assertEquals(200, ok.statusCode());
            assertEquals("{}", new String(ok.body(), StandardCharsets.UTF_8));
            var w = waiting.get(20, TimeUnit.SECONDS);
            assertEquals(200, w.statusCode());
            assertArrayEquals(data, w.body());
            assertEquals("inline; filename=\"late.txt\"", header(w, "Content-Disposition"));

            var again = s.requestBytes("PUT", put, alice, data, "text/plain");
            assertEquals(409, again.statusCode());
            assertEquals("M_CANNOT_OVERWRITE_MEDIA", Json.parse(again.body()).get("errcode").asText());

            var unknown = s.requestBytes("PUT", "/_matrix/media/v3/upload/test.local/neverCreated", alice, data,
                    "text/plain");
            assertEquals(404, unknown.statusCode());
            assertEquals("M_NOT_FOUND", Json.parse(unknown.body()).get("errcode").asText());

            var created2 = s.request("POST", "/_matrix/media/v1/create", alice, Json.object());
            String id2 = created2.json().get("content_uri").asText().substring("mxc://test.local/".length());
            var tooBig = s.requestBytes("PUT", "/_matrix/media/v3/upload/test.local/" + id2, alice,
                    new byte[1048577], "application/octet-stream");
            assertEquals(413, tooBig.statusCode());
            // The id stays usable after a failed attempt.
            assertEquals(200, s.requestBytes("PUT", "/_matrix/media/v3/upload/test.local/" + id2, alice, data,
                    "text/plain").statusCode());
        }
    }

    private static String upload(TestServer s, String token, byte[] data, String contentType, String encodedName)
            throws Exception {
        String path = "/_matrix/media/v3/upload" + (encodedName == null ? "" : "?filename=" + encodedName);
        var r = s.requestBytes("POST", path, token, data, contentType);
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        String uri = Json.parse(r.body()).get("content_uri").asText();
        assertTrue(uri.startsWith("mxc://test.local/"), uri);
        return uri.substring("mxc://test.local/".length());
    }

    private static HttpResponse<byte[]> chunkedUpload(TestServer s, String token, byte[] data) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl + "/_matrix/media/v3/upload"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertError(TestServer s, String method, String path, String token, int status,
                                    String errcode) throws Exception {
        var r = s.requestBytes(method, path, token, null, null);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), () -> method + " " + path + ": " + body);
        assertEquals(errcode, Json.parse(body).get("errcode").asText(), () -> method + " " + path + ": " + body);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static byte[] png(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.ORANGE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
