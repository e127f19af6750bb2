package de.amtsbote.appservice;

import de.amtsbote.http.Authenticator;
import de.amtsbote.http.Route;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.Profiles;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.storage.AppserviceStore;
import de.amtsbote.storage.DirectoryStore;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Application services, wired in two steps: {@link #load} right after the accounts (namespace guard, token
 * check, the services' sender users, and the wrappers other components are built with), then {@link #start}
 * once rooms exist (transaction queue, ping route).
 */
public final class AppserviceComponent implements AutoCloseable {
    private final Appservices appservices;
    private final Accounts accounts;
    private final AppserviceClient client = new AppserviceClient();
    private final AppserviceQueries queries;
    private final AppserviceHandlers handlers;
    private volatile TransactionQueue queue;

    private AppserviceComponent(Appservices appservices, Accounts accounts) {
        this.appservices = appservices;
        this.accounts = accounts;
        this.queries = new AppserviceQueries(appservices, client);
        this.handlers = new AppserviceHandlers(appservices, accounts, client, id -> {
            TransactionQueue q = queue;
            if (q != null) q.retryNow(id);
        });
    }

    /** Registrations read by {@link RegistrationLoader#load} (before anything else starts). */
    public static AppserviceComponent load(List<Registration> registrations, Accounts accounts) {
        Appservices as = new Appservices(registrations, accounts.serverName());
        AppserviceComponent c = new AppserviceComponent(as, accounts);
        if (as.isEmpty()) return c;
        accounts.setUserIdGuard(as::guardUserId);
        accounts.setExternalTokens(hash -> as.byTokenHash(hash) != null);
        for (Registration r : as.all()) {
            String sender = r.senderUserId(accounts.serverName());
            if (accounts.user(sender).isEmpty()) accounts.createUnguarded(r.senderLocalpart(), Tokens.random(40), false, null);
        }
        return c;
    }

    public Appservices appservices() { return appservices; }

    /** Resolves user tokens and as_tokens (with user_id/device_id assertion) for the HTTP server. */
    public Authenticator authenticator() { return new AppserviceAuthenticator(appservices, accounts); }

    /** POST /register with m.login.application_service; for AccountHandlers. */
    public Route registration() {
        return req -> AppserviceHandlers.isAppserviceRegistration(req) ? handlers.registerUser(req) : null;
    }

    /** POST /login with m.login.application_service; for AccountHandlers. */
    public Route login() {
        return req -> AppserviceHandlers.isAppserviceRegistration(req) ? handlers.login(req) : null;
    }

    /** User query: true if a service with the user in its namespace answered 2xx (it created the user). */
    public boolean queryUser(String userId) { return !appservices.isEmpty() && queries.user(userId); }

    /** Profiles that ask the services (user query) before calling a user in their namespace unknown. */
    public Profiles profiles(Profiles base) {
        if (appservices.isEmpty()) return base;
        return userId -> {
            Profiles.Profile p = base.of(userId);
            if (p != null || !queries.user(userId)) return p;
            return base.of(userId);
        };
    }

    /** The alias directory with exclusive alias namespaces and alias queries. */
    public DirectoryStore directory(DirectoryStore base) {
        return appservices.isEmpty() ? base : new AppserviceDirectory(base, appservices, queries);
    }

    /** Starts pushing transactions; the writer's commit listener wakes the workers. */
    public void start(Router router, RoomService rooms, ClientEvents clientEvents, DirectoryStore directory,
                      AppserviceStore store, long maxBackoffMs) {
        handlers.register(router);
        if (appservices.isEmpty()) return;
        queue = new TransactionQueue(appservices.all(), accounts.serverName(), store, client, clientEvents,
                rooms::streamPos, roomId -> {
                    Room room = rooms.room(roomId);
                    return room == null ? Set.of() : room.joinedMembers();
                }, roomId -> aliasesOf(rooms, directory, roomId), maxBackoffMs);
        queue.start();
    }

    /** Typing changed in a room: m.typing with room_id for services that receive ephemeral data. */
    public void typing(String roomId, List<String> userIds) {
        TransactionQueue q = queue;
        if (q == null) return;
        var edu = de.amtsbote.util.Json.object().put("type", "m.typing").put("room_id", roomId);
        var users = edu.putObject("content").putArray("user_ids");
        userIds.forEach(users::add);
        q.ephemeral(roomId, edu, null);
    }

    /** A receipt was stored: m.receipt with room_id (private ones only to the service of their user). */
    public void receipt(de.amtsbote.storage.ReceiptStore.Receipt r) {
        TransactionQueue q = queue;
        if (q == null || r.type().equals("m.fully_read")) return;
        var edu = de.amtsbote.util.Json.object().put("type", "m.receipt").put("room_id", r.roomId());
        var info = edu.putObject("content").putObject(r.eventId()).putObject(r.type()).putObject(r.userId());
        info.put("ts", r.ts());
        if (!r.threadId().isEmpty()) info.put("thread_id", r.threadId());
        q.ephemeral(r.roomId(), edu, r.type().equals("m.read.private") ? r.userId() : null);
    }

    /** Lets to-device messages for the services' users reach the services (push_to_device). */
    public de.amtsbote.users.ToDeviceMessages watch(de.amtsbote.users.ToDeviceMessages messages) {
        messages.onStored(this::toDevice);
        return messages;
    }

    /** Stored to-device messages: those for users of services with push_to_device go to the service too. */
    public void toDevice(List<de.amtsbote.storage.ToDeviceStore.Target> targets) {
        TransactionQueue q = queue;
        if (q == null) return;
        for (var t : targets) {
            var m = de.amtsbote.util.Json.object().put("type", t.type()).put("sender", t.sender())
                    .put("to_user_id", t.userId()).put("to_device_id", t.deviceId());
            m.set("content", t.content());
            q.toDevice(t.userId(), m);
        }
    }

    /** Wakes the transaction workers; cheap, for the writer's commit listener. */
    public void committed() {
        TransactionQueue q = queue;
        if (q != null) q.wake();
    }

    private static List<String> aliasesOf(RoomService rooms, DirectoryStore directory, String roomId) {
        List<String> out = new ArrayList<>(directory.aliasesOf(roomId));
        Room room = rooms.room(roomId);
        var canonical = room == null ? null : room.stateEvent("m.room.canonical_alias", "");
        if (canonical != null) {
            var content = canonical.path("content");
            if (content.path("alias").isTextual()) out.add(content.path("alias").asText());
            for (var a : content.path("alt_aliases")) if (a.isTextual()) out.add(a.asText());
        }
        return out;
    }

    @Override
    public void close() {
        if (queue != null) queue.close();
    }
}
