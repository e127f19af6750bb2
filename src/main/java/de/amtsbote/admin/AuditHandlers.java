package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Resp;
import de.amtsbote.http.Router;
import de.amtsbote.storage.AuditStore;
import de.amtsbote.util.Json;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The audit log in the admin API: list (newest first, filtered, paged), export as a file, verify the chain.
 * Reading the log is not itself recorded (the console polls it); an export is ({@code audit.export}), as the
 * log then leaves the server.
 */
public final class AuditHandlers implements Handlers {
    private static final String BASE = "/_amtsbote/admin/v1/audit";
    private final AuditLog log;

    public AuditHandlers(AuditLog log) { this.log = log; }

    @Override
    public void register(Router r) {
        r.add("GET", BASE, ADMIN, req -> {
            Long from = null;
            String f = req.query("from");
            if (f != null) {
                try {
                    from = Long.parseLong(f);
                } catch (NumberFormatException e) {
                    throw MatrixException.invalidParam("'from' must be an entry number (seq)");
                }
                if (from < 1) throw MatrixException.invalidParam("'from' must be an entry number (seq) of at least 1");
            }
            int limit = req.queryInt("limit", 50, 1, AuditLog.MAX_PAGE);
            AuditLog.Page page = log.page(from, new AuditStore.Filter(blankToNull(req.query("action")),
                    blankToNull(req.query("actor")), blankToNull(req.query("target"))), limit);
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("entries");
            for (AuditStore.Entry e : page.entries()) list.add(AuditLog.json(e));
            if (page.nextFrom() != null) out.put("next_from", page.nextFrom());
            return out;
        });
        r.add("GET", BASE + "/export", ADMIN, req -> {
            String f = req.query("format");
            AuditExport.Format format = switch (f == null ? "json" : f) {
                case "json" -> AuditExport.Format.JSON;
                case "csv" -> AuditExport.Format.CSV;
                default -> throw MatrixException.invalidParam("'format' must be csv or json");
            };
            // Recorded before the file is written, so the export contains its own entry.
            log.record(req, "audit.export", null, Json.object().put("format", format.extension()));
            String name = "amtsbote-audit-" + LocalDate.now(ZoneOffset.UTC) + "." + format.extension();
            return Resp.stream(format.contentType(), -1, out -> AuditExport.write(log, format, out))
                    .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                    .header("Cache-Control", "no-store");
        });
        r.add("GET", BASE + "/verify", ADMIN, req -> log.verify().json());
    }

    private static String blankToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
