package de.amtsbote;

import de.amtsbote.admin.AdminHandlers;
import de.amtsbote.clientapi.AccountDataHandlers;
import de.amtsbote.clientapi.AccountHandlers;
import de.amtsbote.clientapi.DirectoryUserHandlers;
import de.amtsbote.clientapi.DiscoveryHandlers;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.PushRuleHandlers;
import de.amtsbote.config.Config;
import de.amtsbote.http.HttpServer;
import de.amtsbote.http.Router;
import de.amtsbote.media.MediaFiles;
import de.amtsbote.media.MediaHandlers;
import de.amtsbote.media.MediaService;
import de.amtsbote.push.PushNotificationPolicy;
import de.amtsbote.push.PushRules;
import de.amtsbote.rooms.ServerSigningKey;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.Stores;
import de.amtsbote.sync.Notifier;
import de.amtsbote.users.AccountData;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.ToDeviceMessages;
import de.amtsbote.users.UserInteractiveAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import de.amtsbote.clientapi.DirectoryHandlers;
import de.amtsbote.clientapi.ProfileUpdateHandlers;
import de.amtsbote.clientapi.RelationsHandlers;
import de.amtsbote.clientapi.RoomHandlers;
import de.amtsbote.clientapi.SyncHandlers;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.HistoryVisibility;
import de.amtsbote.rooms.Profiles;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.rooms.RoomCreator;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.rooms.Timeline;
import de.amtsbote.sync.IgnoredUsers;
import de.amtsbote.sync.Presence;
import de.amtsbote.sync.Receipts;
import de.amtsbote.sync.SyncService;
import de.amtsbote.sync.Typing;
import de.amtsbote.sync.UnreadCounts;

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
    private final RoomService rooms;
    private final ScheduledExecutorService typingExpiry;
    /** Decides who is notified of a new event; for the rooms service. */
    private final PushNotificationPolicy notificationPolicy;
    /** Delivers push notifications to the push gateways of the users' pushers. */
    private final de.amtsbote.push.PushGatewayClient pushGateway;
    /** The hash-chained audit log of admin acts. */
    private final de.amtsbote.admin.AuditLog auditLog;
    /** GET /_amtsbote/admin/v1/status; the LDAP component plugs its state in here. */
    private final de.amtsbote.admin.StatusHandlers adminStatus;
    /** Outgoing rules: calls external services for matching messages on virtual threads. */
    private final de.amtsbote.webhooks.OutgoingRules outgoingRules;
    /** LDAP / Active Directory sign-in and sync; switched off unless ldap.enabled. */
    private final de.amtsbote.ldap.Ldap ldap;
    /** Application services: registrations, as_token auth, namespaces, transactions, queries, ping. */
    private final de.amtsbote.appservice.AppserviceComponent appservices;
    private final de.amtsbote.users.UserModeration moderation;

    public AmtsboteServer(Config config) {
        this.config = config;
        // Registration files are checked before anything opens, so a bad one stops the start cleanly.
        var registrations = de.amtsbote.appservice.RegistrationLoader.load(config.appservices());
        this.db = Database.open(config.database());
        this.stores = Stores.of(db);
        long startedMs = System.currentTimeMillis();
        // Audit log of admin acts (append-only, hash-chained): every admin handler records through it.
        this.auditLog = new de.amtsbote.admin.AuditLog(new de.amtsbote.storage.jdbc.JdbcAuditStore(db), System::currentTimeMillis);
        de.amtsbote.admin.AdminAudit audit = auditLog;
        ServerSigningKey signingKey = loadOrCreateKey(config);
        Notifier notifier = new Notifier();
        this.accounts = new Accounts(stores.accounts(), config.serverName(), config.limits().loginAttemptsPerMinute());
        UserInteractiveAuth uia = new UserInteractiveAuth(accounts);
        this.appservices = de.amtsbote.appservice.AppserviceComponent.load(registrations, accounts);
        de.amtsbote.storage.DirectoryStore directory = appservices.directory(stores.directory());
        PushRules pushRules = new PushRules(stores.accountData(), notifier);
        this.notificationPolicy = new PushNotificationPolicy(pushRules, config.serverName());

        MediaService media = new MediaService(config.serverName(), stores.media(), mediaFiles(config),
                config.media().maxUploadBytes());

        // Rooms and sync.
        this.rooms = new RoomService(stores.events(), db, signingKey, config.serverName(), notifier);
        rooms.setNotificationPolicy(notificationPolicy);
        Profiles profiles = appservices.profiles(userId -> stores.accounts().user(userId)
                .filter(u -> !u.deactivated())
                .map(u -> new Profiles.Profile(u.displayname(), u.avatarUrl()))
                .orElse(null));
        RoomActions actions = new RoomActions(rooms, directory, profiles,
                de.amtsbote.rooms.EncryptionPolicy.of(config.encryption()));
        ClientEvents clientEvents = new ClientEvents(stores.events());
        HistoryVisibility visibility = new HistoryVisibility(stores.events());
        Timeline timeline = new Timeline(stores.events(), visibility);
        Typing typing = new Typing(notifier, roomId -> {
            var room = rooms.room(roomId);
            return room == null ? java.util.Set.of() : room.joinedMembers();
        });
        UnreadCounts unread = new UnreadCounts(stores.events(), stores.receipts(), rooms::streamPos);
        rooms.onNotificationsCommitted(unread::added);
        de.amtsbote.push.Pushers pushers = new de.amtsbote.push.Pushers(
                new de.amtsbote.storage.jdbc.JdbcPusherStore(db), stores.accounts(),
                new de.amtsbote.push.PushTargets(config.push().allowInternalGateways()));
        accounts.onSessionsRevoked(pushers::sessionsRevoked);
        this.pushGateway = new de.amtsbote.push.PushGatewayClient(pushers, rooms::room, notificationPolicy,
                userId -> {
            int sum = 0;
            for (var m : rooms.membershipsOf(userId).entrySet()) {
                if ("join".equals(m.getValue())) sum += unread.get(userId, m.getKey()).notifications();
            }
            return sum;
        });
        rooms.onNotifyingEventCommitted(pushGateway::eventCommitted);
        de.amtsbote.push.VapidKey vapidKey = loadOrCreateVapidKey(config);
        // The VAPID contact: our https address; without one the optional claim is left out (RFC 8292 section 2.1).
        pushGateway.enableWebPush(vapidKey, config.publicBaseUrl().startsWith("https://") ? config.publicBaseUrl() : null);
        Receipts receipts = new Receipts(stores.receipts(), rooms, notifier, unread);
        SyncService sync = new SyncService(rooms, clientEvents, timeline, notifier, typing, receipts, unread,
                stores.accountData(), stores.toDevice(), pushRules::clientJson);
        sync.setSessionCheck(accounts::isValid);
        Presence presence = new Presence(u -> Presence.roomMates(rooms, u), notifier, config.limits().maxSyncTimeoutMs() + 60_000L,
                System::currentTimeMillis);
        sync.setPresence(presence);
        IgnoredUsers ignoredUsers = new IgnoredUsers(stores.accountData());
        sync.setIgnoredUsers(ignoredUsers::of);
        // A revoked session's waiting long-polls wake up and answer M_UNKNOWN_TOKEN at once.
        accounts.onSessionsRevoked(notifier::wake);
        this.typingExpiry = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        typingExpiry.scheduleAtFixedRate(typing::expire, 1, 1, TimeUnit.SECONDS);
        typingExpiry.scheduleAtFixedRate(presence::expire, 5, 5, TimeUnit.SECONDS);

        // Registration tokens (invite links): sign-up with m.login.registration_token, open registration stays off.
        de.amtsbote.users.RegistrationTokens registrationTokens = new de.amtsbote.users.RegistrationTokens(
                new de.amtsbote.storage.jdbc.JdbcRegistrationTokenStore(db), System::currentTimeMillis);
        de.amtsbote.users.TokenRegistration tokenRegistration = new de.amtsbote.users.TokenRegistration(accounts, registrationTokens,
                config.limits().loginAttemptsPerMinute());

        Router router = new Router();
        List<Handlers> handlers = List.of(
                new DiscoveryHandlers(config.publicBaseUrl(), accounts::isAdminNow),
                new AccountHandlers(accounts, uia, tokenRegistration)
                        .withAppservices(appservices.registration(), appservices.login()),
                new AdminHandlers(accounts, audit),
                // false: unauthenticated media endpoints frozen, as the spec asks of servers since v1.12
                new MediaHandlers(media, false),
                new RoomHandlers(actions, new RoomCreator(actions), clientEvents, timeline).hidingIgnoredUsers(ignoredUsers::of),
                new RelationsHandlers(rooms, clientEvents, visibility),
                new DirectoryHandlers(rooms, directory),
                new ProfileUpdateHandlers(stores.accounts(), actions),
                new SyncHandlers(sync, rooms, typing, receipts, stores.accountData(), notifier,
                        config.limits().maxSyncTimeoutMs(), presence),
                new PushRuleHandlers(pushRules),
                new AccountDataHandlers(new AccountData(ignoredUsers.watching(stores.accountData()), pushRules, notifier), stores.accountData(),
                        appservices.watch(new ToDeviceMessages(stores.toDevice(), stores.accounts(), notifier, config.serverName()))),
                new DirectoryUserHandlers(stores.accounts()).askingBeforeNotFound(appservices::queryUser),
                new de.amtsbote.clientapi.PusherHandlers(pushers),
                new de.amtsbote.clientapi.WebPushHandlers(vapidKey),
                new de.amtsbote.clientapi.KeyBackupHandlers(new de.amtsbote.users.KeyBackups(
                        new de.amtsbote.storage.jdbc.JdbcKeyBackupStore(db))),
                new de.amtsbote.clientapi.NotificationHandlers(
                        new de.amtsbote.push.NotificationList(stores.events(), stores.receipts(), clientEvents)));
        for (Handlers h : handlers) h.register(router);
        // Incoming webhooks (monitoring alerts posted by bot users), outgoing rules (messages sent to external
        // services, answers posted back) and their bot users; admin API and the public endpoint.
        de.amtsbote.storage.WebhookStore webhookStore = new de.amtsbote.storage.jdbc.JdbcWebhookStore(db);
        de.amtsbote.storage.OutgoingRuleStore ruleStore = new de.amtsbote.storage.jdbc.JdbcOutgoingRuleStore(db);
        de.amtsbote.webhooks.IntegrationBots integrationBots = new de.amtsbote.webhooks.IntegrationBots(accounts, actions,
                webhookStore, ruleStore, System::currentTimeMillis);
        de.amtsbote.webhooks.Webhooks webhooks = new de.amtsbote.webhooks.Webhooks(webhookStore, integrationBots,
                config.publicBaseUrl(), config.webhooks().deliveriesPerMinute(), config.webhooks().maxBodyBytes(),
                System::currentTimeMillis);
        new de.amtsbote.admin.WebhookAdminHandlers(webhooks, audit).register(router);
        new de.amtsbote.webhooks.WebhookHandlers(webhooks).register(router);
        this.outgoingRules = new de.amtsbote.webhooks.OutgoingRules(ruleStore, integrationBots,
                config.webhooks().allowInternalTargets(), config.webhooks().outgoingTimeoutMs(),
                System::currentTimeMillis);
        rooms.onEventCommitted(outgoingRules::eventCommitted);
        new de.amtsbote.admin.RuleAdminHandlers(outgoingRules, audit).register(router);
        // Bot accounts for scripts: long-lived tokens issued and revoked by admins.
        new de.amtsbote.admin.BotAdminHandlers(new de.amtsbote.users.BotAccounts(accounts,
                new de.amtsbote.storage.jdbc.JdbcBotStore(db), System::currentTimeMillis), audit).register(router);
        // Audit log (list, export, verify) and server status in the admin API. The LDAP component shows its
        // state on the status page with adminStatus.ldapStatus(...).
        new de.amtsbote.admin.AuditHandlers(auditLog).register(router);
        this.adminStatus = new de.amtsbote.admin.StatusHandlers(config.serverName(),
                db.dialect(), new de.amtsbote.storage.jdbc.JdbcServerStatsStore(db), startedMs, System::currentTimeMillis);
        adminStatus.register(router);
        // Rooms admin (Synapse's list/details/members/state/block/delete), registration tokens, server notices.
        de.amtsbote.storage.jdbc.JdbcRoomAdminStore roomAdminStore = new de.amtsbote.storage.jdbc.JdbcRoomAdminStore(db);
        de.amtsbote.rooms.RoomBlocks roomBlocks = new de.amtsbote.rooms.RoomBlocks(roomAdminStore, System::currentTimeMillis);
        actions.refuseJoinsWhen(roomBlocks::isBlocked);
        new de.amtsbote.admin.RoomAdminHandlers(rooms, new de.amtsbote.rooms.RoomSummaries(rooms, roomAdminStore), roomBlocks,
                new de.amtsbote.rooms.RoomDeletion(rooms, stores.directory(), roomAdminStore, roomBlocks, System::currentTimeMillis),
                clientEvents, accounts, audit).register(router);
        new de.amtsbote.admin.RegistrationTokenAdminHandlers(registrationTokens, audit).register(router);
        new de.amtsbote.clientapi.RegistrationTokenHandlers(registrationTokens, config.limits().loginAttemptsPerMinute()).register(router);
        de.amtsbote.storage.BotStore botStore = new de.amtsbote.storage.jdbc.JdbcBotStore(db);
        de.amtsbote.rooms.ServerNotices serverNotices = new de.amtsbote.rooms.ServerNotices(actions, accounts, roomAdminStore,
                stores.accountData(), notifier::wake,
                u -> botStore.isBot(u) || webhookStore.all().stream().anyMatch(h -> h.botUserId().equals(u)),
                config.serverNotices().systemMxidLocalpart(), config.serverNotices().systemMxidDisplayName(),
                config.serverNotices().roomName());
        actions.refuseRejectingInvitesWhen(serverNotices::isNoticeRoomOf);
        new de.amtsbote.admin.ServerNoticeAdminHandlers(serverNotices, audit).register(router);
        // End-to-end encryption keys; a device-list change wakes the user and everyone sharing a room with them.
        java.util.function.Consumer<String> deviceListChanged = u -> {
            notifier.wake(u);
            notifier.wake(Presence.roomMates(rooms, u));
        };
        de.amtsbote.users.DeviceKeys deviceKeys = new de.amtsbote.users.DeviceKeys(stores.keys(), config.serverName(),
                deviceListChanged, notifier::wake);
        accounts.onDevicesDeleted(deviceKeys::devicesDeleted);
        de.amtsbote.users.DeviceListChanges deviceListChanges = new de.amtsbote.users.DeviceListChanges(stores.keys(), rooms);
        sync.setDeviceKeys(deviceKeys, deviceListChanges);
        new de.amtsbote.clientapi.KeysHandlers(deviceKeys,
                new de.amtsbote.users.CrossSigning(stores.keys(), stores.accounts(), deviceListChanged),
                new de.amtsbote.users.KeySignatures(stores.keys(), deviceKeys, deviceListChanged),
                deviceListChanges, uia).register(router);
        de.amtsbote.sync.sliding.SlidingSyncService sliding = new de.amtsbote.sync.sliding.SlidingSyncService(rooms,
                timeline, clientEvents, unread, notifier, stores.accountData(), sync, deviceKeys,
                deviceListChanges, ignoredUsers::of, accounts::isValid);
        accounts.onDevicesDeleted(sliding::devicesDeleted);
        new de.amtsbote.clientapi.SlidingSyncHandlers(sliding, presence, config.limits().maxSyncTimeoutMs()).register(router);
        // Users and devices for admins (Synapse's user admin API, synadm): lock, deactivate, wipe, shared-secret registration.
        de.amtsbote.users.UserModeration moderation = new de.amtsbote.users.UserModeration(accounts,
                new de.amtsbote.storage.jdbc.JdbcUserAdminStore(db), new de.amtsbote.storage.jdbc.JdbcDeviceWipeStore(db),
                System::currentTimeMillis);
        moderation.setRoomHooks(userId -> {
            for (var m : rooms.membershipsOf(userId).entrySet()) {
                if (!"join".equals(m.getValue()) && !"invite".equals(m.getValue()) && !"knock".equals(m.getValue())) continue;
                try {
                    actions.leave(userId, m.getKey(), "Account deactivated");
                } catch (RuntimeException e) {
                    java.util.logging.Logger.getLogger(AmtsboteServer.class.getName()).warning(
                            "deactivated user " + userId + " could not leave " + m.getKey() + ": " + e.getMessage());
                }
            }
        }, actions::profileChanged);
        moderation.onPersonalDataDeleted(userId -> {
            pushRules.forget(userId);
            ignoredUsers.invalidate(userId);
            presence.set(userId, "offline", null);
        });
        new de.amtsbote.admin.SynapseUserHandlers(moderation, audit, rooms::membershipsOf).register(router);
        new de.amtsbote.admin.SynapseDeviceHandlers(moderation, audit).register(router);
        new de.amtsbote.admin.AccountLockHandlers(moderation, audit).register(router);
        new de.amtsbote.admin.SharedSecretHandlers(new de.amtsbote.users.SharedSecretRegistration(
                config.registrationSharedSecret(), accounts, System::currentTimeMillis), accounts, audit).register(router);
        // LDAP / Active Directory: sign-in with the directory password and the directory sync (docs/ldap.md).
        this.moderation = moderation;
        this.ldap = de.amtsbote.ldap.Ldap.create(config.ldap(), new de.amtsbote.storage.jdbc.JdbcLdapStore(db), accounts,
                moderation, actions, audit, System::currentTimeMillis);
        new de.amtsbote.admin.LdapAdminHandlers(ldap, audit).register(router);
        adminStatus.ldapStatus(() -> ldap.enabled() ? ldap.status() : null);
        // Application services: transactions pushed from the durable queue (woken by each commit), ping.
        appservices.start(router, rooms, clientEvents, directory,
                new de.amtsbote.storage.jdbc.JdbcAppserviceStore(db), 300_000);
        db.writer().addCommitListener(appservices::committed);
        typing.onChanged(appservices::typing);
        receipts.onSent(appservices::receipt);
        this.http = new HttpServer(config.listenAddress(), config.listenPort(), router, appservices.authenticator(),
                config.limits().maxRequestBodyBytes(), config.limits().maxSyncTimeoutMs() + 60_000L,
                new de.amtsbote.http.StaticFiles("/webclient"));
    }

    private static MediaFiles mediaFiles(Config config) {
        try {
            return new MediaFiles(config.media().path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the media directories under " + config.media().path(), e);
        }
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

    /** The Web Push (VAPID) key lives next to the signing key: {@code <signing_key_path>.vapid}. */
    private static de.amtsbote.push.VapidKey loadOrCreateVapidKey(Config config) {
        java.nio.file.Path file = config.signingKeyPath().resolveSibling(config.signingKeyPath().getFileName() + ".vapid");
        try {
            return de.amtsbote.push.VapidKey.loadOrCreate(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the VAPID key " + file, e);
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

    public de.amtsbote.admin.AuditLog auditLog() { return auditLog; }

    public de.amtsbote.admin.StatusHandlers adminStatus() { return adminStatus; }

    public RoomService rooms() { return rooms; }

    public PushNotificationPolicy notificationPolicy() { return notificationPolicy; }

    public de.amtsbote.push.PushGatewayClient pushGateway() { return pushGateway; }

    public de.amtsbote.ldap.Ldap ldap() { return ldap; }
    public de.amtsbote.appservice.AppserviceComponent appservices() { return appservices; }

    public de.amtsbote.users.UserModeration moderation() { return moderation; }

    @Override
    public void close() throws Exception {
        http.close();
        typingExpiry.shutdownNow();
        pushGateway.close();
        outgoingRules.close();
        ldap.close();
        appservices.close();
        db.close();
    }
}
