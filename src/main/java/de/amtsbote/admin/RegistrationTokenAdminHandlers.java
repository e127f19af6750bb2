package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.storage.RegistrationTokenStore.Token;
import de.amtsbote.users.RegistrationTokens;
import de.amtsbote.util.Json;

/** Synapse's registration tokens admin API (usage/administration/admin_api/registration_tokens.md). */
public final class RegistrationTokenAdminHandlers implements Handlers {
    private static final String BASE = "/_synapse/admin/v1/registration_tokens";

    private final RegistrationTokens tokens;
    private final AdminAudit audit;

    public RegistrationTokenAdminHandlers(RegistrationTokens tokens, AdminAudit audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.add("GET", BASE, ADMIN, req -> {
            String valid = req.query("valid");
            if (valid != null && !valid.equals("true") && !valid.equals("false")) {
                throw MatrixException.invalidParam("'valid' must be true or false");
            }
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("registration_tokens");
            tokens.list(valid == null ? null : Boolean.valueOf(valid)).forEach(t -> list.add(json(t)));
            return out;
        });
        r.add("POST", BASE + "/new", ADMIN, req -> {
            ObjectNode body = req.json();
            Token t = tokens.create(new RegistrationTokens.NewToken(JsonFields.optString(body, "token"),
                    integer(body, "uses_allowed"), integer(body, "expiry_time"), integer(body, "length")));
            audit.record(req, "registration_token.create", t.token(), details(t));
            return json(t);
        });
        r.add("GET", BASE + "/{token}", ADMIN, req -> json(tokens.get(req.path("token"))));
        r.add("PUT", BASE + "/{token}", ADMIN, req -> {
            ObjectNode body = req.json();
            Token t = tokens.update(req.path("token"), body.has("uses_allowed"), integer(body, "uses_allowed"),
                    body.has("expiry_time"), integer(body, "expiry_time"));
            audit.record(req, "registration_token.update", t.token(), details(t));
            return json(t);
        });
        r.add("DELETE", BASE + "/{token}", ADMIN, req -> {
            tokens.delete(req.path("token"));
            audit.record(req, "registration_token.delete", req.path("token"), Json.object());
            return Json.object();
        });
    }

    /** An integer field or null; another type is M_INVALID_PARAM, as Synapse answers. */
    private static Long integer(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw MatrixException.invalidParam("'" + field + "' must be an integer or null");
        }
        return n.longValue();
    }

    /** Synapse's registration token object. */
    static ObjectNode json(Token t) {
        ObjectNode o = Json.object();
        o.put("token", t.token());
        if (t.usesAllowed() == null) o.putNull("uses_allowed");
        else o.put("uses_allowed", t.usesAllowed());
        o.put("pending", t.pending());
        o.put("completed", t.completed());
        if (t.expiryTime() == null) o.putNull("expiry_time");
        else o.put("expiry_time", t.expiryTime());
        return o;
    }

    /** What the audit log keeps of a token: its limits (the token itself is the target). */
    private static ObjectNode details(Token t) {
        ObjectNode o = json(t);
        o.remove("token");
        o.remove("pending");
        o.remove("completed");
        return o;
    }
}
