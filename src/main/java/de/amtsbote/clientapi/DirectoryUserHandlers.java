package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.OPTIONAL;
import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.util.Json;
import java.util.List;

/**
 * The user directory (the address book: every active local user can be found by ID or display name) and
 * profile reads. Profile changes are not here: they also update membership events in every room.
 * Profiles need an access token: the server does not tell strangers which accounts exist.
 */
public final class DirectoryUserHandlers implements Handlers {
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 100;
    private static final int MAX_TERM_LENGTH = 255;

    private final AccountStore accounts;

    /** Asked before a profile counts as not found (application services create users on demand); true: look again. */
    private java.util.function.Predicate<String> unknownUser = userId -> false;

    public DirectoryUserHandlers(AccountStore accounts) { this.accounts = accounts; }

    public DirectoryUserHandlers askingBeforeNotFound(java.util.function.Predicate<String> unknownUser) {
        this.unknownUser = unknownUser;
        return this;
    }

    @Override
    public void register(Router r) {
        r.client("POST", "/user_directory/search", USER, req -> {
            ObjectNode body = req.json();
            String term = JsonFields.string(body, "search_term").strip();
            if (term.length() > MAX_TERM_LENGTH) throw MatrixException.invalidParam("search_term is too long");
            Long requested = JsonFields.optLong(body, "limit");
            int limit = requested == null ? DEFAULT_LIMIT : (int) Math.max(0, Math.min(MAX_LIMIT, requested));
            List<AccountStore.User> found = accounts.searchUsers(term, limit + 1);
            ObjectNode out = Json.object();
            ArrayNode results = out.putArray("results");
            for (AccountStore.User u : found.subList(0, Math.min(limit, found.size()))) {
                ObjectNode o = results.addObject().put("user_id", u.userId());
                if (u.displayname() != null) o.put("display_name", u.displayname());
                if (u.avatarUrl() != null) o.put("avatar_url", u.avatarUrl());
            }
            out.put("limited", found.size() > limit);
            return out;
        });

        // Profiles are readable without an access token (the spec's profile endpoints need none).
        r.client("GET", "/profile/{userId}", OPTIONAL, req -> {
            AccountStore.User u = activeUser(req.path("userId"));
            ObjectNode out = Json.object();
            if (u.displayname() != null) out.put("displayname", u.displayname());
            if (u.avatarUrl() != null) out.put("avatar_url", u.avatarUrl());
            return out;
        });
        // Only displayname and avatar_url are stored; other fields (m.tz, custom ones) are never set here.
        r.client("GET", "/profile/{userId}/{keyName}", OPTIONAL, req -> {
            AccountStore.User u = activeUser(req.path("userId"));
            String key = req.path("keyName");
            String value = switch (key) {
                case "displayname" -> u.displayname();
                case "avatar_url" -> u.avatarUrl();
                default -> null;
            };
            // An unset display name or avatar answers {} (as Synapse does and clients expect), not 404: the user
            // exists, the field just has no value. Other fields are never stored here, so they are not found.
            if (value == null && (key.equals("displayname") || key.equals("avatar_url"))) return Json.object();
            if (value == null) throw MatrixException.notFound("This user has no profile field " + key);
            return Json.object().put(key, value);
        });
    }

    private AccountStore.User activeUser(String userId) {
        var user = accounts.user(userId).filter(u -> !u.deactivated());
        if (user.isEmpty() && unknownUser.test(userId)) user = accounts.user(userId).filter(u -> !u.deactivated());
        return user.orElseThrow(() -> MatrixException.notFound("Profile not found"));
    }
}
