package de.amtsbote.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.amtsbote.testing.NodeRunner;
import de.amtsbote.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the black-box suite in blackbox/ (Node, matrix-js-sdk as an ordinary client) against the real server,
 * once on SQLite and once on PostgreSQL.
 */
class BlackBoxSuiteTest {
    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void matrixJsSdkSuite(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            s.server().accounts().createUser("admin", "admin-password", true, "Admin");
            int exit = NodeRunner.run(Path.of("blackbox"), "blackbox-" + db.name().toLowerCase(), Map.of(
                    "AMTSBOTE_URL", s.baseUrl,
                    "AMTSBOTE_ADMIN_USER", "admin",
                    "AMTSBOTE_ADMIN_PASSWORD", "admin-password"), "npm", "test");
            assertEquals(0, exit, "black-box suite failed on " + db + "; see the output above and target/blackbox-*.log");
        }
    }
}
