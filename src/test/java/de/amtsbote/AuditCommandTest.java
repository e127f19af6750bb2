package de.amtsbote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.admin.AuditLog;
import de.amtsbote.admin.AuditTamper;
import de.amtsbote.storage.AuditStore;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.jdbc.JdbcAuditStore;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chain under concurrent writers (threads of the server, and a second process's database handle as the CLI
 * has), and {@code amtsbote audit verify|export} on an intact and on a tampered log.
 */
class AuditCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run audit(TestServer s, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AuditCommand.run(s.server().config(), List.of(args), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void concurrentWritersNeverForkTheChain(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db);
             Database second = Database.open(s.server().config().database());
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            AuditLog server = s.server().auditLog();
            // A second database handle with its own single writer: what `amtsbote user add` is while the server runs.
            AuditLog cli = new AuditLog(new JdbcAuditStore(second), System::currentTimeMillis);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                AuditLog log = t % 4 == 3 ? cli : server;
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        log.recordSystem("worker-" + thread, "user.create", "@u" + thread + "-" + i + ":test.local",
                                Json.object().put("i", i));
                    }
                }));
            }
            for (Future<?> f : done) f.get();

            List<AuditStore.Entry> all = new JdbcAuditStore(s.server().stores().db()).ascending(0, 10_000);
            assertEquals(200, all.size(), "every record stored once");
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).seq(), "seqs contiguous");
                if (i > 0) assertEquals(all.get(i - 1).hash(), all.get(i).prevHash(), "no fork at seq " + (i + 1));
            }
            assertTrue(server.verify().ok());
            Run ok = audit(s, "verify");
            assertEquals(0, ok.exit(), ok.err());
            assertEquals("OK: 200 entries, chain intact\n", ok.out());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void verifyAndExportFromTheCommandLine(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            assertEquals("OK: 0 entries, chain intact\n", audit(s, "verify").out());
            for (int i = 1; i <= 10; i++) {
                s.server().auditLog().recordSystem("cli", "user.create", "@u" + i + ":test.local", Json.object().put("n", i));
            }
            Run json = audit(s, "export", "--format", "json");
            assertEquals(0, json.exit(), json.err());
            JsonNode entries = Json.parse(json.out()).get("entries");
            assertEquals(11, entries.size());
            assertEquals("audit.export", entries.get(10).get("action").asText());
            assertEquals("cli", entries.get(10).get("actor").asText());
            Run csv = audit(s, "export", "--format", "csv");
            assertEquals(0, csv.exit(), csv.err());
            assertEquals(13, csv.out().split("\r\n").length, "header and 12 entries");

            for (AuditTamper.Kind kind : new AuditTamper.Kind[] {AuditTamper.Kind.DELETE_MIDDLE, AuditTamper.Kind.ACTOR}) {
                AuditTamper.sql(s.server().stores().db(), kind.sql);
                Run broken = audit(s, "verify");
                assertEquals(1, broken.exit());
                assertTrue(broken.out().startsWith("BROKEN at seq " + kind.brokenSeq + ": " + kind.reasonStart), broken.out());
            }

            assertEquals(2, audit(s, "export", "--format", "xml").exit());
            assertEquals(2, audit(s, "verify", "now").exit());
            assertEquals(2, audit(s).exit());
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void cliUserAddIsRecorded(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            java.nio.file.Path config = java.nio.file.Files.createTempFile("amtsbote", ".yaml");
            java.nio.file.Files.writeString(config, configYaml(s));
            System.setIn(new java.io.ByteArrayInputStream("Lange-Passwort-123\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, Main.run(new String[] {"user", "add", "amt", "--admin", "--password-stdin", "--config", config.toString()}));
            var page = s.server().auditLog().page(null, new AuditStore.Filter(null, null, null), 10).entries();
            assertEquals(1, page.size());
            assertEquals("cli", page.getFirst().actor());
            assertEquals("user.create", page.getFirst().action());
            assertEquals(s.userId("amt"), page.getFirst().target());
            assertEquals("{\"admin\":true,\"displayname\":null}", page.getFirst().details());
            assertEquals(0, Main.run(new String[] {"audit", "verify", "--config", config.toString()}));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void verifyAsAProcessReportsTheFirstBrokenLink(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            for (int i = 1; i <= 10; i++) {
                s.server().auditLog().recordSystem("cli", "user.create", "@u" + i + ":test.local", Json.object().put("n", i));
            }
            java.nio.file.Path config = java.nio.file.Files.createTempFile("amtsbote", ".yaml");
            java.nio.file.Files.writeString(config, configYaml(s));
            Run ok = process("audit", "verify", "--config", config.toString());
            assertEquals(0, ok.exit(), ok.err());
            assertEquals("OK: 10 entries, chain intact", ok.out().strip());
            AuditTamper.sql(s.server().stores().db(), AuditTamper.Kind.TARGET.sql);
            Run broken = process("audit", "verify", "--config", config.toString());
            assertEquals(1, broken.exit(), broken.err());
            assertTrue(broken.out().startsWith("BROKEN at seq 7: hash mismatch"), broken.out());
        }
    }

    /** Runs the command line in its own JVM, as ./amtsbote does (with the test class path instead of the jar). */
    private static Run process(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "de.amtsbote.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err.get());
    }

    /** The test server's database section, as a config file the command line reads. */
    private static String configYaml(TestServer s) {
        var d = s.server().config().database();
        String database = d.isSqlite()
                ? "database:\n  type: sqlite\n  path: " + d.path().toAbsolutePath() + "\n"
                : "database:\n  type: postgresql\n  url: " + d.url() + "\n  user: " + d.user() + "\n";
        return "server_name: test.local\n" + database;
    }
}
