package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import de.amtsbote.http.Router;
import de.amtsbote.push.VapidKey;
import de.amtsbote.util.Json;

/**
 * Amtsbote's own endpoint for its web client (not Matrix): the VAPID public key the browser needs to subscribe
 * to Web Push (pushManager.subscribe's applicationServerKey). The subscription then goes to POST /pushers/set
 * with app id {@link de.amtsbote.push.Pushers#WEB_PUSH_APP_ID}.
 */
public final class WebPushHandlers implements Handlers {
    private final VapidKey vapid;

    public WebPushHandlers(VapidKey vapid) { this.vapid = vapid; }

    @Override
    public void register(Router r) {
        r.add("GET", "/_amtsbote/client/v1/webpush/vapid_public_key", USER,
                req -> Json.object().put("public_key", vapid.publicKeyBase64()));
    }
}
