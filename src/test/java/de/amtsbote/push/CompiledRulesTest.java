package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiled rules decide exactly as the reference evaluator, on the default rules plus user rules. */
class CompiledRulesTest {
    @Test
    void agreesWithTheReferenceEvaluator() {
        PushRuleSet set = PushRuleSet.empty("@me:x");
        set.putRule("global", "content", "bauhof", Json.parseObject("{\"pattern\":\"bauhof\",\"actions\":[\"notify\"]}"), null, null);
        set.putRule("global", "room", "!quiet:x", Json.parseObject("{\"actions\":[]}"), null, null);
        set.putRule("global", "override", "weird", Json.parseObject(
                "{\"conditions\":[{\"kind\":\"unknown_kind\"}],\"actions\":[\"notify\"]}"), null, null);
        ObjectNode global = (ObjectNode) set.toClientJson().get("global");
        CompiledRules compiled = new CompiledRules(global);
        List<String> events = List.of(
                "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hallo\"}}",
                "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{\"msgtype\":\"m.notice\",\"body\":\"x\"}}",
                "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{\"body\":\"Der Bauhof ruft\"}}",
                "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!quiet:x\",\"content\":{\"body\":\"hi\"}}",
                "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{\"body\":\"@room alle\",\"m.mentions\":{\"room\":true}}}",
                "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{\"body\":\"hey\",\"m.mentions\":{\"user_ids\":[\"@me:x\"]}}}",
                "{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{\"body\":\"* x\",\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$1\"}}}",
                "{\"type\":\"m.reaction\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{}}",
                "{\"type\":\"m.room.member\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"state_key\":\"@me:x\",\"content\":{\"membership\":\"invite\"}}",
                "{\"type\":\"m.room.message\",\"sender\":\"@me:x\",\"room_id\":\"!r:x\",\"content\":{\"body\":\"own\"}}",
                "{\"type\":\"m.room.encrypted\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\",\"content\":{}}");
        for (int members : new int[] {2, 5}) {
            for (int senderLevel : new int[] {0, 100}) {
                var ctx = new PushRuleEvaluator.EvalContext("@me:x", "Me", members, senderLevel, k -> 50);
                for (String e : events) {
                    ObjectNode event = Json.parseObject(e);
                    var expected = PushRuleEvaluator.evaluate(global, event, ctx);
                    var actual = compiled.evaluate(event, ctx);
                    String what = e + " members=" + members + " level=" + senderLevel;
                    assertEquals(expected.ruleId(), actual.ruleId(), what);
                    assertEquals(expected.shouldNotify(), actual.shouldNotify(), what);
                    assertEquals(expected.highlight(), actual.highlight(), what);
                }
            }
        }
    }

    /**
     * Security: a user's pathological pattern (before the fix: any length; a 500k-character glob made every
     * message in their rooms take seconds) costs at most the per-evaluation step budget; ordinary messages
     * stay far below it and still match.
     */
    @Test
    void globMatchingOfOneEventIsBoundedByTheStepBudget() {
        PushRuleSet set = PushRuleSet.empty("@me:x");
        String pathological = "*a".repeat(127) + "b"; // 255 characters, the longest allowed
        set.putRule("global", "content", "evil", Json.parseObject(
                "{\"pattern\":\"" + pathological + "\",\"actions\":[\"notify\"]}"), null, null);
        set.putRule("global", "override", "evil2", Json.parseObject("{\"conditions\":[{\"kind\":\"event_match\","
                + "\"key\":\"content.body\",\"pattern\":\"" + pathological + "\"}],\"actions\":[\"notify\"]}"), null, null);
        set.putRule("global", "content", "bauhof", Json.parseObject("{\"pattern\":\"bauhof\",\"actions\":[\"notify\"]}"), null, null);
        CompiledRules compiled = new CompiledRules((ObjectNode) set.toClientJson().get("global"));
        var ctx = new PushRuleEvaluator.EvalContext("@me:x", "Me", 5, 0, k -> 50);

        ObjectNode huge = Json.parseObject("{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\","
                + "\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + "a".repeat(60_000) + "\"}}");
        MatchBudget budget = MatchBudget.perEvaluation();
        compiled.evaluate(huge, ctx, budget);
        // Unbounded, the two patterns alone would take 2 x 60,000 x 256 steps.
        assertTrue(budget.used() <= MatchBudget.STEPS_PER_EVALUATION, "used " + budget.used());
        assertTrue(budget.exhausted());

        ObjectNode normal = Json.parseObject("{\"type\":\"m.room.message\",\"sender\":\"@a:x\",\"room_id\":\"!r:x\","
                + "\"content\":{\"msgtype\":\"m.text\",\"body\":\"Der Bauhof ruft\"}}");
        MatchBudget small = MatchBudget.perEvaluation();
        assertEquals("bauhof", compiled.evaluate(normal, ctx, small).ruleId());
        assertTrue(small.used() < 20_000, "used " + small.used());
    }
}
