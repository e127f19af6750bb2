package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PushRuleSetTest {
    private static final String ALICE = "@alice:example.org";
    private final PushRuleSet set = PushRuleSet.empty(ALICE);

    private static ObjectNode body(String json) { return Json.parseObject(json); }

    private static ArrayNode array(String json) { return (ArrayNode) Json.parse(json); }

    private static void assertError(int status, String errcode, Executable call) {
        MatrixException e = assertThrows(MatrixException.class, call);
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(errcode, e.errcode(), e.getMessage());
    }

    private List<String> ids(String kind) {
        List<String> ids = new ArrayList<>();
        set.toClientJson().get("global").get(kind).forEach(r -> ids.add(r.get("rule_id").asText()));
        return ids;
    }

    private void putOverride(String id, String before, String after) {
        set.putRule("global", "override", id, body("{\"actions\": [\"notify\"]}"), before, after);
    }

    @Test
    void emptySetShowsDefaultsUnderGlobal() {
        JsonNode global = set.toClientJson().get("global");
        assertEquals(10, global.get("override").size());
        assertEquals(5, global.get("underride").size());
        assertEquals(List.of(), ids("content"));
    }

    @Test
    void userOverrideRulesSitBetweenMasterAndOtherDefaults() {
        putOverride("mine", null, null);
        List<String> ids = ids("override");
        assertEquals(".m.rule.master", ids.get(0));
        assertEquals("mine", ids.get(1));
        assertEquals(".m.rule.suppress_notices", ids.get(2));
    }

    @Test
    void userUnderrideRulesComeBeforeDefaultUnderrides() {
        set.putRule("global", "underride", "u", body("{\"actions\": []}"), null, null);
        assertEquals("u", ids("underride").get(0));
        assertEquals(".m.rule.call", ids("underride").get(1));
    }

    @Test
    void newRuleIsMostImportantAndEnabledAndNotDefault() {
        putOverride("a", null, null);
        putOverride("b", null, null);
        assertEquals(List.of("b", "a"), ids("override").subList(1, 3));
        ObjectNode rule = set.getRule("global", "override", "a");
        assertTrue(rule.get("enabled").asBoolean());
        assertFalse(rule.get("default").asBoolean());
        assertEquals(0, rule.get("conditions").size());
    }

    @Test
    void beforeAndAfterPlaceTheRule() {
        putOverride("a", null, null);
        putOverride("b", null, "a");      // b after a
        putOverride("c", "a", null);      // c before a
        assertEquals(List.of("c", "a", "b"), ids("override").subList(1, 4));
        putOverride("d", "b", "c");       // both given: before wins
        assertEquals(List.of("c", "a", "d", "b"), ids("override").subList(1, 5));
    }

    @Test
    void updateKeepsPositionAndEnabledUnlessMoved() {
        putOverride("a", null, null);
        putOverride("b", null, "a");
        set.setEnabled("global", "override", "a", false);
        set.putRule("global", "override", "a", body("{\"actions\": [], \"conditions\": []}"), null, null);
        assertEquals(List.of("a", "b"), ids("override").subList(1, 3));
        assertFalse(set.isEnabled("global", "override", "a"));
        assertEquals(0, set.getActions("global", "override", "a").size());
        putOverride("a", null, "b");
        assertEquals(List.of("b", "a"), ids("override").subList(1, 3));
    }

    @Test
    void contentRuleKeepsPatternAndRoomRuleHasNoConditions() {
        set.putRule("global", "content", "cake", body("{\"pattern\": \"cake*lie\", \"actions\": [\"notify\"]}"),
                null, null);
        assertEquals("cake*lie", set.getRule("global", "content", "cake").get("pattern").asText());
        set.putRule("global", "room", "!room:example.org", body("{\"actions\": []}"), null, null);
        ObjectNode room = set.getRule("global", "room", "!room:example.org");
        assertFalse(room.has("conditions"));
        assertFalse(room.has("pattern"));
    }

    @Test
    void legacyActionsAreStripped() {
        set.putRule("global", "sender", "@spam:example.org", body("{\"actions\": [\"dont_notify\"]}"), null, null);
        assertEquals(0, set.getActions("global", "sender", "@spam:example.org").size());
        set.setActions("global", "sender", "@spam:example.org", array("[\"notify\", \"coalesce\"]"));
        assertEquals("[\"notify\"]", set.getActions("global", "sender", "@spam:example.org").toString());
    }

    @Test
    void defaultRulesCanBeDisabledAndGetNewActions() {
        set.setEnabled("global", "override", ".m.rule.master", true);
        assertTrue(set.isEnabled("global", "override", ".m.rule.master"));
        set.setActions("global", "underride", ".m.rule.message", array("[]"));
        assertEquals(0, set.getActions("global", "underride", ".m.rule.message").size());
        ObjectNode message = set.getRule("global", "underride", ".m.rule.message");
        assertTrue(message.get("default").asBoolean());
        assertEquals("m.room.message", message.get("conditions").get(0).get("pattern").asText());
    }

    @Test
    void deleteRemovesUserRule() {
        putOverride("a", null, null);
        set.deleteRule("global", "override", "a");
        assertError(404, "M_NOT_FOUND", () -> set.getRule("global", "override", "a"));
    }

    @Test
    void storageRoundTripKeepsRulesOrderAndDefaultChanges() {
        putOverride("a", null, null);
        putOverride("b", null, "a");
        set.putRule("global", "content", "cake", body("{\"pattern\": \"cake\", \"actions\": [\"notify\"]}"),
                null, null);
        set.setEnabled("global", "override", "b", false);
        set.setEnabled("global", "override", ".m.rule.master", true);
        set.setActions("global", "underride", ".m.rule.call", array("[\"notify\"]"));
        String stored = Json.write(set.toStorageJson());
        PushRuleSet back = PushRuleSet.fromStorageJson(ALICE, Json.parseObject(stored));
        assertEquals(set.toClientJson(), back.toClientJson());
        assertEquals(DefaultPushRules.forUser(ALICE).get("override").size(),
                PushRuleSet.fromStorageJson(ALICE, null).toClientJson().get("global").get("override").size());
    }

    // ---- error paths ----

    @Test
    void scopeOtherThanGlobalIsInvalid() {
        assertError(400, "M_INVALID_PARAM", () -> set.getRule("device", "override", ".m.rule.master"));
        assertError(400, "M_INVALID_PARAM", () -> putRule("device", "override", "x"));
    }

    @Test
    void unknownKindIsInvalid() {
        assertError(400, "M_INVALID_PARAM", () -> set.getRule("global", "postoverride", "x"));
        assertError(400, "M_INVALID_PARAM", () -> set.isEnabled("global", "Override", "x"));
        assertError(400, "M_INVALID_PARAM", () -> putRule("global", "bogus", "x"));
    }

    @Test
    void unknownRuleIsNotFoundEverywhere() {
        assertError(404, "M_NOT_FOUND", () -> set.getRule("global", "override", "nope"));
        assertError(404, "M_NOT_FOUND", () -> set.isEnabled("global", "override", "nope"));
        assertError(404, "M_NOT_FOUND", () -> set.setEnabled("global", "override", "nope", true));
        assertError(404, "M_NOT_FOUND", () -> set.getActions("global", "override", "nope"));
        assertError(404, "M_NOT_FOUND", () -> set.setActions("global", "override", "nope", array("[]")));
        assertError(404, "M_NOT_FOUND", () -> set.deleteRule("global", "override", "nope"));
        // A default rule exists only in its own kind.
        assertError(404, "M_NOT_FOUND", () -> set.getRule("global", "underride", ".m.rule.master"));
        assertError(404, "M_NOT_FOUND", () -> set.setEnabled("global", "override", ".m.rule.nonexistent", true));
    }

    @Test
    void reservedOrMalformedRuleIdsAreRejected() {
        assertError(400, "M_INVALID_PARAM", () -> putRule("global", "override", ".m.rule.master"));
        assertError(400, "M_INVALID_PARAM", () -> putRule("global", "override", ".mine"));
        assertError(400, "M_INVALID_PARAM", () -> putRule("global", "override", "a/b"));
        assertError(400, "M_INVALID_PARAM", () -> putRule("global", "override", "a\\b"));
        assertError(400, "M_INVALID_PARAM", () -> putRule("global", "override", ""));
    }

    @Test
    void defaultRulesCannotBeDeleted() {
        assertError(400, "M_INVALID_PARAM", () -> set.deleteRule("global", "override", ".m.rule.master"));
        assertTrue(ids("override").contains(".m.rule.master"));
    }

    @Test
    void unknownBeforeOrAfterIsTheSpecsM_UNKNOWN() {
        assertError(400, "M_UNKNOWN", () -> putOverride("a", "missing", null));
        assertError(400, "M_UNKNOWN", () -> putOverride("a", null, "missing"));
        // A rule of another kind is not a valid anchor either.
        set.putRule("global", "underride", "u", body("{\"actions\": []}"), null, null);
        assertError(400, "M_UNKNOWN", () -> putOverride("a", "u", null));
        assertFalse(ids("override").contains("a"), "a failed PUT must not create the rule");
    }

    @Test
    void failedMoveLeavesExistingRuleInPlace() {
        putOverride("a", null, null);
        putOverride("b", null, "a");
        assertError(400, "M_UNKNOWN", () -> putOverride("a", "missing", null));
        assertEquals(List.of("a", "b"), ids("override").subList(1, 3));
    }

    @Test
    void rulesCannotBePlacedRelativeToDefaultRules() {
        assertError(400, "M_INVALID_PARAM", () -> putOverride("a", ".m.rule.suppress_notices", null));
        assertError(400, "M_INVALID_PARAM", () -> putOverride("a", null, ".m.rule.master"));
    }

    @Test
    void badBodiesAreBadJson() {
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a", null, null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a", body("{}"), null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a",
                body("{\"actions\": \"notify\"}"), null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a",
                body("{\"actions\": [\"sing\"]}"), null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a",
                body("{\"actions\": [{\"value\": 1}]}"), null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a",
                body("{\"actions\": [], \"conditions\": {}}"), null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a",
                body("{\"actions\": [], \"conditions\": [{\"key\": \"type\"}]}"), null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a",
                body("{\"actions\": [], \"conditions\": [{\"kind\": \"event_match\", \"key\": \"type\"}]}"),
                null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "override", "a",
                body("{\"actions\": [], \"conditions\": [{\"kind\": \"room_member_count\", \"is\": \"~2\"}]}"),
                null, null));
        assertError(400, "M_BAD_JSON", () -> set.putRule("global", "content", "a",
                body("{\"actions\": []}"), null, null));
        assertError(400, "M_BAD_JSON", () -> set.setActions("global", "override", ".m.rule.master", null));
        assertEquals(List.of(), ids("content"));
    }

    @Test
    void unknownConditionKindsAreAccepted() {
        set.putRule("global", "override", "future",
                body("{\"actions\": [], \"conditions\": [{\"kind\": \"org.example.future\"}]}"), null, null);
        assertEquals("org.example.future",
                set.getRule("global", "override", "future").get("conditions").get(0).get("kind").asText());
    }

    private void putRule(String scope, String kind, String id) {
        set.putRule(scope, kind, id, body("{\"actions\": [], \"pattern\": \"x\"}"), null, null);
    }
}
