package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
