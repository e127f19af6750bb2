package de.amtsbote.appservice;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.Tokens;
import de.amtsbote.util.Json;
import java.io.IOException;

/**
 * {@code POST /_matrix/client/v1/appservice/{appserviceId}/ping} and {@code POST /register} with
 * {@code m.login.application_service} (the latter reached through AccountHandlers' /register).
 */
public final class AppserviceHandlers implements Handlers {
    public static final String LOGIN_TYPE = "m.login.application_service";

    private final Appservices appservices;
    private final Accounts accounts;
    private final AppserviceClient client;

    /** Told the id of a service that answered a ping (its waiting transaction is retried at once). */
    private final java.util.function.Consumer<String> reachable;

    AppserviceHandlers(Appservices appservices, Accounts accounts, AppserviceClient client,
                       java.util.function.Consumer<String> reachable) {
        this.appservices = appservices;
        this.accounts = accounts;
        this.client = client;
        this.reachable = reachable;
    }

    @Override
    public void register(Router r) {
        r.add("POST", "/_matrix/client/v1/appservice/{appserviceId}/ping", USER, this::ping);
    }

    private Object ping(Req req) throws InterruptedException {
        Registration as = appservices.of(req.session());
        if (as == null || !as.id().equals(req.path("appserviceId"))) {
            throw MatrixException.forbidden("Provided access token is not the appservice's as_token");
        }
        ObjectNode body = req.jsonOrEmpty();
        String txnId = JsonFields.optString(body, "transaction_id");
        if (as.url() == null) throw new MatrixException(400, "M_URL_NOT_SET", "Application service doesn't have a URL configured");
        ObjectNode out = Json.object();
        if (txnId != null) out.put("transaction_id", txnId);
        long start = System.nanoTime();
        AppserviceClient.Answer a;
        try {
            a = client.ping(as, Json.write(out));
        } catch (AppserviceClient.Timeout e) {
            throw new MatrixException(504, "M_CONNECTION_TIMEOUT", "Connection to application service timed out");
        } catch (IOException e) {
            throw new MatrixException(502, "M_CONNECTION_FAILED", "Connection to application service failed");
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        if (!a.ok()) {
            ObjectNode extra = Json.object();
            extra.put("status", a.status());
            extra.put("body", a.body());
            throw new MatrixException(502, "M_BAD_STATUS", "Ping returned status " + a.status(), extra);
        }
        reachable.accept(as.id());
        return Json.object().put("duration_ms", durationMs);
    }

    /** Whether a POST /register or /login asks for m.login.application_service (an unreadable body does not). */
    static boolean isAppserviceRegistration(Req req) {
        req.body(); // a body too large or broken is refused as such, not read as "another type"
        try {
            return LOGIN_TYPE.equals(JsonFields.optString(req.jsonOrEmpty(), "type"));
        } catch (MatrixException e) {
            return false;
        }
    }

    /**
     * POST /register for a service: the as_token names the service (401 if missing or not a service's), the
     * username must be its sender or in its users namespaces (400 M_EXCLUSIVE). No password; with
     * {@code inhibit_login: true} no device either.
     */
    Object registerUser(Req req) {
        Registration as = requireService(req);
        ObjectNode body = req.json();
        String username = JsonFields.optString(body, "username");
        if (username == null || username.isEmpty()) throw MatrixException.missingParam("'username' is required");
        if (username.startsWith("@")) {
            if (!username.endsWith(":" + accounts.serverName())) {
                throw new MatrixException(400, "M_INVALID_USERNAME", "Only users of this server can be registered");
            }
            username = username.substring(1, username.lastIndexOf(':'));
        }
        String userId = accounts.userId(username);
        if (!as.ownsUser(userId, accounts.serverName())) {
            throw new MatrixException(400, "M_EXCLUSIVE", "The user id " + userId + " is not in the namespaces of the application service '"
                    + as.id() + "'");
        }
        accounts.createUnguarded(username, Tokens.random(40), false, null);
        ObjectNode out = Json.object();
        out.put("user_id", userId);
        out.put("home_server", accounts.serverName());
        if (!Boolean.TRUE.equals(JsonFields.optBoolean(body, "inhibit_login"))) signIn(req, body, userId, out);
        return out;
    }

    /**
     * POST /login for a service (spec v1.2): a user of its namespaces signs in without a password and gets a
     * device and token; outside them 400 M_EXCLUSIVE, an unknown user 403 M_FORBIDDEN.
     */
    Object login(Req req) {
        Registration as = requireService(req);
        ObjectNode body = req.json();
        ObjectNode id = JsonFields.optObject(body, "identifier");
        String user = id != null ? JsonFields.optString(id, "user") : JsonFields.optString(body, "user");
        if (id != null && !"m.id.user".equals(JsonFields.optString(id, "type"))) {
            throw new MatrixException(400, "M_UNKNOWN", "Only m.id.user identifiers are supported");
        }
        if (user == null || user.isEmpty()) throw MatrixException.badJson("A user identifier is required");
        String userId = user.startsWith("@") ? user : accounts.userId(user);
        if (!as.ownsUser(userId, accounts.serverName())) {
            throw new MatrixException(400, "M_EXCLUSIVE", "The user " + userId + " is not in the namespaces of the application service '"
                    + as.id() + "'");
        }
        if (accounts.user(userId).filter(u -> !u.deactivated()).isEmpty()) {
            throw MatrixException.forbidden("The application service has not registered the user " + userId);
        }
        ObjectNode out = Json.object();
        out.put("user_id", userId);
        out.put("home_server", accounts.serverName());
        signIn(req, body, userId, out);
        return out;
    }

    private void signIn(Req req, ObjectNode body, String userId, ObjectNode out) {
        String deviceId = JsonFields.optString(body, "device_id");
        if (deviceId == null || deviceId.isEmpty()) deviceId = Tokens.newDeviceId();
        if (deviceId.length() > 100) throw MatrixException.invalidParam("device_id is too long");
        String access = Tokens.newAccessToken();
        accounts.store().addDeviceToken(userId, deviceId, JsonFields.optString(body, "initial_device_display_name"),
                Tokens.hash(access), req.remoteAddress());
        out.put("access_token", access);
        out.put("device_id", deviceId);
    }

    /** The service whose as_token the request carries; 401 as for any bad token otherwise. */
    private Registration requireService(Req req) {
        String token = bearer(req);
        if (token == null) throw new MatrixException(401, "M_MISSING_TOKEN", "This needs the application service's as_token");
        Registration as = appservices.byTokenHash(Tokens.hash(token));
        if (as == null) {
            ObjectNode extra = Json.object().put("soft_logout", false);
            throw new MatrixException(401, "M_UNKNOWN_TOKEN", "Unknown application service token", extra);
        }
        return as;
    }

    private static String bearer(Req req) {
        String header = req.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) return header.substring(7).trim();
        return req.query("access_token");
    }
}
