package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import de.amtsbote.util.Json;
import java.util.Map;

/**
 * The server-default push rules of Matrix spec v1.19 ("Predefined Rules"), in the spec's order. Kept as the
 * spec's own JSON so it can be compared with the spec text line by line; the placeholder the spec uses for
 * the user's ID is substituted per user.
 */
public final class DefaultPushRules {
    private static final String USER_PLACEHOLDER = "[the user's Matrix ID]";

    private static final ObjectNode TEMPLATE = Json.parseObject("""
        {
          "override": [
            {"rule_id": ".m.rule.master", "default": true, "enabled": false,
             "conditions": [], "actions": []},
            {"rule_id": ".m.rule.suppress_notices", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "content.msgtype", "pattern": "m.notice"}],
             "actions": []},
            {"rule_id": ".m.rule.invite_for_me", "default": true, "enabled": true,
             "conditions": [
               {"kind": "event_match", "key": "type", "pattern": "m.room.member"},
               {"kind": "event_match", "key": "content.membership", "pattern": "invite"},
               {"kind": "event_match", "key": "state_key", "pattern": "[the user's Matrix ID]"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}]},
            {"rule_id": ".m.rule.member_event", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.room.member"}],
             "actions": []},
            {"rule_id": ".m.rule.is_user_mention", "default": true, "enabled": true,
             "conditions": [{"kind": "event_property_contains", "key": "content.m\\\\.mentions.user_ids",
                             "value": "[the user's Matrix ID]"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}, {"set_tweak": "highlight"}]},
            {"rule_id": ".m.rule.is_room_mention", "default": true, "enabled": true,
             "conditions": [
               {"kind": "event_property_is", "key": "content.m\\\\.mentions.room", "value": true},
               {"kind": "sender_notification_permission", "key": "room"}],
             "actions": ["notify", {"set_tweak": "highlight"}]},
            {"rule_id": ".m.rule.tombstone", "default": true, "enabled": true,
             "conditions": [
               {"kind": "event_match", "key": "type", "pattern": "m.room.tombstone"},
               {"kind": "event_match", "key": "state_key", "pattern": ""}],
             "actions": ["notify", {"set_tweak": "highlight"}]},
            {"rule_id": ".m.rule.reaction", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.reaction"}],
             "actions": []},
            {"rule_id": ".m.rule.room.server_acl", "default": true, "enabled": true,
             "conditions": [
               {"kind": "event_match", "key": "type", "pattern": "m.room.server_acl"},
               {"kind": "event_match", "key": "state_key", "pattern": ""}],
             "actions": []},
            {"rule_id": ".m.rule.suppress_edits", "default": true, "enabled": true,
             "conditions": [{"kind": "event_property_is", "key": "content.m\\\\.relates_to.rel_type",
                             "value": "m.replace"}],
             "actions": []}
          ],
          "content": [],
          "room": [],
          "sender": [],
          "underride": [
            {"rule_id": ".m.rule.call", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.call.invite"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "ring"}]},
            {"rule_id": ".m.rule.encrypted_room_one_to_one", "default": true, "enabled": true,
             "conditions": [
               {"kind": "room_member_count", "is": "2"},
               {"kind": "event_match", "key": "type", "pattern": "m.room.encrypted"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}]},
            {"rule_id": ".m.rule.room_one_to_one", "default": true, "enabled": true,
             "conditions": [
               {"kind": "room_member_count", "is": "2"},
               {"kind": "event_match", "key": "type", "pattern": "m.room.message"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}]},
            {"rule_id": ".m.rule.message", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.room.message"}],
             "actions": ["notify"]},
            {"rule_id": ".m.rule.encrypted", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.room.encrypted"}],
             "actions": ["notify"]}
          ]
        }
        """);

    private DefaultPushRules() {}

    /**
     * The server-default ruleset for one user: an object with one array per kind (override, content, room,
     * sender, underride), each rule with {@code "default": true}. A fresh copy the caller may modify.
     */
    public static ObjectNode forUser(String userId) {
        ObjectNode rules = TEMPLATE.deepCopy();
        substitute(rules, userId);
        return rules;
    }

    private static void substitute(JsonNode node, String userId) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (isPlaceholder(e.getValue())) e.setValue(TextNode.valueOf(userId));
                else substitute(e.getValue(), userId);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (isPlaceholder(a.get(i))) a.set(i, TextNode.valueOf(userId));
                else substitute(a.get(i), userId);
            }
        }
    }

    private static boolean isPlaceholder(JsonNode n) {
        return n.isTextual() && n.textValue().equals(USER_PLACEHOLDER);
    }
}
