package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.PusherStore.Pusher;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Delivers to web pushers ({@link Pushers#WEB_PUSH_APP_ID}): Amtsbote is its own push gateway for the PWA and
 * posts straight to the browser's push service (RFC 8030), encrypted (RFC 8291) and signed with the VAPID key
 * (RFC 8292). The payload is only the room and event ids, the unread count and the priority, whatever the
 * pusher's format: no message text, sender or room name leaves the server; the service worker fetches the event.
 */
final class WebPushSender {
    private static final Logger LOG = Logger.getLogger(WebPushSender.class.getName());
    /** How long the push service keeps an undelivered push (RFC 8030 section 5.2): a day-old nudge is useless. */
    static final int TTL_SECONDS = 24 * 60 * 60;

    private final VapidKey vapid;
    private final String subject;
    private final HttpClient http;

    /** subject: the VAPID contact (mailto: or https:), or null. */
    WebPushSender(VapidKey vapid, String subject, HttpClient http) {
        this.vapid = vapid;
        this.subject = subject;
        this.http = http;
    }

    /** The web push payload, cut from the push gateway notification built for the pusher. */
    static ObjectNode payload(ObjectNode gatewayBody) {
        JsonNode n = gatewayBody.path("notification");
        ObjectNode p = Json.object();
        p.put("room_id", n.path("room_id").asText());
        p.put("event_id", n.path("event_id").asText());
        p.putObject("counts").put("unread", n.path("counts").path("unread").asInt());
        p.put("prio", n.path("prio").asText("high"));
        return p;
    }

    PushGatewayClient.Outcome send(Pusher p, ObjectNode gatewayBody) throws InterruptedException {
        ObjectNode payload = payload(gatewayBody);
        URI endpoint;
        byte[] body;
        try {
            endpoint = URI.create(p.data().path("endpoint").asText(""));
            Base64.Decoder d = Base64.getUrlDecoder();
            body = WebPushEncryption.encrypt(Json.bytes(payload), d.decode(p.data().path("p256dh").asText("")),
                    d.decode(p.data().path("auth").asText("")));
        } catch (IllegalArgumentException e) {
            LOG.warning("web pusher of " + p.userId() + " has an unusable subscription: " + e.getMessage());
            return PushGatewayClient.Outcome.GIVE_UP;
        }
        HttpResponse<Void> resp;
        try {
            HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Encoding", "aes128gcm")
                    .header("TTL", Integer.toString(TTL_SECONDS))
                    .header("Urgency", "high".equals(payload.get("prio").asText()) ? "high" : "normal")
                    .header("Authorization", vapid.authorization(endpoint, subject, Instant.now()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            resp = http.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            LOG.fine(() -> "push service " + endpoint.getHost() + " unreachable: " + e);
            return PushGatewayClient.Outcome.RETRY;
        }
        int status = resp.statusCode();
        if (status >= 200 && status < 300) return PushGatewayClient.Outcome.DELIVERED;
        // RFC 8030 section 7.3: the subscription has expired or was unsubscribed.
        if (status == 404 || status == 410) return PushGatewayClient.Outcome.REJECTED;
        if (status >= 500 || status == 408 || status == 429) return PushGatewayClient.Outcome.RETRY;
        // 400, 401/403 (VAPID not accepted), 413: sending the same again does not help.
        LOG.warning("push service " + endpoint.getHost() + " answered " + status + " for a push to " + p.userId());
        return PushGatewayClient.Outcome.GIVE_UP;
    }
}
