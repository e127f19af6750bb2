package de.amtsbote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.storage.StorageException;
import de.amtsbote.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever a handler throws, the client gets a Matrix error: the right status and errcode, JSON, and no
 * stack trace or internal message. (No database involved: the routes throw directly.)
 */
class HttpServerErrorsTest {
    static HttpServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final String SECRET = "secret-internal-detail";

    /** The expected SEVERE logs of this test would only clutter the build output. */
    static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(HttpServer.class.getName());
    static java.util.logging.Level logLevel;

    @BeforeAll
    static void start() throws Exception {
        logLevel = LOG.getLevel();
        LOG.setLevel(java.util.logging.Level.OFF);
        Router r = new Router();
        r.client("GET", "/boom/runtime", Router.Auth.NONE, req -> { throw new RuntimeException(SECRET); });
        r.client("GET", "/boom/npe", Router.Auth.NONE, req -> { throw new NullPointerException(SECRET); });
        r.client("GET", "/boom/storage", Router.Auth.NONE, req -> {
            throw new StorageException("database read failed", new SQLException(SECRET));
        });
        r.client("GET", "/boom/illegal", Router.Auth.NONE, req -> { throw new IllegalArgumentException(SECRET); });
        r.client("PUT", "/boom/illegal", Router.Auth.NONE, req -> { throw new IllegalArgumentException(SECRET); });
        r.client("GET", "/boom/number", Router.Auth.NONE, req -> Integer.parseInt(req.query("n")));
        r.client("GET", "/boom/error", Router.Auth.NONE, req -> { throw new StackOverflowError(SECRET); });
        r.client("GET", "/boom/checked", Router.Auth.NONE, req -> { throw new java.io.IOException(SECRET); });
        r.client("GET", "/boom/type", Router.Auth.NONE, req -> SECRET);
        r.client("GET", "/boom/matrix", Router.Auth.NONE, req -> { throw MatrixException.forbidden("no"); });
        r.client("GET", "/boom/user", Router.Auth.USER, req -> Json.object());
        server = new HttpServer("127.0.0.1", 0, r, token -> null, 65536, 30_000, null);
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        LOG.setLevel(logLevel);
    }

    private static JsonNode expect(String method, String path, int status, String errcode) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/_matrix/client/v3" + path));
        b.method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (path.equals("/boom/user")) b.header("Authorization", "Bearer nope");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = Json.parse(r.body());
        assertEquals(errcode, body.path("errcode").asText(), r.body());
        assertTrue(body.path("error").isTextual(), r.body());
        assertFalse(r.body().contains(SECRET), "internal details leak: " + r.body());
        assertFalse(r.body().contains("at de.amtsbote") || r.body().contains("Exception"), "stack trace leaks: " + r.body());
        return body;
    }

    @Test
    void unexpectedFailuresAre500Unknown() throws Exception {
        expect("GET", "/boom/runtime", 500, "M_UNKNOWN");
        expect("GET", "/boom/npe", 500, "M_UNKNOWN");
        expect("GET", "/boom/storage", 500, "M_UNKNOWN");
        expect("GET", "/boom/error", 500, "M_UNKNOWN");
        expect("GET", "/boom/checked", 500, "M_UNKNOWN");
        expect("GET", "/boom/type", 500, "M_UNKNOWN");
    }

    @Test
    void badValuesFoundWhileParsingAre400() throws Exception {
        expect("GET", "/boom/illegal", 400, "M_INVALID_PARAM");
        expect("PUT", "/boom/illegal", 400, "M_BAD_JSON");
        expect("GET", "/boom/number?n=x", 400, "M_INVALID_PARAM");
    }

    @Test
    void matrixErrorsAndRoutingKeepTheirCodes() throws Exception {
        expect("GET", "/boom/matrix", 403, "M_FORBIDDEN");
        expect("GET", "/boom/user", 401, "M_UNKNOWN_TOKEN");
        expect("GET", "/nothing/here", 404, "M_UNRECOGNIZED");
        expect("PUT", "/boom/runtime", 405, "M_UNRECOGNIZED");
    }

    @Test
    void webhookSecretsStayOutOfTheLog() {
        assertEquals("/_amtsbote/hooks/v1/h1/***", HttpServer.loggable("/_amtsbote/hooks/v1/h1/s3cr3t"));
        assertEquals("/_matrix/client/v3/sync", HttpServer.loggable("/_matrix/client/v3/sync"));
    }
}
