package de.amtsbote.ldap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.admin.AdminAudit;
import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.LdapStore;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.Tokens;
import de.amtsbote.users.UserModeration;
import de.amtsbote.util.Json;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Local accounts for directory users: created without a usable local password (the directory checks it) and
 * linked to their entry; display names follow the directory. Shared by sign-in and the sync.
 */
final class LdapAccounts {
    private final Accounts accounts;
    private final UserModeration moderation;
    private final LdapStore store;
    private final RoomActions actions;
    private final AdminAudit audit;
    private final LongSupplier clock;

    LdapAccounts(Accounts accounts, UserModeration moderation, LdapStore store, RoomActions actions, AdminAudit audit,
                 LongSupplier clock) {
        this.accounts = accounts;
        this.moderation = moderation;
        this.store = store;
        this.actions = actions;
        this.audit = audit;
        this.clock = clock;
    }

    Accounts accounts() { return accounts; }

    LdapStore store() { return store; }

    /** The account locks (the same as an admin's): the sync locks directory accounts through it. */
    UserModeration moderation() { return moderation; }

    /**
     * Creates and links the account of a directory user; false if the name is taken by an account that was
     * not created from the directory (that one is left alone: it may belong to someone else).
     */
    boolean create(DirectoryUser u, String actor) {
        try {
            // Nobody knows this password: directory users sign in with their directory password.
            accounts.createUser(u.localpart(), Tokens.random(40), false, u.displayname());
        } catch (MatrixException e) {
            if ("M_USER_IN_USE".equals(e.errcode())) return false;
            throw e;
        }
        String userId = accounts.userId(u.localpart());
        store.link(userId, u.dn(), clock.getAsLong());
        ObjectNode d = Json.object();
        d.put("dn", u.dn());
        if (u.displayname() != null) d.put("displayname", u.displayname());
        audit.recordSystem(actor, "user.create", userId, d);
        return true;
    }

    /** Takes over a changed display name; true if it changed. */
    boolean updateDisplayname(AccountStore.User local, DirectoryUser u, String actor) {
        String wanted = u.displayname() == null ? u.localpart() : u.displayname();
        if (Objects.equals(wanted, local.displayname())) return false;
        accounts.store().setProfile(local.userId(), wanted, local.avatarUrl());
        actions.profileChanged(local.userId());
        ObjectNode d = Json.object();
        d.put("displayname", wanted);
        audit.recordSystem(actor, "user.update", local.userId(), d);
        return true;
    }

    /** The local account if it was created from the directory. */
    Optional<LdapStore.LinkedUser> linked(String userId) { return store.linked(userId); }
}
