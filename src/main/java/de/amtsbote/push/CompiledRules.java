package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A user's rule set turned into plain objects once, so that evaluating it for every message in every room
 * (once per member) does not walk JSON each time. Same semantics as {@link PushRuleEvaluator}, which stays
 * the reference; a test checks they agree.
 */
final class CompiledRules {
    private sealed interface Cond permits EventMatch, PropertyIs, PropertyContains, DisplayName, MemberCount,
            SenderPermission, Never {}

    private record EventMatch(List<String> path, String pattern, boolean body) implements Cond {}

    private record PropertyIs(List<String> path, JsonNode value) implements Cond {}

    private record PropertyContains(List<String> path, JsonNode value) implements Cond {}

    private record DisplayName() implements Cond {}

    private record MemberCount(IntPredicate test) implements Cond {}

    private record SenderPermission(String key) implements Cond {}

    private record Never() implements Cond {}

    private record Rule(RuleKind kind, String ruleId, List<Cond> conditions, String contentPattern,
                        PushRuleEvaluator.Result result) {}

    private final List<Rule> rules = new ArrayList<>();
    private static final List<String> BODY = PropertyPath.split("content.body");

    CompiledRules(ObjectNode global) {
        for (RuleKind kind : RuleKind.values()) {
            for (JsonNode rule : global.path(kind.wireName())) {
                if (!rule.isObject() || !rule.path("enabled").asBoolean(true)) continue;
                List<Cond> conds = new ArrayList<>();
                if (kind == RuleKind.OVERRIDE || kind == RuleKind.UNDERRIDE) {
                    for (JsonNode c : rule.path("conditions")) conds.add(compile(c));
                }
                String pattern = kind == RuleKind.CONTENT && rule.path("pattern").isTextual()
                        && rule.get("pattern").textValue().length() <= Glob.MAX_PATTERN_LENGTH
                        ? rule.get("pattern").textValue() : null;
                rules.add(new Rule(kind, rule.path("rule_id").asText(""), List.copyOf(conds), pattern,
                        PushRuleEvaluator.resultOf(rule)));
            }
        }
    }

    private static Cond compile(JsonNode c) {
        // Malformed or unknown conditions never match (as in PushConditions.matches).
        if (!c.isObject() || !c.path("kind").isTextual()) return new Never();
        return switch (c.get("kind").textValue()) {
            // Patterns stored before the length limit existed never match rather than cost every message.
            case "event_match" -> c.path("key").isTextual() && c.path("pattern").isTextual()
                    && c.get("pattern").textValue().length() <= Glob.MAX_PATTERN_LENGTH
                    ? new EventMatch(PropertyPath.split(c.get("key").textValue()), c.get("pattern").textValue(),
                            c.get("key").textValue().equals("content.body"))
                    : new Never();
            case "event_property_is", "event_property_contains" -> {
                if (!c.path("key").isTextual() || !c.has("value") || !PushConditions.isScalar(c.get("value"))) {
                    yield new Never();
                }
                List<String> path = PropertyPath.split(c.get("key").textValue());
                yield c.get("kind").textValue().equals("event_property_is")
                        ? new PropertyIs(path, c.get("value")) : new PropertyContains(path, c.get("value"));
            }
            case "contains_display_name" -> new DisplayName();
            case "room_member_count" -> {
                IntPredicate p = c.path("is").isTextual() ? PushConditions.memberCount(c.get("is").textValue()) : null;
                yield p == null ? new Never() : new MemberCount(p);
            }
            case "sender_notification_permission" -> c.path("key").isTextual()
                    ? new SenderPermission(c.get("key").textValue()) : new Never();
            default -> new Never();
        };
    }

    PushRuleEvaluator.Result evaluate(ObjectNode event, PushRuleEvaluator.EvalContext ctx) {
        return evaluate(event, ctx, MatchBudget.perEvaluation());
    }

    /** Evaluates with the given budget for all glob matching of this one event (tests read what was used). */
    PushRuleEvaluator.Result evaluate(ObjectNode event, PushRuleEvaluator.EvalContext ctx, MatchBudget budget) {
        if (ctx.userId().equals(event.path("sender").asText(null))) return PushRuleEvaluator.Result.none();
        for (Rule r : rules) {
            if (matches(r, event, ctx, budget)) return r.result();
        }
        return PushRuleEvaluator.Result.none();
    }

    private static boolean matches(Rule r, ObjectNode event, PushRuleEvaluator.EvalContext ctx, MatchBudget budget) {
        return switch (r.kind()) {
            case OVERRIDE, UNDERRIDE -> {
                for (Cond c : r.conditions()) if (!holds(c, event, ctx, budget)) yield false;
                yield true;
            }
            case CONTENT -> r.contentPattern() != null && textAt(event, BODY) != null
                    && Glob.matchesWords(r.contentPattern(), textAt(event, BODY), false, budget);
            case ROOM -> r.ruleId().equals(event.path("room_id").asText(null));
            case SENDER -> r.ruleId().equals(event.path("sender").asText(null));
        };
    }

    private static boolean holds(Cond c, ObjectNode event, PushRuleEvaluator.EvalContext ctx, MatchBudget budget) {
        return switch (c) {
            case EventMatch m -> {
                String v = textAt(event, m.path());
                yield v != null && (m.body() ? Glob.matchesWords(m.pattern(), v, false, budget)
                        : Glob.matchesWhole(m.pattern(), v, budget));
            }
            case PropertyIs p -> {
                JsonNode v = at(event, p.path());
                yield v != null && PushConditions.sameScalar(v, p.value());
            }
            case PropertyContains p -> {
                JsonNode v = at(event, p.path());
                if (v == null || !v.isArray()) yield false;
                for (JsonNode item : v) if (PushConditions.sameScalar(item, p.value())) yield true;
                yield false;
            }
            case DisplayName d -> {
                String name = ctx.userDisplayName();
                String body = textAt(event, BODY);
                yield name != null && !name.isEmpty() && body != null && Glob.matchesWords(name, body, true, budget);
            }
            case MemberCount m -> m.test().test(ctx.roomMemberCount());
            case SenderPermission s -> ctx.senderPowerLevel() >= ctx.notificationPowerLevel().applyAsInt(s.key());
            case Never n -> false;
        };
    }

    private static JsonNode at(JsonNode event, List<String> path) {
        JsonNode cur = event;
        for (String part : path) {
            if (cur == null || !cur.isObject()) return null;
            cur = cur.get(part);
        }
        return cur;
    }

    private static String textAt(JsonNode event, List<String> path) {
        JsonNode v = at(event, path);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
