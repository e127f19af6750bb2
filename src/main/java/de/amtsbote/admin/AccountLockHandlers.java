package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.Identifiers;
import de.amtsbote.storage.UserAdminStore;
import de.amtsbote.users.UserModeration;
import de.amtsbote.util.Json;

/**
 * The spec's account locking endpoints (v1.18, {@code GET/PUT /_matrix/client/v1/admin/lock/{userId}}), the
 * same lock as Synapse's {@code locked} field. The caller's admin flag is checked before any lookup (the
 * spec's rule against user enumeration; Router.Auth.ADMIN does that).
 */
public final class AccountLockHandlers implements Handlers {
    private static final String PATH = "/_matrix/client/v1/admin/lock/{userId}";

    private final UserModeration users;
    private final AdminAudit audit;

    public AccountLockHandlers(UserModeration users, AdminAudit audit) {
        this.users = users;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.add("GET", PATH, ADMIN, req -> Json.object().put("locked", target(req).locked()));
        r.add("PUT", PATH, ADMIN, req -> {
            UserAdminStore.AdminUser target = target(req);
            JsonNode locked = req.json().get("locked");
            if (locked == null || locked.isNull()) throw MatrixException.missingParam("'locked' is required");
            if (!locked.isBoolean()) throw MatrixException.badJson("'locked' must be true or false");
            if (target.user().admin()) throw MatrixException.forbidden("Administrators cannot be locked");
            if (locked.booleanValue() != target.locked()) {
                users.setLocked(target.user().userId(), locked.booleanValue());
                audit.record(req, locked.booleanValue() ? "user.lock" : "user.unlock", target.user().userId(), Json.object());
            }
            return Json.object().put("locked", locked.booleanValue());
        });
    }

    /** The spec's errors: 400 M_INVALID_PARAM for another server, 404 for unknown or deactivated accounts. */
    private UserAdminStore.AdminUser target(Req req) {
        String userId = req.path("userId");
        if (!Identifiers.isValidUserId(userId)) throw MatrixException.invalidParam("Invalid user id");
        if (!users.accounts().isLocal(userId)) throw MatrixException.invalidParam("User does not belong to the local server.");
        return users.store().user(userId).filter(u -> !u.user().deactivated())
                .orElseThrow(() -> MatrixException.notFound("User not found."));
    }
}
