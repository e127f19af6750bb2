package de.amtsbote.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.Authenticator;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Session;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.util.Json;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts, sign-in, sessions and devices. Accounts come from admins, registration tokens,
 * application services or the directory; there is no open self-registration.
 */
public final class Accounts implements Authenticator {
    private final AccountStore store;
    private final String serverName;
    private final RateLimiter loginLimiter;
    /** token hash -> session; avoids a database read per request. Cleared on logout and device deletion. */
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Precomputed hash to verify against when the account does not exist, so timing does not reveal it. */
    private final String dummyHash = PasswordHasher.hash(Tokens.random(20));

    private final DeviceActivity activity;

    public Accounts(AccountStore store, String serverName, int loginAttemptsPerMinute) {
        this.store = store;
        this.activity = new DeviceActivity(store, System::currentTimeMillis);
        this.serverName = serverName;
        this.loginLimiter = new RateLimiter(loginAttemptsPerMinute);
    }

    public String serverName() { return serverName; }

    public String userId(String localpart) { return "@" + localpart + ":" + serverName; }

    public boolean isLocal(String userId) { return userId.endsWith(":" + serverName); }

    /**
     * Application services: user ids reserved by an exclusive namespace (the guard throws 400 M_EXCLUSIVE),
     * and their as_token hashes, valid although no device holds them.
     */
    private volatile java.util.function.Consumer<String> userIdGuard = id -> { };
    private volatile java.util.function.Predicate<String> externalTokens = hash -> false;

    public void setUserIdGuard(java.util.function.Consumer<String> guard) { this.userIdGuard = guard; }

    /** User ids the server itself uses (the server notices user): nobody may create them through createUser. */
    private final java.util.Set<String> reservedUserIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public void reserveUserId(String userId) { reservedUserIds.add(userId); }

    private void refuseReserved(String userId) {
        if (reservedUserIds.contains(userId)) {
            throw new MatrixException(400, "M_USER_IN_USE", "The user name " + userId + " is reserved for the server");
        }
    }

    public void setExternalTokens(java.util.function.Predicate<String> validTokenHash) { this.externalTokens = validTokenHash; }

    /** Creates an account; M_INVALID_USERNAME / M_USER_IN_USE / M_WEAK_PASSWORD / M_EXCLUSIVE on bad input. */
    public String createUser(String localpart, String password, boolean admin, String displayname) {
        if (localpart != null) {
            refuseReserved(userId(localpart));
            userIdGuard.accept(userId(localpart));
        }
        return createUnguarded(localpart, password, admin, displayname);
    }

    /** Creates an account without the namespace guard: for an application service inside its own namespace. */
    public String createUnguarded(String localpart, String password, boolean admin, String displayname) {
        String userId = validUserId(localpart);
        if (password == null || password.length() < 8) {
            throw new MatrixException(400, "M_WEAK_PASSWORD", "Password must have at least 8 characters");
        }
        String name = displayname == null || displayname.isBlank() ? localpart : displayname;
        if (!store.createUser(userId, PasswordHasher.hash(password), admin, name)) {
            throw new MatrixException(400, "M_USER_IN_USE", "User " + userId + " already exists");
        }
        return userId;
    }

    /**
     * GET /register/available: throws what {@link #createUser} would answer for the name (M_INVALID_USERNAME,
     * M_EXCLUSIVE, M_USER_IN_USE; deactivated accounts keep their name), without creating anything.
     */
    public void checkAvailable(String localpart) {
        String userId = validUserId(localpart);
        refuseReserved(userId);
        userIdGuard.accept(userId);
        if (store.user(userId).isPresent()) throw new MatrixException(400, "M_USER_IN_USE", "User " + userId + " already exists");
    }

    private String validUserId(String localpart) {
        if (localpart == null || !localpart.matches("[a-z0-9._=\\-/+]+")) {
            throw new MatrixException(400, "M_INVALID_USERNAME",
                    "User names may only contain a-z, 0-9 and . _ = - / +");
        }
        String userId = userId(localpart);
        if (userId.length() > 255) throw new MatrixException(400, "M_INVALID_USERNAME", "User name is too long");
        return userId;
    }

    public Optional<AccountStore.User> user(String userId) { return store.user(userId); }

    public AccountStore store() { return store; }

    /**
     * A POST /login with m.login.password, as the handler read it from the body. user is a localpart or a
     * full user id; deviceId and displayName may be null.
     */
    public record LoginRequest(String user, String password, String deviceId, String displayName) {}

    /** POST /login with m.login.password. */
    public ObjectNode login(LoginRequest login, String remoteAddress) {
        String user = login.user();
        if (user == null || user.isEmpty()) throw MatrixException.badJson("A user identifier is required");
        String userId = user.startsWith("@") ? user.toLowerCase() : userId(user.toLowerCase());
        String password = login.password();
        if (password == null) throw MatrixException.badJson("'password' is required");
        long now = System.currentTimeMillis();
        long wait = Math.max(loginLimiter.tryAcquire("addr:" + remoteAddress, now),
                loginLimiter.tryAcquire("user:" + userId, now));
        if (wait > 0) throw MatrixException.limitExceeded(wait);
        ExternalAuth.Result external = externalAuth.check(userId, password);
        Optional<AccountStore.User> found = store.user(userId);
        boolean ok = switch (external) {
            case ACCEPTED -> true;
            case REJECTED -> false;
            case NOT_MINE -> PasswordHasher.verify(password, found.map(AccountStore.User::passwordHash).orElse(dummyHash));
        };
        if (found.isEmpty() || !ok) throw MatrixException.forbidden("Invalid user name or password");
        if (found.get().deactivated()) throw new MatrixException(403, "M_USER_DEACTIVATED", "This account is deactivated");
        if (locked.test(userId)) throw MatrixException.userLocked();
        String deviceId = login.deviceId();
        if (deviceId == null || deviceId.isEmpty()) deviceId = Tokens.newDeviceId();
        if (deviceId.length() > 100) throw MatrixException.invalidParam("device_id is too long");
        String token = Tokens.newAccessToken();
        store.addDeviceToken(userId, deviceId, login.displayName(), Tokens.hash(token), remoteAddress);
        ObjectNode out = Json.object();
        out.put("user_id", userId);
        out.put("access_token", token);
        out.put("device_id", deviceId);
        out.put("home_server", serverName);
        return out;
    }

    /** Checks a user's password (user-interactive auth for sensitive actions). */
    public boolean checkPassword(String userId, String password) {
        long wait = loginLimiter.tryAcquire("user:" + userId, System.currentTimeMillis());
        if (wait > 0) throw MatrixException.limitExceeded(wait);
        ExternalAuth.Result external = externalAuth.check(userId, password);
        if (external != ExternalAuth.Result.NOT_MINE) return external == ExternalAuth.Result.ACCEPTED;
        return store.user(userId).map(u -> PasswordHasher.verify(password, u.passwordHash())).orElse(false);
    }

    /** Directory accounts (LDAP) sign in with the directory's password; see {@link ExternalAuth}. */
    private volatile ExternalAuth externalAuth = ExternalAuth.NONE;

    public void setExternalAuth(ExternalAuth externalAuth) { this.externalAuth = externalAuth; }

    @Override
    public Session authenticate(String accessToken) {
        String hash = Tokens.hash(accessToken);
        Session cached = sessions.get(hash);
        if (cached != null) return cached;
        Optional<AccountStore.TokenOwner> owner = store.tokenOwner(hash);
        if (owner.isEmpty()) return null;
        boolean admin = store.user(owner.get().userId()).map(AccountStore.User::admin).orElse(false);
        Session s = new Session(owner.get().userId(), owner.get().deviceId(), hash, admin);
        if (sessions.size() > 200_000) sessions.clear();
        sessions.put(hash, s);
        return s;
    }

    @Override
    public boolean isAdminNow(String userId) {
        return store.user(userId).map(u -> u.admin() && !u.deactivated()).orElse(false);
    }

    @Override
    public void seen(Session session, String remoteAddress) {
        activity.record(session.userId(), session.deviceId(), remoteAddress);
    }

    @Override
    public void seen(Session session, String remoteAddress, String userAgent) {
        activity.record(session.userId(), session.deviceId(), remoteAddress, userAgent);
    }

    // Account moderation (users.UserModeration): which accounts are locked, which tokens belonged to wiped devices.
    private volatile java.util.function.Predicate<String> locked = userId -> false;
    private volatile java.util.function.Predicate<String> wipedToken = tokenHash -> false;

    /** Installs the admin's locks (user id) and remote wipes (token hash); both must answer from memory. */
    public void setModeration(java.util.function.Predicate<String> lockedUsers,
                              java.util.function.Predicate<String> wipedTokenHashes) {
        this.locked = lockedUsers;
        this.wipedToken = wipedTokenHashes;
    }

    @Override
    public boolean isLocked(String userId) { return locked.test(userId); }

    @Override
    public boolean wasWiped(String accessToken) { return wipedToken.test(Tokens.hash(accessToken)); }

    /** Wakes the user's waiting long-polls (e.g. after a lock) so they answer at once. */
    public void wakeSessions(String userId) { revoked.forEach(listener -> listener.accept(userId)); }

    /** The user's devices with their latest activity. */
    public List<AccountStore.Device> devices(String userId) {
        return store.devices(userId).stream().map(activity::latest).toList();
    }

    public Optional<AccountStore.Device> device(String userId, String deviceId) {
        return store.device(userId, deviceId).map(activity::latest);
    }

    public void logout(Session s) {
        forget(s.userId(), store.deleteDevice(s.userId(), s.deviceId()));
        activity.forget(s.userId(), s.deviceId());
        devicesDeleted(s.userId(), List.of(s.deviceId()));
    }

    public void logoutAll(String userId) {
        List<String> devices = store.devices(userId).stream().map(AccountStore.Device::deviceId).toList();
        forget(userId, store.deleteAllDevices(userId));
        activity.forgetUser(userId);
        devicesDeleted(userId, devices);
    }

    public boolean deleteDevice(String userId, String deviceId) {
        if (store.device(userId, deviceId).isEmpty()) return false;
        forget(userId, store.deleteDevice(userId, deviceId));
        activity.forget(userId, deviceId);
        devicesDeleted(userId, List.of(deviceId));
        return true;
    }

    private final List<java.util.function.BiConsumer<String, List<String>>> deletedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told the user and the ids of devices that were deleted (their encryption keys go with them). */
    public void onDevicesDeleted(java.util.function.BiConsumer<String, List<String>> listener) {
        deletedListeners.add(listener);
    }

    private void devicesDeleted(String userId, List<String> deviceIds) {
        deletedListeners.forEach(l -> l.accept(userId, deviceIds));
    }

    private void forget(String userId, List<String> tokenHashes) {
        tokenHashes.forEach(sessions::remove);
        if (!tokenHashes.isEmpty()) revoked.forEach(listener -> listener.accept(userId));
    }

    private final List<java.util.function.Consumer<String>> revoked = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told the user whose sessions were signed out (so their waiting long-polls can end at once). */
    public void onSessionsRevoked(java.util.function.Consumer<String> listener) { revoked.add(listener); }

    /**
     * Whether the session's token is still valid (it may have been revoked while a request waited).
     * Throws M_USER_LOCKED if the account was locked meanwhile.
     */
    public boolean isValid(Session s) {
        // A long-poll of a locked account ends with the lock's own error, not as a signed-out session.
        if (locked.test(s.userId())) throw MatrixException.userLocked();
        return sessions.containsKey(s.tokenHash()) || externalTokens.test(s.tokenHash()) || store.tokenOwner(s.tokenHash()).isPresent();
    }

    /** Sets a new password; optionally signs out every other device of the user. */
    public void changePassword(String userId, String newPassword, boolean logoutOtherDevices, Session current) {
        if (externalAuth.managesPassword(userId)) {
            throw MatrixException.forbidden("Your password is managed by the directory (Active Directory / LDAP): change it there");
        }
        if (newPassword == null || newPassword.length() < 8) {
            throw new MatrixException(400, "M_WEAK_PASSWORD", "Password must have at least 8 characters");
        }
        store.setPasswordHash(userId, PasswordHasher.hash(newPassword));
        if (logoutOtherDevices) {
            for (AccountStore.Device d : store.devices(userId)) {
                if (d.deviceId().equals(current.deviceId())) continue;
                forget(userId, store.deleteDevice(userId, d.deviceId()));
                activity.forget(userId, d.deviceId());
                devicesDeleted(userId, List.of(d.deviceId()));
            }
        }
    }
}
