package de.amtsbote.webhooks;

import static de.amtsbote.http.Router.Auth.NONE;

import de.amtsbote.clientapi.Handlers;
import de.amtsbote.http.Router;
import de.amtsbote.util.Json;

/** The public delivery endpoint; the secret in the path is the only credential. */
public final class WebhookHandlers implements Handlers {
    private final Webhooks webhooks;

    public WebhookHandlers(Webhooks webhooks) { this.webhooks = webhooks; }

    @Override
    public void register(Router r) {
        r.add("POST", "/_amtsbote/hooks/v1/{id}/{secret}", NONE, req -> {
            String eventId = webhooks.deliver(req.path("id"), req.path("secret"),
                    new Payload(req.header("Content-Type"), req.body()));
            return Json.object().put("event_id", eventId);
        });
    }
}
