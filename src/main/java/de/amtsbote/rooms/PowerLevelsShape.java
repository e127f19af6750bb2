package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import java.util.List;

/**
 * Checks the shape of m.room.power_levels content a client sends, so a malformed body gets 400 M_BAD_JSON
 * (a mistake in the request) rather than the auth rules' 403 (which means "not allowed").
 */
final class PowerLevelsShape {
    private static final List<String> LEVELS = List.of("ban", "invite", "kick", "redact", "events_default",
            "state_default", "users_default");
    private static final List<String> MAPS = List.of("users", "events", "notifications");

    private PowerLevelsShape() {}

    static void check(ObjectNode content) {
        for (String key : LEVELS) {
            JsonNode v = content.get(key);
            if (v != null && !v.isIntegralNumber()) throw MatrixException.badJson("'" + key + "' must be an integer");
        }
        for (String key : MAPS) {
            JsonNode m = content.get(key);
            if (m == null) continue;
            if (!m.isObject()) throw MatrixException.badJson("'" + key + "' must be an object of integers");
            for (var e : m.properties()) {
                if (!e.getValue().isIntegralNumber()) {
                    throw MatrixException.badJson("'" + key + "." + e.getKey() + "' must be an integer");
                }
            }
        }
    }
}
