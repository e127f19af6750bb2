package de.amtsbote.users;

import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.BotStore;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Bot accounts for scripts: users created by an admin with no usable password, used through long-lived access
 * tokens (one device each) that the admin issues, lists and revokes.
 */
public final class BotAccounts {
    private final Accounts accounts;
    private final BotStore store;
    private final LongSupplier clock;

    public BotAccounts(Accounts accounts, BotStore store, LongSupplier clock) {
        this.accounts = accounts;
        this.store = store;
        this.clock = clock;
    }

    /** A token as issued: the token itself is only in this answer. */
    public record IssuedToken(String userId, String deviceId, String accessToken) {}

    public record Bot(String userId, String displayname, long createdTs, List<AccountStore.Device> tokens) {}

    public IssuedToken create(String adminUserId, String localpart, String displayname, String tokenName) {
        if (tokenName != null && tokenName.length() > 200) throw MatrixException.invalidParam("'token_name' is too long");
        // Nobody knows the password: a bot signs in only with the tokens issued here.
        String userId = accounts.createUser(localpart, Tokens.random(40), false, displayname);
        store.add(new BotStore.Bot(userId, adminUserId, clock.getAsLong()));
        return issue(userId, tokenName);
    }

    public IssuedToken issue(String userId, String tokenName) {
        if (tokenName != null && tokenName.length() > 200) throw MatrixException.invalidParam("'token_name' is too long");
        requireBot(userId);
        String deviceId = "BOT" + Tokens.newDeviceId();
        String token = Tokens.newAccessToken();
        accounts.store().addDeviceToken(userId, deviceId, tokenName == null || tokenName.isBlank() ? "bot token" : tokenName,
                Tokens.hash(token), null);
        return new IssuedToken(userId, deviceId, token);
    }

    public List<Bot> list() {
        return store.all().stream().map(b -> new Bot(b.userId(),
                accounts.user(b.userId()).map(AccountStore.User::displayname).orElse(null), b.createdTs(),
                accounts.devices(b.userId()))).toList();
    }

    public void revoke(String userId, String deviceId) {
        requireBot(userId);
        if (!accounts.deleteDevice(userId, deviceId)) throw MatrixException.notFound("No such token");
    }

    private void requireBot(String userId) {
        if (!store.isBot(userId)) throw MatrixException.notFound("No such bot");
    }
}
