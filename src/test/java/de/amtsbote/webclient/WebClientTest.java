package de.amtsbote.webclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.testing.NodeRunner;
import de.amtsbote.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web client's own tests: Vitest unit tests, then the browser test (Playwright driving Debian's
 * Chromium) against the real server, which serves the client built into target/classes/webclient.
 */
class WebClientTest {
    @Test
    void unitTests() throws Exception {
        assertEquals(0, NodeRunner.run(Path.of("web"), "web-unit", Map.of(), "npm", "test"), "web unit tests failed");
    }

    @Test
    void browserTest() throws Exception {
        runBrowserTest("web-e2e", "test:e2e", "web client browser test failed; screenshots in web/test-artifacts/");
    }

    /** End-to-end encryption in the browser: encrypted DM both ways, emoji verification, recovery key. */
    @Test
    void encryptionBrowserTest() throws Exception {
        runBrowserTest("web-e2e-crypto", "test:e2e:crypto",
                "web client encryption test failed; screenshots in web/test-artifacts/e2ee-*");
    }

    /**
     * The admin console: create an account, invite link (QR) and sign-up with it in a second browser, lock an
     * account, remote-wipe a signed-in browser and check its IndexedDB, localStorage and caches are gone.
     */
    @Test
    void adminConsoleBrowserTest() throws Exception {
        runBrowserTest("web-e2e-admin", "test:e2e:admin",
                "admin console browser test failed; screenshots in web/test-artifacts/admin-*");
    }

    /** Runs an npm browser-test script against a fresh server (SQLite) that serves the built client. */
    private static void runBrowserTest(String label, String script, String failure) throws Exception {
        assertTrue(WebClientTest.class.getResource("/webclient/index.html") != null,
                "the web client was not built into the jar (built with -Dskip.web=true?)");
        try (TestServer s = new TestServer(TestServer.Db.SQLITE, "", 10L * 1024 * 1024)) {
            s.server().accounts().createUser("admin", "admin-password", true, "Admin");
            int exit = NodeRunner.run(Path.of("web"), label, Map.of(
                    "AMTSBOTE_URL", s.baseUrl,
                    "AMTSBOTE_ADMIN_USER", "admin",
                    "AMTSBOTE_ADMIN_PASSWORD", "admin-password"), "npm", "run", script);
            assertEquals(0, exit, failure);
        }
    }
}
