package de.amtsbote.admin;

import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.rooms.Identifiers;
import de.amtsbote.storage.UserAdminStore;
import de.amtsbote.users.UserModeration;

/** The user an admin request names in its path ({userId}), checked as Synapse does. */
final class TargetUser {
    private TargetUser() {}

    /** A valid user id of this server (400 otherwise; whether it exists is not checked). */
    static String local(Req req, UserModeration users) {
        String userId = req.path("userId");
        if (!Identifiers.isValidUserId(userId)) throw MatrixException.invalidParam("Invalid user id " + userId);
        if (!users.accounts().isLocal(userId)) {
            throw new MatrixException(400, "M_UNKNOWN", "This endpoint can only be used with local users");
        }
        return userId;
    }

    /** An existing account of this server (404 M_NOT_FOUND otherwise). */
    static UserAdminStore.AdminUser existing(Req req, UserModeration users) {
        return users.store().user(local(req, users)).orElseThrow(() -> MatrixException.notFound("User not found"));
    }
}
