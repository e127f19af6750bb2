package de.amtsbote.http;

/** Resolves an access token to a session; implemented by the users component. */
public interface Authenticator {
    /** Returns the session, or null if the token is unknown (revoked, expired or never issued). */
    Session authenticate(String accessToken);

    /**
     * The same with the request at hand: an application service's token names the user it acts as in the
     * query ({@code user_id}, {@code device_id}). May throw a MatrixException (403/400) for a bad identity.
     */
    default Session authenticate(String accessToken, Req req) { return authenticate(accessToken); }

    /** Told after each successfully authenticated request (device "last seen"); must be cheap. */
    default void seen(Session session, String remoteAddress) {}

    /** As {@link #seen(Session, String)}, with the request's User-Agent header (may be null). */
    default void seen(Session session, String remoteAddress, String userAgent) { seen(session, remoteAddress); }

    /**
     * Whether the user's account is locked by an admin now: every request but logout is then refused with
     * 401 M_USER_LOCKED and soft_logout true (spec: account locking); the session itself stays valid.
     */
    default boolean isLocked(String userId) { return false; }

    /**
     * Called for a token that {@link #authenticate} did not know: whether it belonged to a device an admin wiped.
     * The implementation may note the device's contact (the wipe's confirmation).
     */
    default boolean wasWiped(String accessToken) { return false; }

    /**
     * Whether the user is a server admin now (not cached: admin routes must see a demotion at once).
     * Nobody is, unless the implementation says so.
     */
    default boolean isAdminNow(String userId) { return false; }
}
