package de.amtsbote.ldap;

import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.LdapStore;
import de.amtsbote.users.ExternalAuth;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Sign-in against the directory: the user's entry is searched with the service account, then the password is
 * checked by binding as that entry. Accounts created in Amtsbote itself (not from the directory) keep their
 * local password; a directory user signing in for the first time gets a local account.
 */
public final class LdapAuth implements ExternalAuth {
    private static final Logger LOG = Logger.getLogger(LdapAuth.class.getName());
    static final String ACTOR = "ldap-login";

    private final LdapDirectory directory;
    private final LdapAccounts accounts;

    LdapAuth(LdapDirectory directory, LdapAccounts accounts) {
        this.directory = directory;
        this.accounts = accounts;
    }

    @Override
    public boolean managesPassword(String userId) { return accounts.linked(userId).isPresent(); }

    @Override
    public Result check(String userId, String password) {
        var local = accounts.accounts();
        if (!local.isLocal(userId)) return Result.NOT_MINE;
        Optional<AccountStore.User> existing = local.user(userId);
        Optional<LdapStore.LinkedUser> linked = accounts.linked(userId);
        if (existing.isPresent() && linked.isEmpty()) return Result.NOT_MINE;
        // An empty password would be an anonymous bind, which LDAP servers accept: never ask.
        if (password.isEmpty()) return Result.REJECTED;
        String localpart = userId.substring(1, userId.indexOf(':'));
        try {
            Optional<DirectoryUser> entry = directory.findUser(localpart);
            if (entry.isEmpty() || !localpart.equals(entry.get().localpart())) return Result.REJECTED;
            boolean deactivated = existing.isPresent() && existing.get().deactivated();
            boolean locked = existing.isPresent() && !deactivated && accounts.moderation().isLocked(userId);
            // A disabled entry signs in to nothing. Its password is still checked when the account is locked (the
            // sync locks disabled entries), so that its owner hears of the lock rather than of a wrong password;
            // Active Directory refuses binds of disabled accounts anyway.
            if (entry.get().disabled() && !locked) return Result.REJECTED;
            if (!directory.checkPassword(entry.get().dn(), password)) return Result.REJECTED;
            // Only after the password: nobody learns of a lock by guessing. Nothing is taken over from the
            // directory for a locked or deactivated account (Accounts.login refuses the latter).
            if (locked) throw MatrixException.userLocked();
            if (deactivated) return Result.ACCEPTED;
            if (existing.isEmpty()) {
                // false: the name was taken meanwhile; fine if by this user's own parallel first sign-in.
                if (!accounts.create(entry.get(), ACTOR) && accounts.linked(userId).isEmpty()) return Result.REJECTED;
            } else {
                if (!linked.get().dn().equals(entry.get().dn())) accounts.store().link(userId, entry.get().dn(), 0);
                accounts.updateDisplayname(existing.get(), entry.get(), ACTOR);
            }
            return Result.ACCEPTED;
        } catch (DirectoryException e) {
            LOG.warning("LDAP sign-in of " + userId + " failed: " + e.getMessage());
            throw MatrixException.forbidden("The sign-in directory (LDAP / Active Directory) cannot be reached at the "
                    + "moment. Please try again later or contact your IT department.");
        }
    }
}
