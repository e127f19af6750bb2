package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;

/** Validation and cleaning of push rule action arrays. */
final class PushActions {
    private PushActions() {}

    /** The spec's historical actions, which clients and servers MUST ignore (we strip them). */
    static boolean isLegacy(JsonNode action) {
        return action.isTextual() && (action.textValue().equals("dont_notify") || action.textValue().equals("coalesce"));
    }

    /**
     * Checks an actions array sent by a client and returns a copy without the historical actions.
     * Only "notify" and {"set_tweak": name, "value"?} are defined; anything else is rejected so that
     * typos do not silently turn into rules that never notify.
     */
    static ArrayNode validated(JsonNode actions) {
        if (actions == null || !actions.isArray()) throw MatrixException.badJson("'actions' must be an array");
        ArrayNode out = Json.array();
        for (JsonNode a : actions) {
            if (isLegacy(a)) continue;
            if (a.isTextual() && a.textValue().equals("notify")) {
                out.add(a);
            } else if (a.isObject() && a.path("set_tweak").isTextual()) {
                out.add(a.deepCopy());
            } else {
                throw MatrixException.badJson("Unrecognised push rule action: " + a);
            }
        }
        return out;
    }

    /** A copy without the historical actions and without validation, for evaluating stored rules. */
    static ArrayNode withoutLegacy(JsonNode actions) {
        ArrayNode out = Json.array();
        if (actions != null && actions.isArray()) {
            for (JsonNode a : actions) if (!isLegacy(a)) out.add(a.deepCopy());
        }
        return out;
    }
}
