package de.amtsbote.appservice;

import de.amtsbote.http.Authenticator;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Session;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.Tokens;

/**
 * Access tokens of users (delegated to {@link Accounts}) and of application services: an as_token acts as the
 * service's sender, or with {@code ?user_id=} as a registered user in its namespaces (identity assertion),
 * optionally with {@code ?device_id=} as one of that user's devices.
 */
public final class AppserviceAuthenticator implements Authenticator {
    /**
     * The device of a service's request without device_id. The spec has none there, but transaction ids are
     * scoped to a device, and a retried send must find its first attempt.
     */
    public static final String NO_DEVICE = "_appservice";

    private final Appservices appservices;
    private final Accounts accounts;

    public AppserviceAuthenticator(Appservices appservices, Accounts accounts) {
        this.appservices = appservices;
        this.accounts = accounts;
    }

    @Override
    public Session authenticate(String accessToken) { return authenticate(accessToken, null); }

    @Override
    public Session authenticate(String accessToken, Req req) {
        if (appservices.isEmpty()) return accounts.authenticate(accessToken);
        String hash = Tokens.hash(accessToken);
        Registration as = appservices.byTokenHash(hash);
        if (as == null) return accounts.authenticate(accessToken);
        String sender = as.senderUserId(accounts.serverName());
        String userId = req == null ? null : req.query("user_id");
        if (userId == null || userId.isEmpty()) {
            userId = sender;
        } else if (!userId.equals(sender)) {
            if (!as.ownsUser(userId, accounts.serverName())) {
                throw MatrixException.forbidden("The application service cannot act as " + userId
                        + ": the user is not in its namespaces");
            }
            if (accounts.user(userId).filter(u -> !u.deactivated()).isEmpty()) {
                throw MatrixException.forbidden("The application service has not registered the user " + userId);
            }
        }
        String deviceId = req == null ? null : req.query("device_id");
        if (deviceId == null || deviceId.isEmpty()) {
            deviceId = NO_DEVICE;
        } else if (accounts.store().device(userId, deviceId).isEmpty()) {
            throw new MatrixException(400, "M_UNKNOWN_DEVICE", "The device " + deviceId + " does not belong to " + userId);
        }
        return new Session(userId, deviceId, hash, false);
    }

    @Override
    public void seen(Session session, String remoteAddress) {
        if (appservices.byTokenHash(session.tokenHash()) == null) accounts.seen(session, remoteAddress);
    }

    @Override
    public void seen(Session session, String remoteAddress, String userAgent) {
        if (appservices.byTokenHash(session.tokenHash()) == null) accounts.seen(session, remoteAddress, userAgent);
    }

    // Everything else a user session needs checked is the users component's: delegate, or the defaults of
    // Authenticator (nobody locked, nothing wiped, nobody admin) would silently switch those checks off.
    @Override
    public boolean isLocked(String userId) { return accounts.isLocked(userId); }

    @Override
    public boolean wasWiped(String accessToken) { return accounts.wasWiped(accessToken); }

    @Override
    public boolean isAdminNow(String userId) { return accounts.isAdminNow(userId); }
}
