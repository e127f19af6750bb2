package de.amtsbote.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;
import de.amtsbote.util.Text;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A delivery's raw body and content type, with the decoders the formats share. */
public record Payload(String contentType, byte[] body) {
    boolean isForm() {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    String text() {
        try {
            return Text.utf8(body);
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("Request body " + e.getMessage());
        }
    }

    /** The body as a JSON object; M_NOT_JSON / M_BAD_JSON otherwise. */
    ObjectNode json() {
        JsonNode node;
        try {
            node = Json.parse(text());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw MatrixException.notJson("Request body is not JSON");
        }
        if (!(node instanceof ObjectNode o)) throw MatrixException.badJson("Request body must be a JSON object");
        return o;
    }

    /** Form-encoded fields, keys lower-cased; the first value of a repeated key counts. */
    Map<String, String> form() {
        Map<String, String> out = new LinkedHashMap<>();
        String t = text().strip();
        if (t.isEmpty()) return out;
        for (String pair : t.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k.strip().toLowerCase(Locale.ROOT), v);
            } catch (IllegalArgumentException e) {
                throw MatrixException.badJson("Form body has a bad %-escape: " + e.getMessage());
            }
        }
        return out;
    }
}
