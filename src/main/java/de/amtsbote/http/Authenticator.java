package de.amtsbote.http;

/** Resolves an access token to a session; implemented by the users component. */
public interface Authenticator {
    /** Returns the session, or null if the token is unknown (revoked, expired or never issued). */
    Session authenticate(String accessToken);

    /** Told after each successfully authenticated request (device "last seen"); must be cheap. */
    default void seen(Session session, String remoteAddress) {}

    /**
     * Whether the user is a server admin now (not cached: admin routes must see a demotion at once).
     * Nobody is, unless the implementation says so.
     */
    default boolean isAdminNow(String userId) { return false; }
}
