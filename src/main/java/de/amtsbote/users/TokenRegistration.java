package de.amtsbote.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-up with a registration token (POST /register, auth type m.login.registration_token, spec v1.2+). It is
 * the only way to register: open registration stays off. The first request gets the user-interactive auth
 * challenge; the second carries the token and the session, and must repeat the same request (otherwise 403,
 * as for other user-interactive auth). An unknown, expired or used-up token is refused with 403 M_FORBIDDEN.
 *
 * <p>The user name is checked only once the token is accepted. GET /register/available (the spec's name
 * check for sign-up forms) does answer without a token, but slowly: per client address, like token guesses,
 * so accounts cannot be enumerated quickly.
 */
public final class TokenRegistration {
    public static final String STAGE = "m.login.registration_token";
    private static final int MAX_SESSIONS = 10_000;

    private final Accounts accounts;
    private final RegistrationTokens tokens;
    /** UIA session id -> fingerprint of the request it was started for. */
    private final ConcurrentHashMap<String, String> sessions = new ConcurrentHashMap<>();

    /** Token guesses through /register are as slow as through the validity check: per client address. */
    private final RateLimiter attempts;

    /** Name checks (GET /register/available) per client address; its own budget, so a sign-up form's check
     *  does not use up the token attempts. */
    private final RateLimiter nameChecks;

    public TokenRegistration(Accounts accounts, RegistrationTokens tokens, int tokenAttemptsPerMinute) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.attempts = new RateLimiter(tokenAttemptsPerMinute);
        this.nameChecks = new RateLimiter(tokenAttemptsPerMinute);
    }

    /**
     * GET /register/available: {"available": true}, or 400 M_INVALID_USERNAME / M_EXCLUSIVE / M_USER_IN_USE,
     * 429 M_LIMIT_EXCEEDED when the address asked too often (checked first, as for the token validity check).
     */
    public ObjectNode checkAvailable(String username, String remoteAddress) {
        long wait = nameChecks.tryAcquire(remoteAddress, System.currentTimeMillis());
        if (wait > 0) throw MatrixException.limitExceeded(wait);
        if (username == null) throw MatrixException.missingParam("The query parameter 'username' is required");
        accounts.checkAvailable(username);
        return Json.object().put("available", true);
    }

    /**
     * A POST /register as the handler read it. requestFingerprint identifies the request without its auth
     * dict; authType/authSession/token come from the auth dict (all null without one).
     */
    public record Request(String kind, String username, String password, String deviceId, String deviceName,
                          boolean inhibitLogin, String requestFingerprint, String authType, String authSession,
                          String token) {}

    public ObjectNode register(Request r, String remoteAddress) {
        if (r.kind() != null && !r.kind().equals("user")) throw MatrixException.forbidden("Guest access is disabled");
        if (r.authType() == null && r.authSession() == null) throw challenge(newSession(r.requestFingerprint()));
        if (r.authType() != null && !STAGE.equals(r.authType())) {
            throw MatrixException.forbidden("Accounts are created by your administrator or with an invitation (registration token)");
        }
        String expected = r.authSession() == null ? null : sessions.get(r.authSession());
        if (expected == null) throw challenge(newSession(r.requestFingerprint()));
        if (!expected.equals(r.requestFingerprint())) {
            throw MatrixException.forbidden("The requested operation changed during user-interactive authentication");
        }
        if (r.deviceId() != null && r.deviceId().length() > 100) throw MatrixException.invalidParam("device_id is too long");
        long wait = attempts.tryAcquire(remoteAddress, System.currentTimeMillis());
        if (wait > 0) throw MatrixException.limitExceeded(wait);
        if (r.token() == null || !tokens.reserve(r.token())) {
            throw MatrixException.forbidden("The registration token is not valid (unknown, expired or used up)");
        }
        String userId;
        try {
            if (r.username() == null || r.username().isEmpty()) throw MatrixException.missingParam("'username' is required");
            userId = accounts.createUser(r.username(), r.password(), false, null);
        } catch (RuntimeException e) {
            tokens.release(r.token());
            throw e;
        }
        tokens.complete(r.token());
        sessions.remove(r.authSession());
        ObjectNode out = Json.object();
        out.put("user_id", userId);
        if (r.inhibitLogin()) return out;
        String deviceId = r.deviceId() == null || r.deviceId().isEmpty() ? Tokens.newDeviceId() : r.deviceId();
        String accessToken = Tokens.newAccessToken();
        accounts.store().addDeviceToken(userId, deviceId, r.deviceName(), Tokens.hash(accessToken), remoteAddress);
        out.put("access_token", accessToken);
        out.put("device_id", deviceId);
        return out;
    }

    private String newSession(String fingerprint) {
        if (sessions.size() > MAX_SESSIONS) sessions.clear();
        String id = Tokens.random(24);
        sessions.put(id, fingerprint);
        return id;
    }

    private static MatrixException challenge(String session) {
        ObjectNode extra = Json.object();
        extra.putArray("flows").addObject().putArray("stages").add(STAGE);
        extra.putObject("params");
        extra.put("session", session);
        return new MatrixException(401, "M_UNAUTHORIZED", "Registration needs an invitation (registration token)", extra);
    }
}
