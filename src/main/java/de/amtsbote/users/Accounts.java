package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Accounts, sign-in, sessions and devices. Accounts are only ever created by an admin (no self-registration).
 */
public final class Accounts implements Authenticator {
    private final AccountStore store;
    private final String serverName;
    private final RateLimiter loginLimiter;
    /** token hash -> session; avoids a database read per request. Cleared on logout and device deletion. */
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Precomputed hash to verify against when the account does not exist, so timing does not reveal it. */
    private final String dummyHash = PasswordHasher.hash(Tokens.random(20));

    public Accounts(AccountStore store, String serverName, int loginAttemptsPerMinute) {
        this.store = store;
        this.serverName = serverName;
        this.loginLimiter = new RateLimiter(loginAttemptsPerMinute);
    }

    public String serverName() { return serverName; }

    public String userId(String localpart) { return "@" + localpart + ":" + serverName; }

    public boolean isLocal(String userId) { return userId.endsWith(":" + serverName); }

    /** Creates an account; M_INVALID_USERNAME / M_USER_IN_USE / M_WEAK_PASSWORD on bad input. */
    public String createUser(String localpart, String password, boolean admin, String displayname) {
        if (localpart == null || !localpart.matches("[a-z0-9._=\\-/+]+")) {
            throw new MatrixException(400, "M_INVALID_USERNAME",
                    "User names may only contain a-z, 0-9 and . _ = - / +");
        }
        String userId = userId(localpart);
        if (userId.length() > 255) throw new MatrixException(400, "M_INVALID_USERNAME", "User name is too long");
        if (password == null || password.length() < 8) {
            throw new MatrixException(400, "M_WEAK_PASSWORD", "Password must have at least 8 characters");
        }
        String name = displayname == null || displayname.isBlank() ? localpart : displayname;
        if (!store.createUser(userId, PasswordHasher.hash(password), admin, name)) {
            throw new MatrixException(400, "M_USER_IN_USE", "User " + userId + " already exists");
        }
        return userId;
    }

    public Optional<AccountStore.User> user(String userId) { return store.user(userId); }

    public AccountStore store() { return store; }

    /** POST /login with m.login.password. */
    public ObjectNode login(ObjectNode body, String remoteAddress) {
        String type = text(body, "type");
        if (!"m.login.password".equals(type)) {
            throw new MatrixException(400, "M_UNKNOWN", "Unsupported login type; use m.login.password");
        }
        String userId = loginUserId(body);
        String password = text(body, "password");
        if (password == null) throw MatrixException.badJson("'password' is required");
        long now = System.currentTimeMillis();
        long wait = Math.max(loginLimiter.tryAcquire("addr:" + remoteAddress, now),
                loginLimiter.tryAcquire("user:" + userId, now));
        if (wait > 0) throw MatrixException.limitExceeded(wait);
        Optional<AccountStore.User> user = store.user(userId);
        boolean ok = PasswordHasher.verify(password, user.map(AccountStore.User::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !ok) throw MatrixException.forbidden("Invalid user name or password");
        if (user.get().deactivated()) throw new MatrixException(403, "M_USER_DEACTIVATED", "This account is deactivated");
        String deviceId = text(body, "device_id");
        if (deviceId == null || deviceId.isEmpty()) deviceId = Tokens.newDeviceId();
        if (deviceId.length() > 100) throw MatrixException.invalidParam("device_id is too long");
        String token = Tokens.newAccessToken();
        store.addDeviceToken(userId, deviceId, text(body, "initial_device_display_name"), Tokens.hash(token),
                remoteAddress);
        ObjectNode out = Json.object();
        out.put("user_id", userId);
        out.put("access_token", token);
        out.put("device_id", deviceId);
        out.put("home_server", serverName);
        return out;
    }

    private String loginUserId(ObjectNode body) {
        String user = null;
        JsonNode id = body.get("identifier");
        if (id != null) {
            if (!id.isObject()) throw MatrixException.badJson("'identifier' must be an object");
            if (!"m.id.user".equals(text((ObjectNode) id, "type"))) {
                throw new MatrixException(400, "M_UNKNOWN", "Only m.id.user identifiers are supported");
            }
            user = text((ObjectNode) id, "user");
        } else {
            user = text(body, "user");
        }
        if (user == null || user.isEmpty()) throw MatrixException.badJson("A user identifier is required");
        return user.startsWith("@") ? user.toLowerCase() : userId(user.toLowerCase());
    }

    static String text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw MatrixException.badJson("'" + field + "' must be a string");
        return n.asText();
    }

    /** Checks a user's password (user-interactive auth for sensitive actions). */
    public boolean checkPassword(String userId, String password) {
        long wait = loginLimiter.tryAcquire("user:" + userId, System.currentTimeMillis());
        if (wait > 0) throw MatrixException.limitExceeded(wait);
        return store.user(userId).map(u -> PasswordHasher.verify(password, u.passwordHash())).orElse(false);
    }

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

    public void logout(Session s) {
        forget(s.userId(), store.deleteDevice(s.userId(), s.deviceId()));
        devicesDeleted(s.userId(), List.of(s.deviceId()));
    }

    public void logoutAll(String userId) {
        List<String> devices = store.devices(userId).stream().map(AccountStore.Device::deviceId).toList();
        forget(userId, store.deleteAllDevices(userId));
        devicesDeleted(userId, devices);
    }

    public boolean deleteDevice(String userId, String deviceId) {
        if (store.device(userId, deviceId).isEmpty()) return false;
        forget(userId, store.deleteDevice(userId, deviceId));
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

    /** Whether the session's token is still valid (it may have been revoked while a request waited). */
    public boolean isValid(Session s) {
        return sessions.containsKey(s.tokenHash()) || store.tokenOwner(s.tokenHash()).isPresent();
    }

    /** Sets a new password; optionally signs out every other device of the user. */
    public void changePassword(String userId, String newPassword, boolean logoutOtherDevices, Session current) {
        if (newPassword == null || newPassword.length() < 8) {
            throw new MatrixException(400, "M_WEAK_PASSWORD", "Password must have at least 8 characters");
        }
        store.setPasswordHash(userId, PasswordHasher.hash(newPassword));
        if (logoutOtherDevices) {
            for (AccountStore.Device d : store.devices(userId)) {
                if (d.deviceId().equals(current.deviceId())) continue;
                forget(userId, store.deleteDevice(userId, d.deviceId()));
                devicesDeleted(userId, List.of(d.deviceId()));
            }
        }
    }
}
