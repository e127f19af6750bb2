package de.amtsbote.appservice;

import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Session;
import de.amtsbote.users.Tokens;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The registered application services and the namespace rules they impose on everybody else. */
public final class Appservices {
    private final List<Registration> all;
    private final String serverName;
    private final Map<String, Registration> byTokenHash = new HashMap<>();
    private final Map<String, Registration> byId = new HashMap<>();

    public Appservices(List<Registration> registrations, String serverName) {
        this.all = List.copyOf(registrations);
        this.serverName = serverName;
        for (Registration r : all) {
            byTokenHash.put(Tokens.hash(r.asToken()), r);
            byId.put(r.id(), r);
        }
    }

    public List<Registration> all() { return all; }

    public String serverName() { return serverName; }

    public boolean isEmpty() { return all.isEmpty(); }

    /** The service whose as_token has this SHA-256 hash, or null. */
    public Registration byTokenHash(String tokenHash) { return byTokenHash.get(tokenHash); }

    public Registration byId(String id) { return byId.get(id); }

    /** The service a request was authenticated as (by its as_token), or null for an ordinary user. */
    public Registration of(Session s) { return s == null ? null : byTokenHash.get(s.tokenHash()); }

    /**
     * Whether a request is exempt from rate limits: a service with {@code rate_limited: false}, or its sender
     * (which the spec always excludes). The server has no per-request client rate limits yet (sign-in
     * attempts do not use the as_token); limits added later ask this.
     */
    public boolean exemptFromRateLimits(Session s) {
        Registration r = of(s);
        return r != null && (!r.rateLimited() || s.userId().equals(r.senderUserId(serverName)));
    }

    /** For everybody but the owning service: 400 M_EXCLUSIVE if an exclusive users namespace covers the id. */
    public void guardUserId(String userId) {
        for (Registration r : all) {
            if (r.isExclusiveUser(userId) || userId.equals(r.senderUserId(serverName))) {
                throw new MatrixException(400, "M_EXCLUSIVE", "The user id " + userId
                        + " is reserved for the application service '" + r.id() + "'");
            }
        }
    }

    /**
     * Alias creation: an exclusive alias namespace is only for its service, acting as its sender or one of
     * its users; 400 M_EXCLUSIVE otherwise.
     */
    public void guardAlias(String alias, String creatorUserId) {
        for (Registration r : all) {
            if (r.isExclusiveAlias(alias) && !r.ownsUser(creatorUserId, serverName)) {
                throw new MatrixException(400, "M_EXCLUSIVE", "The alias " + alias
                        + " is reserved for the application service '" + r.id() + "'");
            }
        }
    }
}
