package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.storage.WebhookStore;
import de.amtsbote.util.Json;
import de.amtsbote.webhooks.Webhooks;

/** Admin API for incoming webhooks: create (the secret URL is shown only here), list, delete. */
public final class WebhookAdminHandlers implements Handlers {
    private static final String BASE = "/_amtsbote/admin/v1/webhooks";
    private final Webhooks webhooks;
    private final AdminAudit audit;

    public WebhookAdminHandlers(Webhooks webhooks, AdminAudit audit) {
        this.webhooks = webhooks;
        this.audit = audit;
    }


    private static ObjectNode describe(ObjectNode o, WebhookStore.Webhook h) {
        o.put("id", h.id());
        o.put("room_id", h.roomId());
        o.put("name", h.name());
        o.put("format", h.format());
        o.put("bot_user", h.botUserId());
        o.put("created_by", h.createdBy());
        o.put("created_ts", h.createdTs());
        return o;
    }

    @Override
    public void register(Router r) {
        r.add("POST", BASE, ADMIN, req -> {
            ObjectNode body = req.json();
            Webhooks.Created c = webhooks.create(req.userId(), JsonFields.string(body, "room_id"),
                    JsonFields.string(body, "name"), JsonFields.string(body, "format"), JsonFields.string(body, "bot_user"));
            // Without the URL: it carries the hook's secret.
            audit.record(req, "webhook.create", c.hook().id(), describe(Json.object(), c.hook()));
            return describe(Json.object(), c.hook()).put("url", c.url());
        });
        r.add("GET", BASE, ADMIN, req -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("webhooks");
            for (WebhookStore.Webhook h : webhooks.list()) describe(list.addObject(), h);
            return out;
        });
        r.add("DELETE", BASE + "/{id}", ADMIN, req -> {
            WebhookStore.Webhook gone = webhooks.delete(req.path("id"));
            audit.record(req, "webhook.delete", gone.id(), Json.object().put("room_id", gone.roomId()).put("name", gone.name()));
            return Json.object();
        });
    }
}
