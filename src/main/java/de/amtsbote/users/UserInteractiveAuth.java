package de.amtsbote.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.rooms.CanonicalJson;
import de.amtsbote.util.Json;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User-interactive authentication for sensitive actions (deleting devices, changing the password): the
 * client must repeat the request with the user's password. Only the m.login.password stage is offered.
 *
 * <p>A session belongs to one user and one request: method, path and the body without {@code auth}
 * (the spec has the client resubmit "the same request"). A session started for deleting device A can
 * therefore not be used to delete device B; trying answers 403, as Synapse does.
 */
public final class UserInteractiveAuth {
    private final Accounts accounts;
    /** session id -> the user and the request it was started for. */
    private final ConcurrentHashMap<String, Pending> sessions = new ConcurrentHashMap<>();

    private record Pending(String userId, String request) {}

    public UserInteractiveAuth(Accounts accounts) { this.accounts = accounts; }

    /**
     * The body's {@code auth} dict as the handler read it (null if the body had none): type, session,
     * the identifier's user (or the legacy top-level 'user'), password; any may be null.
     */
    public record Auth(String type, String session, String user, String password) {}

    /**
     * Returns normally when auth confirms the caller for this very request (body = the whole request body,
     * which binds the session); otherwise throws the 401 challenge or 403.
     */
    public void require(Req req, ObjectNode body, Auth auth) {
        String userId = req.userId();
        String request = fingerprint(req, body);
        if (auth == null) throw challenge(newSession(userId, request), null);
        String session = auth.session();
        Pending pending = session == null ? null : sessions.get(session);
        if (pending == null || !pending.userId().equals(userId)) {
            session = newSession(userId, request);
        } else if (!pending.request().equals(request)) {
            throw MatrixException.forbidden("The requested operation changed during user-interactive authentication");
        }
        if (!"m.login.password".equals(auth.type())) throw challenge(session, null);
        String claimed = auth.user() == null ? userId : auth.user();
        String claimedId = claimed.startsWith("@") ? claimed : accounts.userId(claimed);
        if (!claimedId.equals(userId)) {
            throw MatrixException.forbidden("You can only confirm with your own password");
        }
        if (auth.password() == null || !accounts.checkPassword(userId, auth.password())) {
            throw challenge(session, "Invalid password");
        }
        sessions.remove(session);
    }

    /** SHA-256 of method, path and the canonical body without 'auth' (key order must not matter). */
    private static String fingerprint(Req req, ObjectNode body) {
        ObjectNode rest = body.deepCopy();
        rest.remove("auth");
        String json;
        try {
            json = CanonicalJson.encode(rest);
        } catch (IllegalArgumentException e) {
            json = Json.write(rest); // floats have no canonical form; such a body is refused later anyway
        }
        return Tokens.hash(req.method() + " " + req.requestPath() + "\n" + json);
    }

    private String newSession(String userId, String request) {
        String id = Tokens.random(24);
        if (sessions.size() > 10_000) sessions.clear();
        sessions.put(id, new Pending(userId, request));
        return id;
    }

    private static MatrixException challenge(String session, String error) {
        ObjectNode extra = Json.object();
        extra.putArray("flows").addObject().putArray("stages").add("m.login.password");
        extra.putObject("params");
        extra.put("session", session);
        if (error != null) extra.putArray("completed");
        return new MatrixException(401, error == null ? "M_UNAUTHORIZED" : "M_FORBIDDEN",
                error == null ? "Please confirm with your password" : error, extra);
    }
}
