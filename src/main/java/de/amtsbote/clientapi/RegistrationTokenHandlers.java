package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.NONE;

import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.users.RateLimiter;
import de.amtsbote.users.RegistrationTokens;
import de.amtsbote.util.Json;

/** GET /_matrix/client/v1/register/m.login.registration_token/validity (spec v1.2+), rate limited per address. */
public final class RegistrationTokenHandlers implements Handlers {
    private final RegistrationTokens tokens;
    /** Guessing tokens must be slow: a few checks per minute and address are enough for a sign-up page. */
    private final RateLimiter limiter;

    public RegistrationTokenHandlers(RegistrationTokens tokens, int checksPerMinute) {
        this.tokens = tokens;
        this.limiter = new RateLimiter(checksPerMinute);
    }

    @Override
    public void register(Router r) {
        r.add("GET", "/_matrix/client/v1/register/m.login.registration_token/validity", NONE, req -> {
            long wait = limiter.tryAcquire(req.remoteAddress(), System.currentTimeMillis());
            if (wait > 0) throw MatrixException.limitExceeded(wait);
            String token = req.query("token");
            if (token == null) throw MatrixException.missingParam("The query parameter 'token' is required");
            return Json.object().put("valid", tokens.isValid(token));
        });
    }
}
