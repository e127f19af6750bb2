package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.push.PushRules;
import de.amtsbote.util.Json;

/**
 * The /pushrules endpoints (pushrules.yaml). The spec only has the "global" scope; the path still takes a
 * {scope} so that older clients' other scopes get 400 M_INVALID_PARAM rather than "unrecognised".
 */
public final class PushRuleHandlers implements Handlers {
    private final PushRules rules;

    public PushRuleHandlers(PushRules rules) { this.rules = rules; }

    @Override
    public void register(Router r) {
        // Clients use the trailing slash; accept both spellings.
        r.client("GET", "/pushrules/", USER, req -> rules.clientJson(req.userId()));
        r.client("GET", "/pushrules", USER, req -> rules.clientJson(req.userId()));
        r.client("GET", "/pushrules/global/", USER, req -> rules.clientJson(req.userId()).get("global"));
        r.client("GET", "/pushrules/global", USER, req -> rules.clientJson(req.userId()).get("global"));

        // The rules of one kind (Synapse and clients use it; an unknown kind is 400 M_INVALID_PARAM as elsewhere).
        r.client("GET", "/pushrules/{scope}/{kind}/", USER, req -> rules.read(req.userId(),
                set -> set.getRules(req.path("scope"), req.path("kind"))));
        r.client("GET", "/pushrules/{scope}/{kind}", USER, req -> rules.read(req.userId(),
                set -> set.getRules(req.path("scope"), req.path("kind"))));

        String rule = "/pushrules/{scope}/{kind}/{ruleId}";
        r.client("GET", rule, USER, req -> rules.read(req.userId(),
                set -> set.getRule(req.path("scope"), req.path("kind"), req.path("ruleId"))));
        r.client("PUT", rule, USER, req -> {
            ObjectNode body = req.json();
            rules.change(req.userId(), set -> set.putRule(req.path("scope"), req.path("kind"), req.path("ruleId"),
                    body, req.query("before"), req.query("after")));
            return Json.object();
        });
        r.client("DELETE", rule, USER, req -> {
            rules.change(req.userId(), set -> set.deleteRule(req.path("scope"), req.path("kind"), req.path("ruleId")));
            return Json.object();
        });

        r.client("GET", rule + "/enabled", USER, req -> {
            boolean enabled = rules.read(req.userId(),
                    set -> set.isEnabled(req.path("scope"), req.path("kind"), req.path("ruleId")));
            return Json.object().put("enabled", enabled);
        });
        r.client("PUT", rule + "/enabled", USER, req -> {
            JsonNode enabled = req.json().get("enabled");
            if (enabled == null || !enabled.isBoolean()) throw MatrixException.badJson("'enabled' must be true or false");
            rules.change(req.userId(), set -> set.setEnabled(req.path("scope"), req.path("kind"), req.path("ruleId"),
                    enabled.booleanValue()));
            return Json.object();
        });

        r.client("GET", rule + "/actions", USER, req -> {
            ObjectNode out = Json.object();
            out.set("actions", rules.read(req.userId(),
                    set -> set.getActions(req.path("scope"), req.path("kind"), req.path("ruleId"))));
            return out;
        });
        r.client("PUT", rule + "/actions", USER, req -> {
            JsonNode actions = req.json().get("actions");
            if (actions == null || !actions.isArray()) throw MatrixException.badJson("'actions' must be an array");
            rules.change(req.userId(), set -> set.setActions(req.path("scope"), req.path("kind"), req.path("ruleId"),
                    (ArrayNode) actions));
            return Json.object();
        });
    }
}
