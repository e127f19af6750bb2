package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;
import static de.amtsbote.http.Router.Auth.NONE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Resp;
import de.amtsbote.http.Router;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.UserAdminStore;
import de.amtsbote.users.Tokens;
import de.amtsbote.users.UserModeration;
import de.amtsbote.util.Json;
import java.util.Map;
import java.util.function.Function;

/**
 * The user part of Synapse's admin API (docs/admin_api/user_admin_api.md in Synapse), so synadm and other
 * Synapse tools work: list, query, create/modify, whois, deactivate, reset password, admin flag, joined
 * rooms, and the server version. Field names, defaults and status codes as Synapse documents them.
 */
public final class SynapseUserHandlers implements Handlers {
    static final String V1 = "/_synapse/admin/v1";
    static final String V2 = "/_synapse/admin/v2";

    private final UserModeration users;
    private final AdminAudit audit;
    private final Function<String, Map<String, String>> membershipsOf;

    /** membershipsOf: room id -> membership of a user, for joined_rooms. */
    public SynapseUserHandlers(UserModeration users, AdminAudit audit, Function<String, Map<String, String>> membershipsOf) {
        this.users = users;
        this.audit = audit;
        this.membershipsOf = membershipsOf;
    }

    @Override
    public void register(Router r) {
        // Synapse answers this one without a token too.
        r.add("GET", V1 + "/server_version", NONE, req -> Json.object().put("server_version", serverVersion()));
        r.add("GET", V2 + "/users", ADMIN, this::list);
        r.add("GET", V2 + "/users/{userId}", ADMIN, req -> details(existing(req)));
        r.add("PUT", V2 + "/users/{userId}", ADMIN, this::createOrModify);
        r.add("GET", V1 + "/whois/{userId}", ADMIN, this::whois);
        r.client("GET", "/admin/whois/{userId}", ADMIN, this::whois); // the spec's variant of the same
        r.add("POST", V1 + "/deactivate/{userId}", ADMIN, this::deactivate);
        r.add("POST", V1 + "/reset_password/{userId}", ADMIN, this::resetPassword);
        r.add("GET", V1 + "/users/{userId}/admin", ADMIN, req -> Json.object().put("admin", existing(req).user().admin()));
        r.add("PUT", V1 + "/users/{userId}/admin", ADMIN, this::setAdmin);
        r.add("GET", V1 + "/users/{userId}/joined_rooms", ADMIN, req -> {
            String userId = localUser(req);
            ObjectNode out = Json.object();
            ArrayNode rooms = out.putArray("joined_rooms");
            membershipsOf.apply(userId).entrySet().stream().filter(e -> "join".equals(e.getValue()))
                    .map(Map.Entry::getKey).sorted().forEach(rooms::add);
            out.put("total", rooms.size());
            return out;
        });
    }

    static String serverVersion() {
        String v = SynapseUserHandlers.class.getPackage().getImplementationVersion();
        return "Amtsbote " + (v == null ? "development build" : v);
    }

    private String localUser(Req req) { return TargetUser.local(req, users); }

    private UserAdminStore.AdminUser existing(Req req) { return TargetUser.existing(req, users); }

    private Object list(Req req) {
        int from = nonNegative(req, "from", 0);
        int limit = nonNegative(req, "limit", 100);
        String orderBy = req.query("order_by");
        UserAdminStore.Order order = orderBy == null ? UserAdminStore.Order.NAME : switch (orderBy) {
            // Guests, user types and shadow bans do not exist here: those orders are the default one.
            case "name", "is_guest", "user_type", "shadow_banned" -> UserAdminStore.Order.NAME;
            case "admin" -> UserAdminStore.Order.ADMIN;
            case "deactivated" -> UserAdminStore.Order.DEACTIVATED;
            case "displayname" -> UserAdminStore.Order.DISPLAYNAME;
            case "avatar_url" -> UserAdminStore.Order.AVATAR_URL;
            case "creation_ts" -> UserAdminStore.Order.CREATION_TS;
            case "last_seen_ts" -> UserAdminStore.Order.LAST_SEEN_TS;
            case "locked" -> UserAdminStore.Order.LOCKED;
            default -> throw MatrixException.invalidParam("Unknown value for order_by: " + orderBy);
        };
        String dir = req.query("dir");
        if (dir != null && !dir.equals("f") && !dir.equals("b")) {
            throw MatrixException.invalidParam("Query parameter 'dir' must be one of ['b', 'f']");
        }
        req.queryBool("guests", true); // validated; there are no guest accounts
        String admins = req.query("admins");
        Boolean adminFilter = admins == null ? null : req.queryBool("admins", false);
        String name = req.query("name");
        String userId = req.query("user_id");
        UserAdminStore.Page page = users.store().list(new UserAdminStore.Query(
                name == null || name.isEmpty() ? null : name, userId == null || userId.isEmpty() ? null : userId,
                adminFilter, req.queryBool("deactivated", false), req.queryBool("locked", false), order,
                "b".equals(dir), from, limit));
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("users");
        for (UserAdminStore.AdminUser u : page.users()) list.add(listEntry(u));
        if ((long) from + page.users().size() < page.total()) out.put("next_token", String.valueOf(from + page.users().size()));
        out.put("total", page.total());
        return out;
    }

    private static int nonNegative(Req req, String name, int dflt) {
        String v = req.query(name);
        if (v == null) return dflt;
        if (!v.matches("[0-9]{1,9}")) {
            throw MatrixException.invalidParam("Query parameter " + name + " must be a string representing a positive integer.");
        }
        return Integer.parseInt(v);
    }

    private static ObjectNode listEntry(UserAdminStore.AdminUser a) {
        AccountStore.User u = a.user();
        ObjectNode o = Json.object();
        o.put("name", u.userId());
        o.put("is_guest", false);
        o.put("admin", u.admin());
        o.putNull("user_type");
        o.put("deactivated", u.deactivated());
        o.put("erased", a.erased());
        o.put("shadow_banned", false);
        o.put("displayname", u.displayname());
        o.put("avatar_url", u.avatarUrl());
        o.put("creation_ts", u.createdTs());
        if (a.lastSeenTs() == null) o.putNull("last_seen_ts"); else o.put("last_seen_ts", a.lastSeenTs());
        o.put("locked", a.locked());
        return o;
    }

    /** GET /v2/users/{userId}; Synapse gives creation_ts here in seconds (in the list: milliseconds). */
    private static ObjectNode details(UserAdminStore.AdminUser a) {
        ObjectNode o = listEntry(a);
        o.putArray("threepids");
        o.put("creation_ts", a.user().createdTs() / 1000);
        o.putNull("appservice_id");
        o.putNull("consent_server_notice_sent");
        o.putNull("consent_version");
        o.putNull("consent_ts");
        o.putArray("external_ids");
        o.put("suspended", false);
        return o;
    }

    private Object createOrModify(Req req) {
        String userId = localUser(req);
        ObjectNode body = req.json();
        String password = JsonFields.optString(body, "password");
        if (password != null && password.length() > 512) throw MatrixException.invalidParam("Invalid password");
        Boolean logoutDevices = JsonFields.optBoolean(body, "logout_devices");
        String displayname = JsonFields.optString(body, "displayname");
        String avatarUrl = JsonFields.optString(body, "avatar_url");
        if (avatarUrl != null && !avatarUrl.isEmpty() && !avatarUrl.startsWith("mxc://")) {
            throw MatrixException.invalidParam("avatar_url must be an mxc:// URI");
        }
        if (displayname != null && displayname.length() > 256) throw MatrixException.invalidParam("displayname is too long");
        Boolean admin = JsonFields.optBoolean(body, "admin");
        Boolean deactivated = JsonFields.optBoolean(body, "deactivated");
        Boolean locked = JsonFields.optBoolean(body, "locked");
        var existing = users.store().user(userId);
        ObjectNode details = Json.object();
        if (existing.isEmpty()) {
            String localpart = userId.substring(1, userId.lastIndexOf(':' + users.accounts().serverName()));
            // Without a password the account can only be used once an admin sets one (as Synapse allows).
            users.accounts().createUser(localpart, password != null ? password : Tokens.random(40),
                    Boolean.TRUE.equals(admin), displayname == null || displayname.isEmpty() ? null : displayname);
            if (avatarUrl != null && !avatarUrl.isEmpty()) users.setProfile(userId, users.store().user(userId).orElseThrow()
                    .user().displayname(), avatarUrl);
            if (Boolean.TRUE.equals(locked)) users.setLocked(userId, true);
            details.put("admin", Boolean.TRUE.equals(admin));
            details.put("password_set", password != null);
            if (Boolean.TRUE.equals(locked)) details.put("locked", true);
            audit.record(req, "user.create", userId, details);
            return Resp.json(201, details(users.store().user(userId).orElseThrow()));
        }
        AccountStore.User u = existing.get().user();
        if (Boolean.FALSE.equals(admin) && u.admin() && userId.equals(req.userId())) {
            throw new MatrixException(400, "M_UNKNOWN", "You may not demote yourself.");
        }
        if (Boolean.TRUE.equals(locked) && userId.equals(req.userId())) {
            throw new MatrixException(400, "M_UNKNOWN", "You may not lock yourself.");
        }
        boolean reactivating = Boolean.FALSE.equals(deactivated) && u.deactivated();
        if (reactivating && password == null) {
            throw new MatrixException(400, "M_UNKNOWN", "Must provide a password to re-activate an account.");
        }
        if (Boolean.TRUE.equals(deactivated) && password != null) {
            throw new MatrixException(400, "M_UNKNOWN", "A deactivated account cannot get a password.");
        }
        if (displayname != null || avatarUrl != null) {
            String name = displayname == null ? u.displayname() : displayname.isEmpty() ? null : displayname;
            String avatar = avatarUrl == null ? u.avatarUrl() : avatarUrl.isEmpty() ? null : avatarUrl;
            users.setProfile(userId, name, avatar);
            if (displayname != null) details.put("displayname", displayname);
            if (avatarUrl != null) details.put("avatar_url", avatarUrl);
        }
        if (admin != null && admin != u.admin()) {
            users.setAdmin(userId, admin);
            details.put("admin", admin);
        }
        if (reactivating) {
            users.reactivate(userId, password);
            details.put("deactivated", false);
        } else if (password != null) {
            users.setPassword(userId, password, !Boolean.FALSE.equals(logoutDevices), req.session());
            details.put("password_set", true);
            details.put("logout_devices", !Boolean.FALSE.equals(logoutDevices));
        }
        if (Boolean.TRUE.equals(deactivated) && !u.deactivated()) {
            users.deactivate(userId, false);
            details.put("deactivated", true);
        }
        if (locked != null && locked != existing.get().locked()) {
            users.setLocked(userId, locked);
            details.put("locked", locked);
        }
        if (!details.isEmpty()) audit.record(req, "user.modify", userId, details);
        return details(users.store().user(userId).orElseThrow());
    }

    private Object whois(Req req) {
        String userId = existing(req).user().userId();
        ObjectNode out = Json.object();
        out.put("user_id", userId);
        ObjectNode devices = out.putObject("devices");
        for (AccountStore.Device d : users.accounts().devices(userId)) {
            ArrayNode connections = devices.putObject(d.deviceId()).putArray("sessions").addObject().putArray("connections");
            if (d.lastSeenTs() == null) continue;
            ObjectNode c = connections.addObject();
            c.put("ip", d.lastSeenIp());
            c.put("last_seen", d.lastSeenTs());
            c.put("user_agent", d.lastSeenUserAgent());
        }
        return out;
    }

    private Object deactivate(Req req) {
        String userId = existing(req).user().userId();
        ObjectNode body = req.jsonOrEmpty();
        boolean erase = Boolean.TRUE.equals(JsonFields.optBoolean(body, "erase"));
        users.deactivate(userId, erase);
        audit.record(req, erase ? "user.erase" : "user.deactivate", userId, Json.object().put("erase", erase));
        // No identity servers are bound here, so there is nothing to unbind: Synapse then says "success".
        return Json.object().put("id_server_unbind_result", "success");
    }

    private Object resetPassword(Req req) {
        UserAdminStore.AdminUser target = existing(req);
        ObjectNode body = req.json();
        String password = JsonFields.optString(body, "new_password");
        if (password == null) throw MatrixException.missingParam("Missing param new_password");
        if (password.length() > 512) throw MatrixException.invalidParam("Invalid password");
        if (target.user().deactivated()) {
            throw new MatrixException(400, "M_UNKNOWN", "The account is deactivated; reactivate it with a new password instead.");
        }
        boolean logout = !Boolean.FALSE.equals(JsonFields.optBoolean(body, "logout_devices"));
        users.setPassword(target.user().userId(), password, logout, req.session());
        audit.record(req, "user.reset_password", target.user().userId(), Json.object().put("logout_devices", logout));
        return Json.object();
    }

    private Object setAdmin(Req req) {
        UserAdminStore.AdminUser target = existing(req);
        ObjectNode body = req.json();
        Boolean admin = JsonFields.optBoolean(body, "admin");
        if (admin == null) throw MatrixException.missingParam("Missing param admin");
        if (!admin && target.user().userId().equals(req.userId())) {
            throw new MatrixException(400, "M_UNKNOWN", "You may not demote yourself.");
        }
        users.setAdmin(target.user().userId(), admin);
        audit.record(req, admin ? "user.admin.grant" : "user.admin.revoke", target.user().userId(),
                Json.object().put("admin", admin));
        return Json.object();
    }
}
