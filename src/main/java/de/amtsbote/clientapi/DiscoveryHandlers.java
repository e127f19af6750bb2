package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.NONE;
import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.RoomVersion;
import de.amtsbote.util.Json;
import java.util.function.Predicate;

/** What a client asks first: .well-known, /versions, /capabilities. */
public final class DiscoveryHandlers implements Handlers {
    private final String publicBaseUrl;
    private final Predicate<String> isAdminNow;

    /** isAdminNow: the user's admin flag as it is now (a demoted admin loses the admin capabilities at once). */
    public DiscoveryHandlers(String publicBaseUrl, Predicate<String> isAdminNow) {
        this.publicBaseUrl = publicBaseUrl;
        this.isAdminNow = isAdminNow;
    }

    @Override
    public void register(Router r) {
        r.add("GET", "/.well-known/matrix/client", NONE, req -> {
            ObjectNode out = Json.object();
            out.putObject("m.homeserver").put("base_url", publicBaseUrl.replaceAll("/$", ""));
            return out;
        });
        r.add("GET", "/_matrix/client/versions", NONE, req -> {
            ObjectNode out = Json.object();
            ArrayNode v = out.putArray("versions");
            for (String s : new String[] {"r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8",
                    "v1.9", "v1.10", "v1.11", "v1.12", "v1.13", "v1.14", "v1.15", "v1.16", "v1.17", "v1.18", "v1.19"}) {
                v.add(s);
            }
            // Simplified sliding sync (MSC4186), for Element X.
            out.putObject("unstable_features").put("org.matrix.simplified_msc3575", true);
            return out;
        });
        r.client("GET", "/capabilities", USER, req -> {
            ObjectNode out = Json.object();
            ObjectNode caps = out.putObject("capabilities");
            ObjectNode rv = caps.putObject("m.room_versions");
            rv.put("default", RoomVersion.DEFAULT.id());
            ObjectNode available = rv.putObject("available");
            for (RoomVersion v : RoomVersion.supported()) available.put(v.id(), "stable");
            caps.putObject("m.change_password").put("enabled", true);
            caps.putObject("m.set_displayname").put("enabled", true);
            caps.putObject("m.set_avatar_url").put("enabled", true);
            caps.putObject("m.3pid_changes").put("enabled", false);
            caps.putObject("m.get_login_token").put("enabled", false);
            // Spec v1.18: what the caller may do through the admin endpoints, omitted when nothing. Admins
            // lock and unlock via PUT /_matrix/client/v1/admin/lock/{userId}; suspension is not offered.
            if (isAdminNow.test(req.userId())) {
                caps.putObject("m.account_moderation").put("lock", true).put("suspend", false);
            }
            return out;
        });
    }
}
