package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One user's push rules: the user-defined rules of each kind in priority order, plus the user's changes
 * ({@code enabled}, {@code actions}) to server-default rules. The default rules themselves are never stored,
 * so a server upgrade that changes them reaches every user.
 *
 * <p>The methods mirror the /pushrules endpoints and throw {@link MatrixException} with the errors
 * pushrules.yaml documents. Not thread-safe: load, change and store it within one request.
 */
public final class PushRuleSet {
    private static final String SCOPE = "global";

    private final String userId;
    private final Map<RuleKind, List<ObjectNode>> userRules = new EnumMap<>(RuleKind.class);
    /** kind -> default rule id -> {"enabled"?, "actions"?}: only what the user changed. */
    private final Map<RuleKind, Map<String, ObjectNode>> defaultChanges = new EnumMap<>(RuleKind.class);

    private PushRuleSet(String userId) {
        this.userId = userId;
        for (RuleKind k : RuleKind.values()) {
            userRules.put(k, new ArrayList<>());
            defaultChanges.put(k, new LinkedHashMap<>());
        }
    }

    /** A user with no rules of their own and untouched server defaults. */
    public static PushRuleSet empty(String userId) { return new PushRuleSet(userId); }

    public String userId() { return userId; }

    // ---- reading ----

    /**
     * The body of GET /pushrules/: {@code {"global": {override, content, room, sender, underride}}} in
     * evaluation order. User rules come before server-default rules of the same kind, except
     * .m.rule.master, which the spec puts above every other rule.
     */
    public ObjectNode toClientJson() {
        ObjectNode defaults = DefaultPushRules.forUser(userId);
        ObjectNode global = Json.object();
        for (RuleKind kind : RuleKind.values()) {
            ArrayNode out = global.putArray(kind.wireName());
            List<ObjectNode> serverRules = new ArrayList<>();
            for (JsonNode d : defaults.withArray(kind.wireName())) serverRules.add(applyChanges(kind, (ObjectNode) d));
            if (kind == RuleKind.OVERRIDE && !serverRules.isEmpty()
                    && serverRules.getFirst().get("rule_id").asText().equals(".m.rule.master")) {
                out.add(serverRules.removeFirst());
            }
            for (ObjectNode r : userRules.get(kind)) out.add(r.deepCopy());
            serverRules.forEach(out::add);
        }
        ObjectNode body = Json.object();
        body.set(SCOPE, global);
        return body;
    }

    /** GET /pushrules/{scope}/{kind}/: the rules of one kind in evaluation order. */
    public ArrayNode getRules(String scope, String kind) {
        RuleKind k = checkedKind(scope, kind);
        return (ArrayNode) toClientJson().get(SCOPE).get(k.wireName());
    }

    /** GET /pushrules/{scope}/{kind}/{ruleId}. */
    public ObjectNode getRule(String scope, String kind, String ruleId) {
        return find(checkedKind(scope, kind), ruleId).deepCopy();
    }

    /** GET .../enabled. */
    public boolean isEnabled(String scope, String kind, String ruleId) {
        return find(checkedKind(scope, kind), ruleId).path("enabled").asBoolean(true);
    }

    /** GET .../actions. */
    public ArrayNode getActions(String scope, String kind, String ruleId) {
        return (ArrayNode) find(checkedKind(scope, kind), ruleId).get("actions").deepCopy();
    }

    // ---- writing ----

    /**
     * PUT /pushrules/{scope}/{kind}/{ruleId}?before=&after=: creates or replaces a user rule. A new rule is
     * enabled; a replaced rule keeps its enabled state and, without before/after, its position. If both
     * before and after are given, before wins (the spec says so). Empty before/after count as absent.
     */
    public void putRule(String scope, String kind, String ruleId, ObjectNode body, String before, String after) {
        RuleKind k = checkedKind(scope, kind);
        if (ruleId == null || ruleId.isEmpty()) throw MatrixException.invalidParam("Missing rule ID");
        if (ruleId.startsWith(".")) {
            throw MatrixException.invalidParam("Rule IDs starting with '.' are reserved for server-default rules");
        }
        if (ruleId.contains("/") || ruleId.contains("\\")) {
            throw MatrixException.invalidParam("Rule IDs may not contain '/' or '\\'");
        }
        ObjectNode rule = buildRule(k, ruleId, body);

        List<ObjectNode> rules = new ArrayList<>(userRules.get(k));
        int existing = indexOf(rules, ruleId);
        if (existing >= 0) {
            rule.put("enabled", rules.get(existing).path("enabled").asBoolean(true));
            rules.remove(existing);
        }
        boolean hasBefore = before != null && !before.isEmpty();
        boolean hasAfter = after != null && !after.isEmpty();
        int position;
        if (hasBefore || hasAfter) {
            String anchor = hasBefore ? before : after;
            if (isDefault(k, anchor)) {
                throw MatrixException.invalidParam("Cannot place a rule relative to a server-default rule: " + anchor);
            }
            int at = indexOf(rules, anchor);
            // pushrules.yaml documents this case as 400 M_UNKNOWN with exactly this message.
            if (at < 0) throw MatrixException.unknown("before/after rule not found: " + anchor);
            position = hasBefore ? at : at + 1;
        } else {
            position = existing >= 0 ? existing : 0;
        }
        rules.add(position, rule);
        userRules.put(k, rules);
    }

    /**
     * DELETE /pushrules/{scope}/{kind}/{ruleId}. Server-default rules cannot be deleted (the spec only
     * lets clients disable them or change their actions), so that is a bad parameter, not "not found".
     */
    public void deleteRule(String scope, String kind, String ruleId) {
        RuleKind k = checkedKind(scope, kind);
        if (isDefault(k, ruleId)) {
            throw MatrixException.invalidParam("Server-default rules cannot be deleted; disable them instead");
        }
        int at = indexOf(userRules.get(k), ruleId);
        if (at < 0) throw notFound(ruleId);
        userRules.get(k).remove(at);
    }

    /** PUT .../enabled. */
    public void setEnabled(String scope, String kind, String ruleId, boolean enabled) {
        RuleKind k = checkedKind(scope, kind);
        if (isDefault(k, ruleId)) {
            defaultChanges.get(k).computeIfAbsent(ruleId, id -> Json.object()).put("enabled", enabled);
        } else {
            userRule(k, ruleId).put("enabled", enabled);
        }
    }

    /** PUT .../actions; works on server-default rules too. Historical actions are stripped. */
    public void setActions(String scope, String kind, String ruleId, ArrayNode actions) {
        RuleKind k = checkedKind(scope, kind);
        if (isDefault(k, ruleId)) {
            ArrayNode clean = PushActions.validated(actions);
            defaultChanges.get(k).computeIfAbsent(ruleId, id -> Json.object()).set("actions", clean);
        } else {
            ObjectNode rule = userRule(k, ruleId);
            rule.set("actions", PushActions.validated(actions));
        }
    }

    // ---- storage ----

    /** Everything the user changed, as one JSON object for one database column. */
    public ObjectNode toStorageJson() {
        ObjectNode out = Json.object();
        out.put("version", 1);
        ObjectNode rules = out.putObject("rules");
        ObjectNode changes = out.putObject("default_changes");
        for (RuleKind k : RuleKind.values()) {
            ArrayNode arr = rules.putArray(k.wireName());
            userRules.get(k).forEach(r -> arr.add(r.deepCopy()));
            if (!defaultChanges.get(k).isEmpty()) {
                ObjectNode perKind = changes.putObject(k.wireName());
                defaultChanges.get(k).forEach((id, c) -> perKind.set(id, c.deepCopy()));
            }
        }
        return out;
    }

    /** Reads what {@link #toStorageJson()} wrote; null means the user never changed anything. */
    public static PushRuleSet fromStorageJson(String userId, ObjectNode stored) {
        PushRuleSet set = new PushRuleSet(userId);
        if (stored == null) return set;
        for (RuleKind k : RuleKind.values()) {
            for (JsonNode r : stored.path("rules").path(k.wireName())) {
                if (r instanceof ObjectNode o && o.path("rule_id").isTextual()) set.userRules.get(k).add(o.deepCopy());
            }
            // Changes to default rules that no longer exist are kept: harmless, and a downgrade keeps them.
            stored.path("default_changes").path(k.wireName()).properties().forEach(e -> {
                if (e.getValue() instanceof ObjectNode o) set.defaultChanges.get(k).put(e.getKey(), o.deepCopy());
            });
        }
        return set;
    }

    // ---- helpers ----

    private static RuleKind checkedKind(String scope, String kind) {
        if (!SCOPE.equals(scope)) throw MatrixException.invalidParam("Unknown push rule scope: " + scope);
        return RuleKind.parse(kind);
    }

    private static MatrixException notFound(String ruleId) {
        return MatrixException.notFound("The push rule was not found: " + ruleId);
    }

    private static int indexOf(List<ObjectNode> rules, String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).path("rule_id").asText().equals(ruleId)) return i;
        }
        return -1;
    }

    private ObjectNode defaultRule(RuleKind k, String ruleId) {
        for (JsonNode d : DefaultPushRules.forUser(userId).withArray(k.wireName())) {
            if (d.get("rule_id").asText().equals(ruleId)) return (ObjectNode) d;
        }
        return null;
    }

    private boolean isDefault(RuleKind k, String ruleId) {
        return ruleId != null && ruleId.startsWith(".") && defaultRule(k, ruleId) != null;
    }

    private ObjectNode userRule(RuleKind k, String ruleId) {
        int at = indexOf(userRules.get(k), ruleId);
        if (at < 0) throw notFound(ruleId);
        return userRules.get(k).get(at);
    }

    /** The rule as a client sees it: a user rule, or a default rule with the user's changes applied. */
    private ObjectNode find(RuleKind k, String ruleId) {
        ObjectNode d = isDefault(k, ruleId) ? defaultRule(k, ruleId) : null;
        return d != null ? applyChanges(k, d) : userRule(k, ruleId);
    }

    private ObjectNode applyChanges(RuleKind k, ObjectNode defaultRule) {
        ObjectNode change = defaultChanges.get(k).get(defaultRule.get("rule_id").asText());
        if (change != null) {
            if (change.path("enabled").isBoolean()) defaultRule.set("enabled", change.get("enabled"));
            if (change.path("actions").isArray()) defaultRule.set("actions", change.get("actions").deepCopy());
        }
        return defaultRule;
    }

    /** Checks a PUT body and turns it into a stored rule in the client format. */
    private static ObjectNode buildRule(RuleKind k, String ruleId, ObjectNode body) {
        if (body == null) throw MatrixException.badJson("Body must be a JSON object");
        ObjectNode rule = Json.object();
        rule.put("rule_id", ruleId);
        rule.put("default", false);
        rule.put("enabled", true);
        rule.set("actions", PushActions.validated(body.get("actions")));
        switch (k) {
            case OVERRIDE, UNDERRIDE -> rule.set("conditions", PushConditions.validated(body.get("conditions")));
            case CONTENT -> {
                if (!body.path("pattern").isTextual()) throw MatrixException.badJson("Content rules need a 'pattern' string");
                if (body.get("pattern").textValue().length() > Glob.MAX_PATTERN_LENGTH) {
                    throw MatrixException.invalidParam("Patterns are limited to " + Glob.MAX_PATTERN_LENGTH + " characters");
                }
                rule.put("pattern", body.get("pattern").textValue());
            }
            // Room and sender rules match on their rule ID (room ID / user ID); no extra keys.
            case ROOM, SENDER -> { }
        }
        return rule;
    }
}
