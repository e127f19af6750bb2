package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.storage.OutgoingRuleStore;
import de.amtsbote.util.Json;
import de.amtsbote.webhooks.OutgoingRules;

/**
 * Admin API for outgoing rules: create (the signing secret is shown only here), list (never the secret),
 * delete.
 */
public final class RuleAdminHandlers implements Handlers {
    private static final String BASE = "/_amtsbote/admin/v1/rules";
    private final OutgoingRules rules;
    private final AdminAudit audit;

    public RuleAdminHandlers(OutgoingRules rules, AdminAudit audit) {
        this.rules = rules;
        this.audit = audit;
    }

    private static ObjectNode describe(ObjectNode o, OutgoingRuleStore.Rule r) {
        o.put("id", r.id());
        o.put("room_id", r.roomId());
        o.put("name", r.name());
        o.put("kind", r.kind());
        if (r.kind().equals("command")) o.put("command", r.pattern());
        else o.put("pattern", r.pattern());
        o.put("url", r.url());
        o.put("bot_user", r.botUserId());
        o.put("created_by", r.createdBy());
        o.put("created_ts", r.createdTs());
        return o;
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    /** A required string: absent 400 M_MISSING_PARAM, not a string 400 M_BAD_JSON. */
    private static String required(ObjectNode body, String field) {
        String v = JsonFields.optString(body, field);
        if (v == null) throw MatrixException.missingParam("'" + field + "' is required");
        return v;
    }

    @Override
    public void register(Router r) {
        r.add("POST", BASE, ADMIN, req -> {
            ObjectNode body = req.json();
            String kind = required(body, "kind");
            String field = "command".equals(kind) ? "command" : "pattern";
            String pattern = JsonFields.optString(body, field);
            if (pattern == null && OutgoingRules.KINDS.contains(kind)) {
                throw MatrixException.missingParam("'" + field + "' is required for kind " + kind);
            }
            OutgoingRules.Created c = rules.create(req.userId(), required(body, "room_id"), required(body, "name"), kind,
                    pattern == null ? "" : pattern, required(body, "url"), required(body, "bot_user"));
            ObjectNode out = describe(Json.object(), c.rule());
            // The URL's query may carry the service's own API key: the audit log gets the address without it.
            ObjectNode details = describe(Json.object(), c.rule()).put("url", withoutQuery(c.rule().url()));
            audit.record(req, "rule.create", c.rule().id(), details);
            return out.put("secret", c.secret());
        });
        r.add("GET", BASE, ADMIN, req -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("rules");
            for (OutgoingRuleStore.Rule rule : rules.list()) describe(list.addObject(), rule);
            return out;
        });
        r.add("DELETE", BASE + "/{id}", ADMIN, req -> {
            OutgoingRuleStore.Rule gone = rules.delete(req.path("id"));
            audit.record(req, "rule.delete", gone.id(), Json.object().put("room_id", gone.roomId()).put("name", gone.name()));
            return Json.object();
        });
    }
}
