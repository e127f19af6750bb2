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
import de.amtsbote.users.Accounts;
import de.amtsbote.util.Json;

/**
 * Amtsbote's own admin API under /_amtsbote/admin/v1 (not part of Matrix). Only server admins may call it.
 * The admin console (a later issue) builds on these endpoints.
 */
public final class AdminHandlers implements Handlers {
    private final Accounts accounts;
    private final AdminAudit audit;

    public AdminHandlers(Accounts accounts, AdminAudit audit) {
        this.accounts = accounts;
        this.audit = audit;
    }


    @Override
    public void register(Router r) {
        r.add("POST", "/_amtsbote/admin/v1/users", ADMIN, req -> {
            ObjectNode body = req.json();
            Boolean admin = JsonFields.optBoolean(body, "admin");
            String displayname = JsonFields.optString(body, "displayname");
            String userId = accounts.createUser(JsonFields.string(body, "username"), JsonFields.string(body, "password"),
                    Boolean.TRUE.equals(admin), displayname);
            audit.record(req, "user.create", userId,
                    Json.object().put("admin", Boolean.TRUE.equals(admin)).put("displayname", displayname));
            ObjectNode out = Json.object();
            out.put("user_id", userId);
            return out;
        });
        r.add("GET", "/_amtsbote/admin/v1/users", ADMIN, req -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("users");
            for (AccountStore.User u : accounts.store().allUsers()) {
                ObjectNode o = list.addObject();
                o.put("user_id", u.userId());
                o.put("displayname", u.displayname());
                o.put("admin", u.admin());
                o.put("deactivated", u.deactivated());
                o.put("created_ts", u.createdTs());
            }
            return out;
        });
    }
}
