package de.amtsbote.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.amtsbote.testing.NodeRunner;
import de.amtsbote.testing.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the black-box suite in blackbox/ (Node, matrix-js-sdk as an ordinary client) against the real server,
 * once on SQLite and once on PostgreSQL. {@code -Dblackbox.tests=tests/a.test.js,tests/b.test.js} runs only
 * those files.
 */
class BlackBoxSuiteTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void matrixJsSdkSuite(TestServer.Db db) throws Exception {
        // An application service for tests/appservice.test.js (matrix-bot-sdk), which listens on asPort.
        int asPort;
        try (ServerSocket free = new ServerSocket(0)) {
            asPort = free.getLocalPort();
        }
        Path registration = Files.createTempFile("amtsbote-blackbox-as", ".yaml");
        String asToken = "bb-as-" + de.amtsbote.users.Tokens.random(24);
        String hsToken = "bb-hs-" + de.amtsbote.users.Tokens.random(24);
        Files.writeString(registration, "id: blackbox-bridge\nurl: \"http://127.0.0.1:" + asPort + "\"\nas_token: " + asToken
                + "\nhs_token: " + hsToken + "\nsender_localpart: _bbas_bot\nrate_limited: false\n"
                + "namespaces:\n  users:\n    - exclusive: true\n      regex: \"@_bbas_.*:test\\\\.local\"\n  aliases: []\n  rooms: []\n");
        try (TestServer s = new TestServer(db, "appservices:\n  - " + registration + "\n")) {
            s.server().accounts().createUser("admin", "admin-password", true, "Admin");
            Map<String, String> env = new HashMap<>(Map.of(
                    "AMTSBOTE_URL", s.baseUrl,
                    "AMTSBOTE_ADMIN_USER", "admin",
                    "AMTSBOTE_ADMIN_PASSWORD", "admin-password"));
            env.putAll(Map.of("AMTSBOTE_AS_PORT", String.valueOf(asPort), "AMTSBOTE_AS_TOKEN", asToken,
                    "AMTSBOTE_HS_TOKEN", hsToken, "AMTSBOTE_AS_ID", "blackbox-bridge", "AMTSBOTE_AS_SENDER", "_bbas_bot",
                    "AMTSBOTE_AS_USER_PREFIX", "_bbas_", "AMTSBOTE_SERVER_NAME", "test.local"));
            String only = System.getProperty("blackbox.tests", "").trim();
            List<String> command = new ArrayList<>(List.of("npm", "test"));
            if (!only.isEmpty()) {
                command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec", "--test-concurrency=1",
                        "--test-timeout=180000", "--test-force-exit"));
                command.addAll(List.of(only.split(",")));
            }
            int exit = NodeRunner.run(Path.of("blackbox"), "blackbox-" + db.name().toLowerCase(), env,
                    command.toArray(String[]::new));
            assertEquals(0, exit, "black-box suite failed on " + db + "; see the output above and target/blackbox-*.log");
        } finally {
            Files.deleteIfExists(registration);
        }
    }
}
