package de.amtsbote.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import de.amtsbote.storage.AuditStore;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes the whole audit log, in chain order, as a file: JSON (the verifiable form: every field exactly as
 * hashed) or CSV for spreadsheets (RFC 4180 quoting, CRLF, UTF-8 with a byte order mark so Excel shows
 * umlauts; cells that a spreadsheet would run as a formula, starting with = + - @ or a tab/CR, get a leading
 * apostrophe, so CSV cells are for reading, not for re-verifying).
 */
public final class AuditExport {
    public enum Format {
        CSV("text/csv; charset=utf-8", "csv"), JSON("application/json", "json");

        final String contentType;
        final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        public String contentType() { return contentType; }

        public String extension() { return extension; }
    }

    static final String[] CSV_COLUMNS = {"seq", "ts", "time_utc", "actor", "ip", "action", "target", "details",
            "prev_hash", "hash"};

    private AuditExport() {}

    public static void write(AuditLog log, Format format, OutputStream out) throws IOException {
        try {
            if (format == Format.CSV) csv(log, out);
            else json(log, out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void json(AuditLog log, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the HTTP layer owns the stream
            g.writeStartObject();
            g.writeStringField("genesis", AuditChain.GENESIS);
            g.writeArrayFieldStart("entries");
            log.forEach(e -> {
                try {
                    Json.MAPPER.writeTree(g, AuditLog.json(e));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void csv(AuditLog log, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write('\uFEFF');
        w.write(String.join(",", CSV_COLUMNS));
        w.write("\r\n");
        log.forEach(e -> {
            try {
                w.write(row(e));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        w.flush();
    }

    static String row(AuditStore.Entry e) {
        String[] cells = {Long.toString(e.seq()), Long.toString(e.ts()), Instant.ofEpochMilli(e.ts()).toString(),
                e.actor(), e.ip(), e.action(), e.target(), e.details(), e.prevHash(), e.hash()};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(cell(cells[i]));
        }
        return sb.append("\r\n").toString();
    }

    /** One CSV cell: formula-looking text defused with a leading apostrophe, then quoted if needed. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) return "";
        String v = value;
        char first = v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') v = "'" + v;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                || v.indexOf(';') >= 0 || !v.equals(v.strip())) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
