package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** Returns normally when the body carries valid auth for the caller; otherwise throws the 401 challenge. */
    public void require(Req req, ObjectNode body) {
        String userId = req.userId();
        String request = fingerprint(req, body);
        JsonNode auth = body.get("auth");
        if (auth == null || auth.isNull()) throw challenge(newSession(userId, request), null);
        if (!(auth instanceof ObjectNode a)) throw MatrixException.badJson("'auth' must be an object");
        String session = a.path("session").asText(null);
        Pending pending = session == null ? null : sessions.get(session);
        if (pending == null || !pending.userId().equals(userId)) {
            session = newSession(userId, request);
        } else if (!pending.request().equals(request)) {
            throw MatrixException.forbidden("The requested operation changed during user-interactive authentication");
        }
        if (!"m.login.password".equals(a.path("type").asText(null))) throw challenge(session, null);
        String claimed = a.path("identifier").path("user").asText(a.path("user").asText(userId));
        String claimedId = claimed.startsWith("@") ? claimed : accounts.userId(claimed);
        if (!claimedId.equals(userId)) {
            throw MatrixException.forbidden("You can only confirm with your own password");
        }
        String password = a.path("password").asText(null);
        if (password == null || !accounts.checkPassword(userId, password)) {
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
