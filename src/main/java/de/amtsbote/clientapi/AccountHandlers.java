package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.NONE;
import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.UserInteractiveAuth;
import de.amtsbote.util.Json;

/** Login, logout, whoami, registration (only with a registration token) and devices. */
public final class AccountHandlers implements Handlers {
    private final Accounts accounts;
    private final UserInteractiveAuth uia;
    /** Sign-up with registration tokens; without it (null) every registration is refused. */
    private final de.amtsbote.users.TokenRegistration registration;
    /** POST /register and /login of application services (m.login.application_service); null for other requests. */
    private de.amtsbote.http.Route appserviceRegistration = req -> null;
    private de.amtsbote.http.Route appserviceLogin = req -> null;

    public AccountHandlers(Accounts accounts, UserInteractiveAuth uia) {
        this(accounts, uia, null);
    }

    public AccountHandlers(Accounts accounts, UserInteractiveAuth uia, de.amtsbote.users.TokenRegistration registration) {
        this.accounts = accounts;
        this.uia = uia;
        this.registration = registration;
    }

    public AccountHandlers withAppservices(de.amtsbote.http.Route registration, de.amtsbote.http.Route login) {
        this.appserviceRegistration = registration;
        this.appserviceLogin = login;
        return this;
    }

    @Override
    public void register(Router r) {
        r.client("GET", "/login", NONE, req -> {
            ObjectNode flow = Json.object().put("type", "m.login.password");
            ObjectNode out = Json.object();
            out.putArray("flows").add(flow).addObject().put("type", "m.login.application_service");
            return out;
        });
        r.client("POST", "/login", NONE, req -> {
            Object asLogin = appserviceLogin.handle(req);
            return asLogin != null ? asLogin : accounts.login(login(req.json()), req.remoteAddress());
        });
        r.client("POST", "/logout", USER, req -> {
            accounts.logout(req.session());
            return Json.object();
        });
        r.client("POST", "/logout/all", USER, req -> {
            accounts.logoutAll(req.userId());
            return Json.object();
        });
        r.client("GET", "/account/whoami", USER, req -> {
            ObjectNode out = Json.object();
            out.put("user_id", req.userId());
            out.put("device_id", req.session().deviceId());
            out.put("is_guest", false);
            return out;
        });
        r.client("POST", "/register", NONE, req -> {
            Object registered = appserviceRegistration.handle(req);
            if (registered != null) return registered;
            // Only token-authenticated sign-up (m.login.registration_token); open registration stays off.
            if (registration != null) return registration.register(tokenRegistration(req), req.remoteAddress());
            throw MatrixException.forbidden("Accounts are created by your administrator; self-registration is disabled");
        });
        r.client("GET", "/register/available", NONE, req -> {
            if (registration != null) return registration.checkAvailable(req.query("username"), req.remoteAddress());
            throw MatrixException.forbidden("Accounts are created by your administrator; self-registration is disabled");
        });
        r.client("POST", "/account/password", USER, req -> {
            ObjectNode body = req.json();
            uia.require(req, body, uiaAuth(body));
            String pw = JsonFields.string(body, "new_password");
            accounts.changePassword(req.userId(), pw, !Boolean.FALSE.equals(JsonFields.optBoolean(body, "logout_devices")),
                    req.session());
            return Json.object();
        });
        r.client("POST", "/account/deactivate", USER, req -> {
            throw MatrixException.forbidden("Only your administrator can deactivate accounts");
        });
        r.client("GET", "/account/3pid", USER, req -> {
            ObjectNode out = Json.object();
            out.putArray("threepids");
            return out;
        });

        r.client("GET", "/devices", USER, req -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("devices");
            for (AccountStore.Device d : accounts.devices(req.userId())) list.add(device(d));
            return out;
        });
        r.client("GET", "/devices/{deviceId}", USER, req -> accounts.device(req.userId(), req.path("deviceId"))
                .map(AccountHandlers::device)
                .orElseThrow(() -> MatrixException.notFound("No such device")));
        r.client("PUT", "/devices/{deviceId}", USER, req -> {
            ObjectNode body = req.json();
            String name = JsonFields.optString(body, "display_name");
            if (name != null && name.length() > 200) throw MatrixException.invalidParam("display_name is too long");
            if (accounts.store().device(req.userId(), req.path("deviceId")).isEmpty()) {
                throw MatrixException.notFound("No such device");
            }
            if (name != null) accounts.store().renameDevice(req.userId(), req.path("deviceId"), name);
            return Json.object();
        });
        r.client("DELETE", "/devices/{deviceId}", USER, req -> {
            ObjectNode body = req.jsonOrEmpty();
            if (accounts.store().device(req.userId(), req.path("deviceId")).isEmpty()) {
                throw MatrixException.notFound("No such device");
            }
            uia.require(req, body, uiaAuth(body));
            accounts.deleteDevice(req.userId(), req.path("deviceId"));
            return Json.object();
        });
        r.client("POST", "/delete_devices", USER, req -> {
            ObjectNode body = req.json();
            ArrayNode ids = JsonFields.optArray(body, "devices");
            if (ids == null) throw MatrixException.badJson("'devices' is required");
            for (var id : ids) if (!id.isTextual()) throw MatrixException.badJson("'devices' must contain strings");
            uia.require(req, body, uiaAuth(body));
            for (var id : ids) accounts.deleteDevice(req.userId(), id.asText());
            return Json.object();
        });
    }

    /** POST /register read for {@link de.amtsbote.users.TokenRegistration}: fields, auth dict, request fingerprint. */
    private static de.amtsbote.users.TokenRegistration.Request tokenRegistration(de.amtsbote.http.Req req) {
        ObjectNode body = req.json();
        ObjectNode auth = JsonFields.optObject(body, "auth");
        ObjectNode rest = body.deepCopy();
        rest.remove("auth");
        String fingerprint;
        try {
            fingerprint = de.amtsbote.users.Tokens.hash(req.query("kind") + "\n" + de.amtsbote.rooms.CanonicalJson.encode(rest));
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("The request body holds values JSON cannot compare (e.g. floats)");
        }
        return new de.amtsbote.users.TokenRegistration.Request(req.query("kind"), JsonFields.optString(body, "username"),
                JsonFields.optString(body, "password"), JsonFields.optString(body, "device_id"),
                JsonFields.optString(body, "initial_device_display_name"),
                Boolean.TRUE.equals(JsonFields.optBoolean(body, "inhibit_login")), fingerprint,
                auth == null ? null : JsonFields.optString(auth, "type"), auth == null ? null : JsonFields.optString(auth, "session"),
                auth == null ? null : JsonFields.optString(auth, "token"));
    }

    private static Accounts.LoginRequest login(ObjectNode body) {
        if (!"m.login.password".equals(JsonFields.optString(body, "type"))) {
            throw new MatrixException(400, "M_UNKNOWN", "Unsupported login type; use m.login.password");
        }
        return new Accounts.LoginRequest(user(body), JsonFields.optString(body, "password"),
                JsonFields.optString(body, "device_id"), JsonFields.optString(body, "initial_device_display_name"));
    }

    /** The user of an m.id.user identifier, or the deprecated top-level 'user'. */
    private static String user(ObjectNode o) {
        ObjectNode id = JsonFields.optObject(o, "identifier");
        if (id == null) return JsonFields.optString(o, "user");
        if (!"m.id.user".equals(JsonFields.optString(id, "type"))) {
            throw new MatrixException(400, "M_UNKNOWN", "Only m.id.user identifiers are supported");
        }
        return JsonFields.optString(id, "user");
    }

    /** The 'auth' dict of a user-interactive request, typed (a number where a string belongs is M_BAD_JSON). */
    static UserInteractiveAuth.Auth uiaAuth(ObjectNode body) {
        ObjectNode auth = JsonFields.optObject(body, "auth");
        if (auth == null) return null;
        return new UserInteractiveAuth.Auth(JsonFields.optString(auth, "type"), JsonFields.optString(auth, "session"),
                user(auth), JsonFields.optString(auth, "password"));
    }

    static ObjectNode device(AccountStore.Device d) {
        ObjectNode o = Json.object();
        o.put("device_id", d.deviceId());
        if (d.displayName() != null) o.put("display_name", d.displayName());
        if (d.lastSeenTs() != null) o.put("last_seen_ts", d.lastSeenTs());
        if (d.lastSeenIp() != null) o.put("last_seen_ip", d.lastSeenIp());
        return o;
    }
}
