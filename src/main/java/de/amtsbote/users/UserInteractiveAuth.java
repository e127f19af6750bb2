package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.util.Json;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User-interactive authentication for sensitive actions (deleting devices, changing the password): the
 * client must repeat the request with the user's password. Only the m.login.password stage is offered.
 */
public final class UserInteractiveAuth {
    private final Accounts accounts;
    /** session id -> user id, so a session cannot be re-used by another user. */
    private final ConcurrentHashMap<String, String> sessions = new ConcurrentHashMap<>();

    public UserInteractiveAuth(Accounts accounts) { this.accounts = accounts; }

    /** Returns normally when the body carries valid auth for the caller; otherwise throws the 401 challenge. */
    public void require(Req req, ObjectNode body) {
        String userId = req.userId();
        JsonNode auth = body.get("auth");
        if (auth == null || auth.isNull()) throw challenge(newSession(userId), null);
        if (!(auth instanceof ObjectNode a)) throw MatrixException.badJson("'auth' must be an object");
        String session = a.path("session").asText(null);
        if (session == null || !userId.equals(sessions.get(session))) session = newSession(userId);
        if (!"m.login.password".equals(a.path("type").asText(null))) throw challenge(session, null);
        String claimed = a.path("identifier").path("user").asText(a.path("user").asText(userId));
        String claimedId = claimed.startsWith("@") ? claimed : accounts.userId(claimed);
        String password = a.path("password").asText(null);
        if (!claimedId.equals(userId) || password == null || !accounts.checkPassword(userId, password)) {
            throw challenge(session, "Invalid password");
        }
        sessions.remove(session);
    }

    private String newSession(String userId) {
        String id = Tokens.random(24);
        if (sessions.size() > 10_000) sessions.clear();
        sessions.put(id, userId);
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
