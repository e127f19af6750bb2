package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.NONE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.SharedSecretRegistration;
import de.amtsbote.users.Tokens;
import de.amtsbote.util.Json;

/**
 * {@code GET/POST /_synapse/admin/v1/register}: Synapse's shared-secret registration. No access token: the
 * HMAC with the configured secret is the authorisation. Answers 400 "not enabled" without a secret.
 */
public final class SharedSecretHandlers implements Handlers {
    private static final String PATH = SynapseUserHandlers.V1 + "/register";

    private final SharedSecretRegistration registration;
    private final Accounts accounts;
    private final AdminAudit audit;

    public SharedSecretHandlers(SharedSecretRegistration registration, Accounts accounts, AdminAudit audit) {
        this.registration = registration;
        this.accounts = accounts;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.add("GET", PATH, NONE, req -> Json.object().put("nonce", registration.newNonce()));
        r.add("POST", PATH, NONE, req -> {
            registration.requireEnabled(); // before reading the body
            ObjectNode body = req.json();
            Boolean admin = body.has("admin") && !body.get("admin").isNull() ? body.get("admin").asBoolean() : false;
            if (body.hasNonNull("user_type")) throw new MatrixException(400, "M_UNKNOWN", "Invalid user type");
            String displayname = JsonFields.optString(body, "displayname");
            String userId = registration.register(new SharedSecretRegistration.Request(JsonFields.optString(body, "nonce"),
                    JsonFields.optString(body, "username"), JsonFields.optString(body, "password"), admin,
                    displayname, JsonFields.optString(body, "mac")));
            String deviceId = Tokens.newDeviceId();
            String token = Tokens.newAccessToken();
            accounts.store().addDeviceToken(userId, deviceId, null, Tokens.hash(token), req.remoteAddress());
            audit.recordSystem("shared-secret-registration", "user.create", userId,
                    Json.object().put("admin", admin).put("ip", req.remoteAddress()));
            ObjectNode out = Json.object();
            out.put("access_token", token);
            out.put("user_id", userId);
            out.put("home_server", accounts.serverName());
            out.put("device_id", deviceId);
            return out;
        });
    }
}
