package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;
import java.util.function.IntPredicate;

/** The push rule conditions of spec v1.19: checking them when a client sets a rule, and matching events. */
final class PushConditions {
    private PushConditions() {}

    /**
     * Checks the conditions of a client's override/underride rule. Unknown condition kinds are accepted
     * (the spec says they simply never match); known kinds must have their parameters.
     */
    static ArrayNode validated(JsonNode conditions) {
        if (conditions == null || conditions.isNull()) return Json.array();
        if (!conditions.isArray()) throw MatrixException.badJson("'conditions' must be an array");
        for (JsonNode c : conditions) {
            if (!c.isObject() || !c.path("kind").isTextual()) {
                throw MatrixException.badJson("Each condition must be an object with a 'kind' string");
            }
            if (c.path("pattern").isTextual() && c.get("pattern").textValue().length() > Glob.MAX_PATTERN_LENGTH) {
                throw MatrixException.invalidParam("Patterns are limited to " + Glob.MAX_PATTERN_LENGTH + " characters");
            }
            if (!wellFormed(c)) throw MatrixException.badJson("Malformed push condition: " + abbreviated(c));
        }
        return conditions.deepCopy();
    }

    private static String abbreviated(JsonNode c) {
        String s = c.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** Whether a known condition has the parameters it needs; unknown kinds count as well-formed. */
    private static boolean wellFormed(JsonNode c) {
        return switch (c.get("kind").textValue()) {
            case "event_match" -> c.path("key").isTextual() && c.path("pattern").isTextual()
                    && c.get("pattern").textValue().length() <= Glob.MAX_PATTERN_LENGTH;
            case "event_property_is", "event_property_contains" ->
                    c.path("key").isTextual() && c.has("value") && isScalar(c.get("value"));
            case "room_member_count" -> c.path("is").isTextual() && memberCount(c.get("is").textValue()) != null;
            case "sender_notification_permission" -> c.path("key").isTextual();
            default -> true;
        };
    }

    /** Whether one condition holds for the event. Unknown or malformed conditions never hold. */
    static boolean matches(JsonNode c, JsonNode event, PushRuleEvaluator.EvalContext ctx) {
        if (!c.isObject() || !c.path("kind").isTextual() || !wellFormed(c)) return false;
        return switch (c.get("kind").textValue()) {
            case "event_match" -> eventMatch(event, c.get("key").textValue(), c.get("pattern").textValue());
            case "event_property_is" -> {
                JsonNode v = PropertyPath.resolve(event, c.get("key").textValue());
                yield v != null && sameScalar(v, c.get("value"));
            }
            case "event_property_contains" -> {
                JsonNode v = PropertyPath.resolve(event, c.get("key").textValue());
                if (v == null || !v.isArray()) yield false;
                for (JsonNode item : v) if (sameScalar(item, c.get("value"))) yield true;
                yield false;
            }
            case "contains_display_name" -> containsDisplayName(event, ctx.userDisplayName());
            case "room_member_count" -> memberCount(c.get("is").textValue()).test(ctx.roomMemberCount());
            case "sender_notification_permission" ->
                    ctx.senderPowerLevel() >= ctx.notificationPowerLevel().applyAsInt(c.get("key").textValue());
            default -> false;
        };
    }

    /** event_match: whole-value glob, except content.body, which matches between word boundaries. */
    static boolean eventMatch(JsonNode event, String key, String pattern) {
        JsonNode v = PropertyPath.resolve(event, key);
        if (v == null || !v.isTextual()) return false;
        return key.equals("content.body")
                ? Glob.matchesWords(pattern, v.textValue(), false)
                : Glob.matchesWhole(pattern, v.textValue());
    }

    /**
     * The deprecated contains_display_name: the display name appears in content.body as whole words,
     * case-insensitively. The name is taken literally (no globbing), and an empty name never matches,
     * otherwise every message would highlight for users without a display name.
     */
    private static boolean containsDisplayName(JsonNode event, String displayName) {
        if (displayName == null || displayName.isEmpty()) return false;
        JsonNode body = PropertyPath.resolve(event, "content.body");
        return body != null && body.isTextual() && Glob.matchesWords(displayName, body.textValue(), true);
    }

    /**
     * The values event_property_is/contains can compare: strings, booleans, null and integers within the
     * canonical JSON range. Floats are excluded so that 1.0 never equals 1 (the spec says: do not cast).
     */
    static boolean isScalar(JsonNode v) {
        if (v.isTextual() || v.isBoolean() || v.isNull()) return true;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) return false;
        long n = v.longValue();
        return n >= -(1L << 53) + 1 && n <= (1L << 53) - 1;
    }

    static boolean sameScalar(JsonNode a, JsonNode b) {
        if (!isScalar(a) || !isScalar(b)) return false;
        if (a.isIntegralNumber() && b.isIntegralNumber()) return a.longValue() == b.longValue();
        return a.getNodeType() == b.getNodeType() && a.equals(b);
    }

    /** Parses room_member_count's "is": an optional ==, <, >, <= or >= and a decimal integer; null if bad. */
    static IntPredicate memberCount(String is) {
        String op = "==";
        for (String prefix : new String[] {"==", "<=", ">=", "<", ">"}) {
            if (is.startsWith(prefix)) {
                op = prefix;
                is = is.substring(prefix.length());
                break;
            }
        }
        if (is.isEmpty() || is.length() > 9 || !is.chars().allMatch(ch -> ch >= '0' && ch <= '9')) return null;
        int n = Integer.parseInt(is);
        return switch (op) {
            case "<" -> count -> count < n;
            case ">" -> count -> count > n;
            case "<=" -> count -> count <= n;
            case ">=" -> count -> count >= n;
            default -> count -> count == n;
        };
    }
}
