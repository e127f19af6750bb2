package de.amtsbote.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.AmtsboteServer;
import de.amtsbote.config.Config;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the real server on a random port with a fresh database (SQLite in a temp dir, or a fresh database
 * in the shared embedded PostgreSQL) and offers a small HTTP client for tests.
 */
public final class TestServer implements AutoCloseable {
    public enum Db { SQLITE, POSTGRESQL }

    private final AmtsboteServer server;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    public final String baseUrl;

    public TestServer(Db db) throws Exception {
        this(db, "");
    }

    /** extraYaml is appended to the generated config (e.g. "limits:\n  login_attempts_per_minute: 3\n"). */
    public TestServer(Db db, String extraYaml) throws Exception {
        this(db, extraYaml, 1_048_576);
    }

    /** maxUploadBytes: the media upload limit (1 MiB unless a test needs bigger files). */
    public TestServer(Db db, String extraYaml, long maxUploadBytes) throws Exception {
        dir = Files.createTempDirectory("amtsbote-test");
        String database = db == Db.SQLITE
                ? "database:\n  type: sqlite\n  path: " + dir.resolve("db.sqlite") + "\n"
                : "database:\n  type: postgresql\n  url: " + EmbeddedPostgres.newDatabaseUrl() + "\n  user: postgres\n";
        String yaml = "server_name: test.local\npublic_baseurl: http://127.0.0.1/\nlisten:\n  address: 127.0.0.1\n"
                + "  port: 0\n" + database + "media:\n  path: " + dir.resolve("media") + "\n  max_upload_bytes: " + maxUploadBytes + "\n"
                + "signing_key_path: " + dir.resolve("signing.key") + "\n"
                + (extraYaml.contains("limits:") ? extraYaml : "limits:\n  login_attempts_per_minute: 1000\n" + extraYaml);
        Config config = ConfigLoader.parse(yaml, dir, "test config");
        server = new AmtsboteServer(config).start();
        baseUrl = "http://127.0.0.1:" + server.port();
    }

    public AmtsboteServer server() { return server; }

    /** Creates a user directly and logs in; returns the access token. */
    public String userToken(String localpart) throws Exception {
        return userToken(localpart, false);
    }

    public String userToken(String localpart, boolean admin) throws Exception {
        server.accounts().createUser(localpart, "password-" + localpart, admin, null);
        return login(localpart);
    }

    public String login(String localpart) throws Exception {
        ObjectNode body = Json.object();
        body.put("type", "m.login.password");
        body.putObject("identifier").put("type", "m.id.user").put("user", localpart);
        body.put("password", "password-" + localpart);
        Response r = request("POST", "/_matrix/client/v3/login", null, body);
        if (r.status() != 200) throw new IllegalStateException("login failed: " + r.body());
        return r.json().get("access_token").asText();
    }

    public String userId(String localpart) { return "@" + localpart + ":test.local"; }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() { return Json.parse(body); }
        public String errcode() { return json().path("errcode").asText(null); }
    }

    /** Asserts the spec's error: HTTP status and errcode. */
    public static void assertError(Response r, int status, String errcode) {
        org.junit.jupiter.api.Assertions.assertEquals(status, r.status(), r.body());
        org.junit.jupiter.api.Assertions.assertEquals(errcode, r.errcode(), r.body());
    }

    public Response request(String method, String path, String token, JsonNode body) throws IOException, InterruptedException {
        return requestRaw(method, path, token, body == null ? null : Json.write(body), "application/json");
    }

    public Response requestRaw(String method, String path, String token, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    public HttpResponse<byte[]> requestBytes(String method, String path, String token, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
