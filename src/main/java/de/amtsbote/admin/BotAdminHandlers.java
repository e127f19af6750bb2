package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.users.BotAccounts;
import de.amtsbote.util.Json;

/** Admin API for bot accounts: create (with a first token), list, issue and revoke long-lived tokens. */
public final class BotAdminHandlers implements Handlers {
    private static final String BASE = "/_amtsbote/admin/v1/bots";
    private final BotAccounts bots;
    private final AdminAudit audit;

    public BotAdminHandlers(BotAccounts bots, AdminAudit audit) {
        this.bots = bots;
        this.audit = audit;
    }


    private static ObjectNode issued(BotAccounts.IssuedToken t) {
        return Json.object().put("user_id", t.userId()).put("device_id", t.deviceId()).put("access_token", t.accessToken());
    }

    @Override
    public void register(Router r) {
        r.add("POST", BASE, ADMIN, req -> {
            ObjectNode body = req.json();
            BotAccounts.IssuedToken t = bots.create(req.userId(), JsonFields.string(body, "username"),
                    JsonFields.optString(body, "displayname"), JsonFields.optString(body, "token_name"));
            // Details never carry the token itself.
            audit.record(req, "bot.create", t.userId(), Json.object().put("device_id", t.deviceId()));
            return issued(t);
        });
        r.add("GET", BASE, ADMIN, req -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("bots");
            for (BotAccounts.Bot b : bots.list()) {
                ObjectNode o = list.addObject().put("user_id", b.userId()).put("displayname", b.displayname())
                        .put("created_ts", b.createdTs());
                ArrayNode tokens = o.putArray("tokens");
                for (AccountStore.Device d : b.tokens()) {
                    ObjectNode t = tokens.addObject().put("device_id", d.deviceId()).put("name", d.displayName());
                    if (d.lastSeenTs() != null) t.put("last_seen_ts", d.lastSeenTs());
                }
            }
            return out;
        });
        r.add("POST", BASE + "/{userId}/tokens", ADMIN, req -> {
            ObjectNode body = req.body().length == 0 ? Json.object() : req.json();
            BotAccounts.IssuedToken t = bots.issue(req.path("userId"), JsonFields.optString(body, "name"));
            audit.record(req, "bot.token.issue", t.userId(), Json.object().put("device_id", t.deviceId()));
            return issued(t);
        });
        r.add("DELETE", BASE + "/{userId}/tokens/{deviceId}", ADMIN, req -> {
            bots.revoke(req.path("userId"), req.path("deviceId"));
            audit.record(req, "bot.token.revoke", req.path("userId"), Json.object().put("device_id", req.path("deviceId")));
            return Json.object();
        });
    }
}
