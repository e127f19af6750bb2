package de.amtsbote.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import java.util.List;

/**
 * Generic JSON: {"text": "...", "html": "..." (optional), "id": "..." (optional)}. html is sent as
 * formatted_body as given (clients sanitise it); a delivery with the same id is posted once.
 */
final class GenericFormat {
    private GenericFormat() {}

    static HookMessage parse(Payload p) {
        ObjectNode o = p.json();
        String text = string(o, "text", true);
        if (text.isBlank()) throw MatrixException.badJson("'text' must not be empty");
        String html = string(o, "html", false);
        String id = string(o, "id", false);
        return new HookMessage(List.of(), List.of(), HookMessage.Kind.INFO, text,
                html != null ? html : HookMessage.esc(text).replace("\n", "<br>"), id == null ? null : "generic\u0000" + id);
    }

    private static String string(ObjectNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) throw MatrixException.missingParam("'" + field + "' is required");
            return null;
        }
        if (!v.isTextual()) throw MatrixException.badJson("'" + field + "' must be a string");
        return v.textValue();
    }
}
