package de.amtsbote.clientapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;

/** Typed reads of request body fields with the spec's errors (M_BAD_JSON for wrong types, M_MISSING_PARAM). */
public final class JsonFields {
    private JsonFields() {}

    public static String optString(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw MatrixException.badJson("'" + field + "' must be a string");
        return n.asText();
    }

    public static String string(ObjectNode o, String field) {
        String s = optString(o, field);
        if (s == null) throw MatrixException.badJson("'" + field + "' is required");
        return s;
    }

    public static ObjectNode optObject(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!(n instanceof ObjectNode obj)) throw MatrixException.badJson("'" + field + "' must be an object");
        return obj;
    }

    public static ArrayNode optArray(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!(n instanceof ArrayNode a)) throw MatrixException.badJson("'" + field + "' must be an array");
        return a;
    }

    public static Boolean optBoolean(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw MatrixException.badJson("'" + field + "' must be true or false");
        return n.asBoolean();
    }

    public static Long optLong(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw MatrixException.badJson("'" + field + "' must be an integer");
        return n.asLong();
    }
}
