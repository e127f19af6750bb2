package de.amtsbote;

import de.amtsbote.admin.AdminHandlers;
import de.amtsbote.clientapi.AccountHandlers;
import de.amtsbote.clientapi.DiscoveryHandlers;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.config.Config;
import de.amtsbote.http.HttpServer;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.ServerSigningKey;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.Stores;
import de.amtsbote.sync.Notifier;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.UserInteractiveAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/**
 * The whole server, wired by hand: storage, components, HTTP. Construct, {@link #start()}, {@link #close()}.
 * Tests start it on port 0 and read {@link #port()}.
 */
public final class AmtsboteServer implements AutoCloseable {
    private final Config config;
    private final Database db;
    private final Stores stores;
    private final Accounts accounts;
    private final HttpServer http;

    public AmtsboteServer(Config config) {
        this.config = config;
        this.db = Database.open(config.database());
        this.stores = Stores.of(db);
        ServerSigningKey signingKey = loadOrCreateKey(config);
        Notifier notifier = new Notifier();
        this.accounts = new Accounts(stores.accounts(), config.serverName(), config.limits().loginAttemptsPerMinute());
        UserInteractiveAuth uia = new UserInteractiveAuth(accounts);

        Router router = new Router();
        List<Handlers> handlers = List.of(
                new DiscoveryHandlers(config.publicBaseUrl()),
                new AccountHandlers(accounts, uia),
                new AdminHandlers(accounts));
        for (Handlers h : handlers) h.register(router);
        this.http = new HttpServer(config.listenAddress(), config.listenPort(), router, accounts,
                config.limits().maxRequestBodyBytes(), config.limits().maxSyncTimeoutMs() + 60_000L, null);
    }

    private static ServerSigningKey loadOrCreateKey(Config config) {
        try {
            if (Files.exists(config.signingKeyPath())) return ServerSigningKey.load(config.signingKeyPath());
            ServerSigningKey key = ServerSigningKey.generate("a_" + de.amtsbote.users.Tokens.random(4));
            if (config.signingKeyPath().toAbsolutePath().getParent() != null) {
                Files.createDirectories(config.signingKeyPath().toAbsolutePath().getParent());
            }
            key.save(config.signingKeyPath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the signing key " + config.signingKeyPath(), e);
        }
    }

    public AmtsboteServer start() throws Exception {
        http.start();
        return this;
    }

    public int port() { return http.port(); }

    public Config config() { return config; }

    public Accounts accounts() { return accounts; }

    public Stores stores() { return stores; }

    @Override
    public void close() throws Exception {
        http.close();
        db.close();
    }
}
