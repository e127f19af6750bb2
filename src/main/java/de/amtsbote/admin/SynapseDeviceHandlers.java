package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.DeviceWipeStore;
import de.amtsbote.users.UserModeration;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's devices in Synapse's admin API (list, show, rename, delete one or several) and Amtsbote's remote
 * wipe ({@code /_amtsbote/admin/v1/users/{userId}/devices/{deviceId}/wipe}, {@code .../wipes}).
 */
public final class SynapseDeviceHandlers implements Handlers {
    private static final String DEVICES = SynapseUserHandlers.V2 + "/users/{userId}/devices";
    private static final String AMTSBOTE = "/_amtsbote/admin/v1/users/{userId}";

    private final UserModeration users;
    private final AdminAudit audit;

    public SynapseDeviceHandlers(UserModeration users, AdminAudit audit) {
        this.users = users;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.add("GET", DEVICES, ADMIN, req -> {
            String userId = TargetUser.existing(req, users).user().userId();
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("devices");
            for (AccountStore.Device d : users.accounts().devices(userId)) list.add(device(d));
            out.put("total", list.size());
            return out;
        });
        r.add("GET", DEVICES + "/{deviceId}", ADMIN, req -> {
            String userId = TargetUser.existing(req, users).user().userId();
            return users.accounts().device(userId, req.path("deviceId")).map(SynapseDeviceHandlers::device)
                    .orElseThrow(() -> MatrixException.notFound("Device not found"));
        });
        r.add("PUT", DEVICES + "/{deviceId}", ADMIN, req -> {
            String userId = TargetUser.existing(req, users).user().userId();
            ObjectNode body = req.json();
            String name = JsonFields.optString(body, "display_name");
            if (name != null && name.length() > 100) {
                throw new MatrixException(400, "M_TOO_LARGE", "Device display name is too long (max 100)");
            }
            if (users.accounts().device(userId, req.path("deviceId")).isEmpty()) throw MatrixException.notFound("Device not found");
            if (name != null) {
                users.accounts().store().renameDevice(userId, req.path("deviceId"), name);
                audit.record(req, "device.rename", userId + " " + req.path("deviceId"), Json.object().put("display_name", name));
            }
            return Json.object();
        });
        // Deleting a device that is already gone succeeds (Synapse does the same): a retry changes nothing.
        r.add("DELETE", DEVICES + "/{deviceId}", ADMIN, req -> {
            String userId = TargetUser.existing(req, users).user().userId();
            if (users.accounts().deleteDevice(userId, req.path("deviceId"))) {
                audit.record(req, "device.delete", userId + " " + req.path("deviceId"), Json.object());
            }
            return Json.object();
        });
        r.add("POST", SynapseUserHandlers.V2 + "/users/{userId}/delete_devices", ADMIN, req -> {
            String userId = TargetUser.existing(req, users).user().userId();
            ArrayNode ids = JsonFields.optArray(req.json(), "devices");
            if (ids == null) throw MatrixException.missingParam("Missing param devices");
            List<String> deviceIds = new ArrayList<>();
            for (var id : ids) {
                if (!id.isTextual()) throw MatrixException.badJson("'devices' must contain strings");
                deviceIds.add(id.textValue());
            }
            List<String> deleted = new ArrayList<>();
            for (String id : deviceIds) if (users.accounts().deleteDevice(userId, id)) deleted.add(id);
            if (!deleted.isEmpty()) {
                ObjectNode details = Json.object();
                deleted.forEach(details.putArray("devices")::add);
                audit.record(req, "device.delete", userId, details);
            }
            return Json.object();
        });

        r.add("POST", AMTSBOTE + "/devices/{deviceId}/wipe", ADMIN, req -> {
            String userId = TargetUser.existing(req, users).user().userId();
            users.wipe(userId, req.path("deviceId"), req.userId());
            audit.record(req, "device.wipe", userId + " " + req.path("deviceId"), Json.object());
            return Json.object();
        });
        r.add("GET", AMTSBOTE + "/wipes", ADMIN, req -> {
            String userId = TargetUser.existing(req, users).user().userId();
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("wipes");
            for (DeviceWipeStore.Wipe w : users.wipes(userId)) {
                ObjectNode o = list.addObject();
                o.put("device_id", w.deviceId());
                o.put("requested_ts", w.requestedTs());
                o.put("requested_by", w.requestedBy());
                if (w.confirmedTs() == null) o.putNull("confirmed_ts"); else o.put("confirmed_ts", w.confirmedTs());
            }
            return out;
        });
    }

    static ObjectNode device(AccountStore.Device d) {
        ObjectNode o = Json.object();
        o.put("device_id", d.deviceId());
        if (d.displayName() != null) o.put("display_name", d.displayName());
        o.put("last_seen_ip", d.lastSeenIp());
        o.put("last_seen_user_agent", d.lastSeenUserAgent());
        if (d.lastSeenTs() == null) o.putNull("last_seen_ts"); else o.put("last_seen_ts", d.lastSeenTs());
        o.put("user_id", d.userId());
        o.put("dehydrated", false);
        return o;
    }
}
