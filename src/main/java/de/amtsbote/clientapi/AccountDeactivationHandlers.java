package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.admin.AdminAudit;
import de.amtsbote.http.Router;
import de.amtsbote.users.UserInteractiveAuth;
import de.amtsbote.users.UserModeration;
import de.amtsbote.util.Json;

/**
 * POST /account/deactivate (account_deactivation.yaml): users close their own account after confirming their
 * password (UIA). It goes the same way as an admin's deactivation ({@link UserModeration#deactivate}), so the
 * same data is deleted; {@code erase} also removes display name and avatar. Recorded in the audit log with
 * the user as actor, so the admins can see why an account is gone.
 */
public final class AccountDeactivationHandlers implements Handlers {
    private final UserModeration moderation;
    private final UserInteractiveAuth uia;
    private final AdminAudit audit;

    public AccountDeactivationHandlers(UserModeration moderation, UserInteractiveAuth uia, AdminAudit audit) {
        this.moderation = moderation;
        this.uia = uia;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.client("POST", "/account/deactivate", USER, req -> {
            ObjectNode body = req.json();
            Boolean erase = JsonFields.optBoolean(body, "erase"); // a wrong type is refused before UIA
            uia.require(req, body, AccountHandlers.uiaAuth(body));
            boolean eraseProfile = Boolean.TRUE.equals(erase);
            moderation.deactivate(req.userId(), eraseProfile);
            audit.record(req, "user.deactivate", req.userId(), Json.object().put("erase", eraseProfile).put("self", true));
            // No third-party identifiers are bound here, so there is nothing to unbind.
            return Json.object().put("id_server_unbind_result", "success");
        });
    }
}
