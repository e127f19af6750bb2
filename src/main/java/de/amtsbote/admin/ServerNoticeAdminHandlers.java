package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.clientapi.JsonFields;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.ServerNotices;
import de.amtsbote.util.Json;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Server notices: Synapse's {@code POST /_synapse/admin/v1/send_server_notice} (and the idempotent
 * {@code PUT .../send_server_notice/{txnId}}), and Amtsbote's notice to many users
 * {@code POST /_amtsbote/admin/v1/server_notices {"body", "user_ids"?}} → {@code {"sent": n}}, and its
 * idempotent form {@code PUT /_amtsbote/admin/v1/server_notices/{txnId}} (same body and answer).
 */
public final class ServerNoticeAdminHandlers implements Handlers {
    private static final int MAX_BODY_CHARS = 16_000;
    private static final int MAX_TXN_ID_CHARS = 255;

    private final ServerNotices notices;
    private final AdminAudit audit;

    public ServerNoticeAdminHandlers(ServerNotices notices, AdminAudit audit) {
        this.notices = notices;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.add("POST", "/_synapse/admin/v1/send_server_notice", ADMIN, req -> synapseNotice(req, null));
        r.add("PUT", "/_synapse/admin/v1/send_server_notice/{txnId}", ADMIN, req -> synapseNotice(req,
                new ServerNotices.Txn(req.userId(), req.session().deviceId(), req.path("txnId"))));
        r.add("POST", "/_amtsbote/admin/v1/server_notices", ADMIN, req -> {
            Bulk bulk = bulk(req.json());
            int sent = notices.sendText(bulk.recipients().get(), bulk.text());
            audit.record(req, "server_notice.send", bulk.target(), bulkDetails(bulk, sent));
            return Json.object().put("sent", sent);
        });
        // The console's way: a retry with the same txnId (same admin) gets the first answer and sends nothing.
        r.add("PUT", "/_amtsbote/admin/v1/server_notices/{txnId}", ADMIN, req -> {
            String txnId = req.path("txnId");
            if (txnId.isEmpty() || txnId.length() > MAX_TXN_ID_CHARS) {
                throw MatrixException.invalidParam("The transaction id must have 1 to " + MAX_TXN_ID_CHARS + " characters");
            }
            Bulk bulk = bulk(req.json());
            ServerNotices.BulkResult result = notices.sendTextOnce(req.userId(), txnId, bulk.recipients(), bulk.text());
            // Audited once, by the request that really sent it.
            if (!result.repeated()) {
                audit.record(req, "server_notice.send", bulk.target(), bulkDetails(bulk, result.sent()).put("txn_id", txnId));
            }
            return Json.object().put("sent", result.sent());
        });
    }

    /** A bulk notice request: the text and its recipients (all active users when user_ids is absent). */
    private record Bulk(String text, List<String> userIds, java.util.function.Supplier<List<String>> recipients) {
        boolean toAll() { return userIds == null; }

        String target() { return toAll() ? "*" : String.join(" ", userIds); }
    }

    private Bulk bulk(ObjectNode body) {
        String text = JsonFields.optString(body, "body");
        if (text == null || text.isBlank()) throw MatrixException.missingParam("'body' (the notice text) is required");
        if (text.length() > MAX_BODY_CHARS) throw MatrixException.invalidParam("'body' is longer than " + MAX_BODY_CHARS + " characters");
        ArrayNode ids = JsonFields.optArray(body, "user_ids");
        if (ids == null) return new Bulk(text, null, notices::allRecipients);
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) throw MatrixException.badJson("'user_ids' must contain user ids");
            set.add(id.textValue());
        }
        List<String> recipients = List.copyOf(set);
        return new Bulk(text, recipients, () -> recipients);
    }

    private static ObjectNode bulkDetails(Bulk bulk, int sent) {
        return Json.object().put("sent", sent).put("to_all", bulk.toAll()).put("body", bulk.text());
    }

    private Object synapseNotice(Req req, ServerNotices.Txn txn) {
        ObjectNode body = req.json();
        String userId = JsonFields.optString(body, "user_id");
        if (userId == null) throw MatrixException.missingParam("'user_id' is required");
        if (!body.has("content")) throw MatrixException.missingParam("'content' is required");
        ObjectNode content = JsonFields.optObject(body, "content");
        if (content == null) throw MatrixException.badJson("'content' must be an object");
        String type = JsonFields.optString(body, "type");
        String stateKey = JsonFields.optString(body, "state_key");
        String eventId = notices.send(userId, type == null ? "m.room.message" : type, stateKey, content, txn);
        ObjectNode details = Json.object().put("type", type == null ? "m.room.message" : type).put("event_id", eventId);
        if (txn != null) details.put("txn_id", txn.txnId());
        audit.record(req, "server_notice.send", userId, details);
        return Json.object().put("event_id", eventId);
    }
}
