package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import de.amtsbote.push.PushRuleEvaluator.EvalContext;
import de.amtsbote.push.PushRuleEvaluator.Result;
import org.junit.jupiter.api.Test;

class PushRuleEvaluatorTest {
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:example.org";
    private static final String ROOM = "!room:example.org";

    private final PushRuleSet rules = PushRuleSet.empty(ALICE);

    /** Alice in a room of {@code members}; Bob sends with {@code bobLevel}; @room needs 50. */
    private static EvalContext ctx(int members, int bobLevel) {
        return new EvalContext(ALICE, "Alice Liddell", members, bobLevel, key -> key.equals("room") ? 50 : 100);
    }

    private static ObjectNode message(String contentJson) {
        return Json.parseObject("{\"type\": \"m.room.message\", \"sender\": \"" + BOB + "\", \"room_id\": \""
                + ROOM + "\", \"event_id\": \"$e\", \"content\": " + contentJson + "}");
    }

    private static ObjectNode text(String body) {
        ObjectNode content = Json.object();
        content.put("msgtype", "m.text");
        content.put("body", body);
        return message(content.toString());
    }

    private Result eval(ObjectNode event, EvalContext ctx) {
        return PushRuleEvaluator.evaluate((ObjectNode) rules.toClientJson().get("global"), event, ctx);
    }

    private void put(String kind, String id, String json) {
        rules.putRule("global", kind, id, Json.parseObject(json), null, null);
    }

    @Test
    void plainMessageInTwoPersonRoomIsOneToOne() {
        Result r = eval(text("hi"), ctx(2, 0));
        assertEquals(".m.rule.room_one_to_one", r.ruleId());
        assertTrue(r.shouldNotify());
        assertFalse(r.highlight());
        assertEquals("default", r.sound());
    }

    @Test
    void groupMessageUsesMessageRuleWithoutSound() {
        Result r = eval(text("hi all"), ctx(5, 0));
        assertEquals(".m.rule.message", r.ruleId());
        assertTrue(r.shouldNotify());
        assertFalse(r.highlight());
        assertNull(r.sound());
        assertEquals("[\"notify\"]", r.actions().toString());
    }

    @Test
    void userMentionViaMMentionsHighlights() {
        Result r = eval(message("{\"msgtype\": \"m.text\", \"body\": \"hey\", \"m.mentions\": {\"user_ids\": [\""
                + ALICE + "\"]}}"), ctx(5, 0));
        assertEquals(".m.rule.is_user_mention", r.ruleId());
        assertTrue(r.shouldNotify());
        assertTrue(r.highlight(), "a highlight tweak without value means true");
        assertEquals("default", r.sound());
    }

    @Test
    void mentionOfSomeoneElseIsJustAMessage() {
        Result r = eval(message("{\"body\": \"hey\", \"m.mentions\": {\"user_ids\": [\"@carol:example.org\"]}}"),
                ctx(5, 0));
        assertEquals(".m.rule.message", r.ruleId());
    }

    @Test
    void roomMentionNeedsSenderPermission() {
        ObjectNode atRoom = message("{\"body\": \"@room lunch\", \"m.mentions\": {\"room\": true}}");
        Result allowed = eval(atRoom, ctx(5, 50));
        assertEquals(".m.rule.is_room_mention", allowed.ruleId());
        assertTrue(allowed.highlight());
        Result denied = eval(atRoom, ctx(5, 49));
        assertEquals(".m.rule.message", denied.ruleId());
        assertFalse(denied.highlight());
    }

    @Test
    void roomMentionValueMustBeTheBooleanTrue() {
        ObjectNode stringTrue = message("{\"body\": \"x\", \"m.mentions\": {\"room\": \"true\"}}");
        assertEquals(".m.rule.message", eval(stringTrue, ctx(5, 100)).ruleId());
    }

    @Test
    void displayNameMentionWithContainsDisplayNameRule() {
        put("override", "dn", "{\"conditions\": [{\"kind\": \"contains_display_name\"}],"
                + " \"actions\": [\"notify\", {\"set_tweak\": \"highlight\"}]}");
        assertEquals("dn", eval(text("ping alice liddell: lunch?"), ctx(5, 0)).ruleId());
        assertTrue(eval(text("ALICE LIDDELL"), ctx(5, 0)).highlight());
        assertEquals(".m.rule.message", eval(text("Alice Liddellx"), ctx(5, 0)).ruleId());
        EvalContext noName = new EvalContext(ALICE, null, 5, 0, k -> 50);
        assertEquals(".m.rule.message", eval(text("Alice Liddell"), noName).ruleId());
    }

    @Test
    void editsAreSuppressed() {
        ObjectNode edit = message("{\"body\": \"* fixed\", \"m.new_content\": {\"body\": \"fixed\"},"
                + " \"m.relates_to\": {\"rel_type\": \"m.replace\", \"event_id\": \"$orig\"}}");
        Result r = eval(edit, ctx(2, 0));
        assertEquals(".m.rule.suppress_edits", r.ruleId());
        assertFalse(r.shouldNotify());
    }

    @Test
    void reactionsDoNotNotify() {
        ObjectNode reaction = Json.parseObject("{\"type\": \"m.reaction\", \"sender\": \"" + BOB + "\", \"content\":"
                + " {\"m.relates_to\": {\"rel_type\": \"m.annotation\", \"event_id\": \"$e\", \"key\": \"👍\"}}}");
        Result r = eval(reaction, ctx(2, 0));
        assertEquals(".m.rule.reaction", r.ruleId());
        assertFalse(r.shouldNotify());
    }

    @Test
    void noticesAreSuppressed() {
        ObjectNode notice = message("{\"msgtype\": \"m.notice\", \"body\": \"bot says hi\"}");
        assertEquals(".m.rule.suppress_notices", eval(notice, ctx(2, 0)).ruleId());
        assertFalse(eval(notice, ctx(2, 0)).shouldNotify());
    }

    @Test
    void disabledRuleIsSkipped() {
        rules.setEnabled("global", "underride", ".m.rule.message", false);
        Result r = eval(text("hi all"), ctx(5, 0));
        assertNull(r.ruleId());
        assertFalse(r.shouldNotify());
        assertEquals(0, r.actions().size());
    }

    @Test
    void enabledMasterRuleSilencesEverything() {
        rules.setEnabled("global", "override", ".m.rule.master", true);
        put("override", "loud", "{\"actions\": [\"notify\"]}");
        Result r = eval(message("{\"body\": \"x\", \"m.mentions\": {\"user_ids\": [\"" + ALICE + "\"]}}"), ctx(2, 0));
        assertEquals(".m.rule.master", r.ruleId());
        assertFalse(r.shouldNotify());
    }

    @Test
    void userContentRuleMatchesWholeWordsAndBeatsUnderride() {
        put("content", "cake", "{\"pattern\": \"cake\","
                + " \"actions\": [\"notify\", {\"set_tweak\": \"sound\", \"value\": \"cakealarm.wav\"}]}");
        Result r = eval(text("Who wants CAKE?"), ctx(5, 0));
        assertEquals("cake", r.ruleId());
        assertEquals("cakealarm.wav", r.sound());
        assertEquals(".m.rule.message", eval(text("cupcakes"), ctx(5, 0)).ruleId());
    }

    @Test
    void contentRuleOrderDecidesBetweenMatches() {
        put("content", "tea", "{\"pattern\": \"tea\", \"actions\": [\"notify\"]}");
        rules.putRule("global", "content", "time", Json.parseObject("{\"pattern\": \"time\", \"actions\": []}"),
                "tea", null);
        assertEquals("time", eval(text("It's time for tea"), ctx(5, 0)).ruleId());
    }

    @Test
    void roomAndSenderRulesMatchOnTheirIds() {
        put("sender", BOB, "{\"actions\": []}");
        assertEquals(BOB, eval(text("hi"), ctx(2, 0)).ruleId());
        put("room", ROOM, "{\"actions\": [\"notify\", {\"set_tweak\": \"highlight\", \"value\": false}]}");
        Result r = eval(text("hi"), ctx(2, 0));
        assertEquals(ROOM, r.ruleId(), "room rules come before sender rules");
        assertTrue(r.shouldNotify());
        assertFalse(r.highlight());
    }

    @Test
    void inviteForMeNotifiesOnlyTheInvitee() {
        ObjectNode invite = Json.parseObject("{\"type\": \"m.room.member\", \"sender\": \"" + BOB + "\","
                + " \"state_key\": \"" + ALICE + "\", \"content\": {\"membership\": \"invite\"}}");
        Result r = eval(invite, ctx(3, 0));
        assertEquals(".m.rule.invite_for_me", r.ruleId());
        assertTrue(r.shouldNotify());
        invite.put("state_key", "@carol:example.org");
        assertEquals(".m.rule.member_event", eval(invite, ctx(3, 0)).ruleId());
    }

    @Test
    void tombstoneHighlightsAndEncryptedOneToOneNotifies() {
        ObjectNode tombstone = Json.parseObject("{\"type\": \"m.room.tombstone\", \"sender\": \"" + BOB + "\","
                + " \"state_key\": \"\", \"content\": {\"replacement_room\": \"!new:x\"}}");
        assertTrue(eval(tombstone, ctx(5, 0)).highlight());
        ObjectNode encrypted = Json.parseObject("{\"type\": \"m.room.encrypted\", \"sender\": \"" + BOB + "\","
                + " \"content\": {\"algorithm\": \"m.megolm.v1.aes-sha2\"}}");
        assertEquals(".m.rule.encrypted_room_one_to_one", eval(encrypted, ctx(2, 0)).ruleId());
        assertEquals(".m.rule.encrypted", eval(encrypted, ctx(3, 0)).ruleId());
    }

    @Test
    void ownEventsNeverNotify() {
        ObjectNode mine = text("hi");
        mine.put("sender", ALICE);
        assertNull(eval(mine, ctx(2, 0)).ruleId());
    }

    @Test
    void unknownConditionKindMakesRuleNeverMatch() {
        put("override", "future", "{\"conditions\": [{\"kind\": \"org.example.future\"}], \"actions\": [\"notify\"]}");
        assertEquals(".m.rule.message", eval(text("x"), ctx(5, 0)).ruleId());
    }

    @Test
    void ruleWithoutConditionsMatchesEverything() {
        put("underride", "catchall", "{\"actions\": [\"notify\"]}");
        ObjectNode custom = Json.parseObject("{\"type\": \"org.example.thing\", \"sender\": \"" + BOB + "\"}");
        assertEquals("catchall", eval(custom, ctx(5, 0)).ruleId());
    }

    @Test
    void roomMemberCountOperators() {
        for (String[] c : new String[][] {{"2", "2", "true"}, {"==2", "3", "false"}, {"<3", "2", "true"},
                {"<3", "3", "false"}, {">3", "4", "true"}, {"<=3", "3", "true"}, {">=3", "2", "false"},
                {">=3", "3", "true"}, {"=3", "3", "false"}, {"", "0", "false"}, {"-1", "0", "false"}}) {
            ObjectNode cond = Json.object().put("kind", "room_member_count").put("is", c[0]);
            boolean got = PushConditions.matches(cond, text("x"), ctx(Integer.parseInt(c[1]), 0));
            assertEquals(Boolean.parseBoolean(c[2]), got, "is=" + c[0] + " count=" + c[1]);
        }
    }

    @Test
    void eventPropertyIsComparesTypesExactly() {
        ObjectNode create = Json.parseObject("{\"type\": \"m.room.create\", \"content\": {\"m.federate\": true,"
                + " \"n\": 1, \"f\": 1.0, \"s\": \"1\", \"z\": null, \"obj\": {}}}");
        assertTrue(propertyIs(create, "content.m\\.federate", "true"));
        assertFalse(propertyIs(create, "content.m\\.federate", "\"true\""));
        assertTrue(propertyIs(create, "content.n", "1"));
        assertFalse(propertyIs(create, "content.n", "true"));
        assertFalse(propertyIs(create, "content.f", "1"), "floats are not integers");
        assertFalse(propertyIs(create, "content.s", "1"));
        assertTrue(propertyIs(create, "content.z", "null"));
        assertFalse(propertyIs(create, "content.missing", "null"), "absent is not null");
        assertFalse(propertyIs(create, "content.obj", "null"));
    }

    private static boolean propertyIs(ObjectNode event, String key, String valueJson) {
        ObjectNode cond = Json.object().put("kind", "event_property_is").put("key", key);
        cond.set("value", Json.parse(valueJson));
        return PushConditions.matches(cond, event, ctx(2, 0));
    }

    @Test
    void eventPropertyContainsNeedsAnArrayAndExactItems() {
        ObjectNode alias = Json.parseObject("{\"type\": \"m.room.canonical_alias\", \"content\": {\"alt_aliases\":"
                + " [\"#somewhere:example.org\", {\"x\": 1}, \"#myroom:example.com\", 7], \"alias\": \"#a:b\"}}");
        assertTrue(contains(alias, "content.alt_aliases", "\"#myroom:example.com\""));
        assertTrue(contains(alias, "content.alt_aliases", "7"));
        assertFalse(contains(alias, "content.alt_aliases", "\":example.com\""));
        assertFalse(contains(alias, "content.alias", "\"#a:b\""), "not an array");
        assertFalse(contains(alias, "content.nothing", "\"#a:b\""));
    }

    private static boolean contains(ObjectNode event, String key, String valueJson) {
        ObjectNode cond = Json.object().put("kind", "event_property_contains").put("key", key);
        cond.set("value", Json.parse(valueJson));
        return PushConditions.matches(cond, event, ctx(2, 0));
    }

    @Test
    void legacyActionsInStoredRulesAreIgnored() {
        ObjectNode ruleset = Json.parseObject("{\"override\": [{\"rule_id\": \"old\", \"default\": false,"
                + " \"enabled\": true, \"conditions\": [], \"actions\": [\"dont_notify\"]}]}");
        Result r = PushRuleEvaluator.evaluate(ruleset, text("x"), ctx(2, 0));
        assertEquals("old", r.ruleId());
        assertFalse(r.shouldNotify());
        assertEquals(0, r.actions().size());
    }
}
