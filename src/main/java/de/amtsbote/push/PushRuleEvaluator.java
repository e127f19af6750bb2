package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.util.function.ToIntFunction;

/** Runs a user's push rules against one event: the first enabled matching rule decides the actions. */
public final class PushRuleEvaluator {
    private PushRuleEvaluator() {}

    /**
     * What the evaluator needs to know beyond the event.
     *
     * @param userDisplayName the user's display name in the room, or null
     * @param notificationPowerLevel the power level required for a notification key such as "room", from the
     *     room's m.room.power_levels content.notifications (the caller applies the spec's defaults, e.g. 50)
     */
    public record EvalContext(String userId, String userDisplayName, int roomMemberCount, int senderPowerLevel,
                              ToIntFunction<String> notificationPowerLevel) {}

    /**
     * The outcome. The first component cannot be called {@code notify}: that name belongs to
     * {@link Object#notify()}. {@code actions} are the matched rule's actions without historical ones; {@code ruleId}
     * is null if no rule matched (then nothing notifies).
     */
    public record Result(boolean shouldNotify, boolean highlight, String sound, ArrayNode actions, String ruleId) {
        /** A fresh value each time: the actions array is mutable and must not be shared between callers. */
        static Result none() { return new Result(false, false, null, Json.array(), null); }
    }

    /**
     * Evaluates {@code clientRuleset}, the "global" object of {@link PushRuleSet#toClientJson()}, whose
     * arrays are already in evaluation order. Events the user sent themselves never notify (spec: MUST NOT).
     */
    public static Result evaluate(ObjectNode clientRuleset, ObjectNode event, EvalContext ctx) {
        if (ctx.userId().equals(event.path("sender").asText(null))) return Result.none();
        for (RuleKind kind : RuleKind.values()) {
            for (JsonNode rule : clientRuleset.path(kind.wireName())) {
                if (!rule.isObject() || !rule.path("enabled").asBoolean(true)) continue;
                if (ruleMatches(kind, rule, event, ctx)) return resultOf(rule);
            }
        }
        return Result.none();
    }

    private static boolean ruleMatches(RuleKind kind, JsonNode rule, JsonNode event, EvalContext ctx) {
        String ruleId = rule.path("rule_id").asText("");
        return switch (kind) {
            case OVERRIDE, UNDERRIDE -> {
                for (JsonNode c : rule.path("conditions")) {
                    if (!PushConditions.matches(c, event, ctx)) yield false;
                }
                yield true;
            }
            // Content rules are an event_match on content.body, with its word-boundary semantics.
            case CONTENT -> rule.path("pattern").isTextual()
                    && PushConditions.eventMatch(event, "content.body", rule.get("pattern").textValue());
            // The rule ID is the room ID / sender's user ID (spec, "Push Rules").
            case ROOM -> ruleId.equals(event.path("room_id").asText(null));
            case SENDER -> ruleId.equals(event.path("sender").asText(null));
        };
    }

    static Result resultOf(JsonNode rule) {
        ArrayNode actions = PushActions.withoutLegacy(rule.get("actions"));
        boolean notify = false;
        boolean highlight = false;
        String sound = null;
        for (JsonNode a : actions) {
            if (a.isTextual() && a.textValue().equals("notify")) notify = true;
            String tweak = a.path("set_tweak").asText(null);
            if ("highlight".equals(tweak)) {
                // A highlight tweak without a value means true (spec, "set_tweak").
                highlight = !a.has("value") || a.get("value").asBoolean(false);
            } else if ("sound".equals(tweak) && a.path("value").isTextual()) {
                sound = a.get("value").textValue();
            }
        }
        return new Result(notify, highlight, sound, actions, rule.path("rule_id").asText(null));
    }
}
