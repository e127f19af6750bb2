package de.amtsbote.users;

/**
 * A password check outside Amtsbote's own database (the LDAP directory / Active Directory). {@link Accounts}
 * asks it first at sign-in and for user-interactive auth; a user it does not handle keeps the local password.
 */
@FunctionalInterface
public interface ExternalAuth {
    enum Result {
        /** Not a directory user: check the local password. */
        NOT_MINE,
        /** The directory accepted the password; the local account exists now (created if it was missing). */
        ACCEPTED,
        /** A directory user with a wrong or empty password, or unknown/disabled in the directory. */
        REJECTED
    }

    /**
     * userId is a full local user id; password is never null. May throw a MatrixException with a message for
     * the user when the directory cannot be asked (e.g. it is unreachable), or M_USER_LOCKED for a locked
     * account once the password proved right (a directory entry disabled meanwhile can no longer say ACCEPTED).
     */
    Result check(String userId, String password);

    /** Whether the user's password lives outside Amtsbote (then it cannot be changed here). */
    default boolean managesPassword(String userId) { return false; }

    ExternalAuth NONE = (userId, password) -> Result.NOT_MINE;
}
