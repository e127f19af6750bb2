package de.amtsbote;

import de.amtsbote.admin.AuditChain;
import de.amtsbote.admin.AuditExport;
import de.amtsbote.admin.AuditLog;
import de.amtsbote.config.Config;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.jdbc.JdbcAuditStore;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code amtsbote audit verify|export}: works on the database directly, so the log can be checked with the
 * server stopped (or running: the log is append-only, a check sees a consistent prefix).
 */
final class AuditCommand {
    static final String USAGE = """
              amtsbote audit verify [--config FILE]
              amtsbote audit export --format csv|json [--config FILE]   (writes to standard output)
            """;

    private AuditCommand() {}

    /** Exit codes: 0 ok, 1 chain broken or export failed, 2 usage. */
    static int run(Config config, List<String> args, OutputStream stdout, PrintStream err) {
        if (args.isEmpty()) return usage(err);
        String format = null;
        if (args.getFirst().equals("export")) {
            if (args.size() != 3 || !args.get(1).equals("--format")) return usage(err);
            format = args.get(2);
            if (!format.equals("csv") && !format.equals("json")) return usage(err);
        } else if (!args.getFirst().equals("verify") || args.size() != 1) {
            return usage(err);
        }
        try (Database db = Database.open(config.database())) {
            AuditLog log = new AuditLog(new JdbcAuditStore(db), System::currentTimeMillis);
            if (format == null) return verify(log, new PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8));
            log.recordSystem("cli", "audit.export", null, Json.object().put("format", format));
            AuditExport.write(log, format.equals("csv") ? AuditExport.Format.CSV : AuditExport.Format.JSON, stdout);
            stdout.flush();
            return 0;
        } catch (IOException e) {
            err.println("Cannot write the export: " + e.getMessage());
            return 1;
        }
    }

    private static int verify(AuditLog log, PrintStream out) {
        AuditChain.Verification v = log.verify();
        if (v.ok()) {
            out.println("OK: " + v.entries() + " entries, chain intact");
            return 0;
        }
        out.println("BROKEN at seq " + v.firstBrokenSeq() + ": " + v.reason());
        out.println(v.entries() + " entries in the log; entries from seq " + v.firstBrokenSeq()
                + " on cannot be trusted. Compare with an earlier export or the server log (\"audit #<seq> ... hash\").");
        return 1;
    }

    private static int usage(PrintStream err) {
        err.print("Usage:\n" + USAGE);
        return 2;
    }
}
