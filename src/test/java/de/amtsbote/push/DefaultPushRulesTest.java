package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultPushRulesTest {
    private static List<String> ids(JsonNode rules) {
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.get("rule_id").asText()));
        return ids;
    }

    @Test
    void overrideRulesInSpecOrderWithMasterFirstAndDisabled() {
        ObjectNode rules = DefaultPushRules.forUser("@alice:example.org");
        assertEquals(List.of(".m.rule.master", ".m.rule.suppress_notices", ".m.rule.invite_for_me",
                ".m.rule.member_event", ".m.rule.is_user_mention", ".m.rule.is_room_mention",
                ".m.rule.tombstone", ".m.rule.reaction", ".m.rule.room.server_acl", ".m.rule.suppress_edits"),
                ids(rules.get("override")));
        JsonNode master = rules.get("override").get(0);
        assertFalse(master.get("enabled").asBoolean());
        assertEquals(0, master.get("conditions").size());
        assertEquals(0, master.get("actions").size());
    }

    @Test
    void underrideRulesInSpecOrder() {
        ObjectNode rules = DefaultPushRules.forUser("@alice:example.org");
        assertEquals(List.of(".m.rule.call", ".m.rule.encrypted_room_one_to_one", ".m.rule.room_one_to_one",
                ".m.rule.message", ".m.rule.encrypted"), ids(rules.get("underride")));
        assertEquals("[\"notify\"]", rules.get("underride").get(3).get("actions").toString());
    }

    @Test
    void noDefaultContentRoomOrSenderRulesSinceV117() {
        ObjectNode rules = DefaultPushRules.forUser("@alice:example.org");
        assertEquals(0, rules.get("content").size());
        assertEquals(0, rules.get("room").size());
        assertEquals(0, rules.get("sender").size());
    }

    @Test
    void everyRuleIsDefaultAndEnabledExceptMaster() {
        ObjectNode rules = DefaultPushRules.forUser("@alice:example.org");
        for (String kind : List.of("override", "underride")) {
            for (JsonNode r : rules.get(kind)) {
                assertTrue(r.get("default").asBoolean(), r.toString());
                assertTrue(r.get("rule_id").asText().startsWith("."));
                boolean master = r.get("rule_id").asText().equals(".m.rule.master");
                assertEquals(!master, r.get("enabled").asBoolean());
            }
        }
    }

    @Test
    void userIdIsSubstitutedAndKeysKeepTheirEscapes() {
        ObjectNode rules = DefaultPushRules.forUser("@alice:example.org");
        JsonNode invite = rules.get("override").get(2).get("conditions").get(2);
        assertEquals("@alice:example.org", invite.get("pattern").asText());
        JsonNode mention = rules.get("override").get(4).get("conditions").get(0);
        assertEquals("content.m\\.mentions.user_ids", mention.get("key").asText());
        assertEquals("@alice:example.org", mention.get("value").asText());
        assertFalse(rules.toString().contains("[the user's Matrix ID]"));
    }

    @Test
    void eachCallReturnsAnIndependentCopy() {
        ObjectNode a = DefaultPushRules.forUser("@a:x");
        a.withArray("override").removeAll();
        assertEquals(10, DefaultPushRules.forUser("@a:x").get("override").size());
    }
}
