package de.amtsbote.appservice;

import de.amtsbote.AmtsboteServer;
import de.amtsbote.config.ConfigLoader;
import de.amtsbote.testing.EmbeddedPostgres;
import de.amtsbote.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real server with one application service registered, on a database that outlives a restart
 * ({@link #restart()} closes the server and starts a new one on the same database and files).
 */
final class AppserviceServer implements AutoCloseable {
    static final String AS_TOKEN = "as-token-0123456789";
    static final String HS_TOKEN = "hs-token-9876543210";

    private final Path dir;
    private final String yaml;
    AmtsboteServer server;
    String baseUrl;

    AppserviceServer(TestServer.Db db, String asUrl) throws Exception {
        dir = Files.createTempDirectory("amtsbote-as-test");
        Path registration = dir.resolve("bridge.yaml");
        Files.writeString(registration, registrationYaml(asUrl));
        String database = db == TestServer.Db.SQLITE
                ? "database:\n  type: sqlite\n  path: " + dir.resolve("db.sqlite") + "\n"
                : "database:\n  type: postgresql\n  url: " + EmbeddedPostgres.newDatabaseUrl() + "\n  user: postgres\n";
        yaml = "server_name: test.local\npublic_baseurl: http://127.0.0.1/\nlisten:\n  address: 127.0.0.1\n  port: 0\n"
                + database + "media:\n  path: " + dir.resolve("media") + "\n"
                + "signing_key_path: " + dir.resolve("signing.key") + "\n"
                + "limits:\n  login_attempts_per_minute: 1000\n"
                + "appservices:\n  - " + registration + "\n";
        start();
    }

    static String registrationYaml(String url) {
        return "id: bridge\nurl: " + (url == null ? "null" : "\"" + url + "\"") + "\nas_token: " + AS_TOKEN
                + "\nhs_token: " + HS_TOKEN + "\nsender_localpart: _bridge\nrate_limited: false\n"
                + "namespaces:\n  users:\n    - exclusive: true\n      regex: \"@_bridge_.*:test\\\\.local\"\n"
                + "  aliases:\n    - exclusive: true\n      regex: \"#_bridge_.*\"\n"
                + "  rooms: []\nreceive_ephemeral: true\nde.sorunome.msc2409.push_ephemeral: true\n"
                + "io.element.msc4203.push_to_device: true\n";
    }

    private void start() throws Exception {
        server = new AmtsboteServer(ConfigLoader.parse(yaml, dir, "test config")).start();
        baseUrl = "http://127.0.0.1:" + server.port();
    }

    void restart() throws Exception {
        server.close();
        start();
    }

    @Override
    public void close() throws Exception { server.close(); }
}
