package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.util.Json;

/** PUT display name and avatar; the change is also announced in every room the user is in. */
public final class ProfileUpdateHandlers implements Handlers {
    private final AccountStore accounts;
    private final RoomActions actions;

    public ProfileUpdateHandlers(AccountStore accounts, RoomActions actions) {
        this.accounts = accounts;
        this.actions = actions;
    }

    @Override
    public void register(Router r) {
        r.client("PUT", "/profile/{userId}/displayname", USER, req -> update(req, "displayname"));
        r.client("PUT", "/profile/{userId}/avatar_url", USER, req -> update(req, "avatar_url"));
    }

    private Object update(Req req, String field) {
        if (!req.userId().equals(req.path("userId"))) throw MatrixException.forbidden("You can only change your own profile");
        ObjectNode body = req.json();
        String value = JsonFields.optString(body, field);
        if (value != null && value.length() > 256) throw MatrixException.badJson("'" + field + "' is too long");
        if (field.equals("avatar_url") && value != null && !value.isEmpty() && !value.startsWith("mxc://")) {
            throw MatrixException.badJson("'avatar_url' must be an mxc:// URI");
        }
        AccountStore.User u = accounts.user(req.userId()).orElseThrow(() -> MatrixException.notFound("Unknown user"));
        String displayname = field.equals("displayname") ? emptyToNull(value) : u.displayname();
        String avatar = field.equals("avatar_url") ? emptyToNull(value) : u.avatarUrl();
        accounts.setProfile(req.userId(), displayname, avatar);
        actions.profileChanged(req.userId());
        return Json.object();
    }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
