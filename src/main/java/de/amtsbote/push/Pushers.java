package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Session;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.PusherStore;
import de.amtsbote.storage.PusherStore.Pusher;
import de.amtsbote.util.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user's pushers (pusher.yaml): validation of POST /pushers/set, the list for GET /pushers, and a cache of
 * each user's pushers for delivery, which asks for every notified member of every event (almost always none).
 */
public final class Pushers {
    /** The path every push gateway serves (push gateway API). */
    public static final String NOTIFY_PATH = "/_matrix/push/v1/notify";
    /**
     * The app id of web pushers, delivered by Amtsbote itself (Web Push, {@link WebPushSender}) rather than by a
     * push gateway: pushkey is the subscription's endpoint, data holds endpoint, p256dh and auth as the browser's
     * PushSubscription.toJSON() gives them.
     */
    public static final String WEB_PUSH_APP_ID = "de.amtsbote.webpush";
    /** Kinds we deliver; "email" needs a mail setup Amtsbote does not have. */
    private static final Set<String> KINDS = Set.of("http");
    private static final int MAX_APP_ID_CHARS = 64;
    private static final int MAX_PUSHKEY_BYTES = 512;
    private static final int MAX_TEXT_CHARS = 1000;
    /** Every notification of a user goes to each of their pushers; a handful of phones is normal, more is abuse. */
    static final int MAX_PUSHERS_PER_USER = 20;

    private final PusherStore store;
    private final AccountStore accounts;
    private final ConcurrentHashMap<String, List<Pusher>> byUser = new ConcurrentHashMap<>();

    private final PushTargets targets;

    public Pushers(PusherStore store, AccountStore accounts, PushTargets targets) {
        this.store = store;
        this.accounts = accounts;
        this.targets = targets;
    }

    /** Where pushes may be delivered (the administrator's rule). */
    public PushTargets targets() { return targets; }

    /** GET /pushers. */
    public ObjectNode list(String userId) {
        ArrayNode out = Json.array();
        for (Pusher p : forUser(userId)) {
            ObjectNode o = out.addObject();
            o.put("pushkey", p.pushkey());
            o.put("kind", p.kind());
            o.put("app_id", p.appId());
            o.put("app_display_name", p.appDisplayName());
            o.put("device_display_name", p.deviceDisplayName());
            if (p.profileTag() != null) o.put("profile_tag", p.profileTag());
            o.put("lang", p.lang());
            o.set("data", p.data());
        }
        ObjectNode body = Json.object();
        body.set("pushers", out);
        return body;
    }

    /** POST /pushers/set: creates, replaces or (kind null) deletes the caller's pusher. */
    public void set(Session session, ObjectNode body) {
        if (!body.has("kind")) throw MatrixException.missingParam("Missing parameter: kind");
        String appId = requiredString(body, "app_id");
        if (appId.isEmpty() || appId.length() > MAX_APP_ID_CHARS) {
            throw MatrixException.invalidParam("'app_id' must have 1 to " + MAX_APP_ID_CHARS + " characters");
        }
        String pushkey = requiredString(body, "pushkey");
        if (pushkey.isEmpty() || pushkey.getBytes(StandardCharsets.UTF_8).length > MAX_PUSHKEY_BYTES) {
            throw MatrixException.invalidParam("'pushkey' must have 1 to " + MAX_PUSHKEY_BYTES + " bytes");
        }
        JsonNode kindNode = body.get("kind");
        if (kindNode.isNull()) {
            store.delete(session.userId(), appId, pushkey);
            byUser.remove(session.userId());
            return;
        }
        if (!kindNode.isTextual()) throw MatrixException.invalidParam("'kind' must be a string or null");
        String kind = kindNode.textValue();
        if (!KINDS.contains(kind)) throw MatrixException.invalidParam("Unsupported pusher kind: " + kind);
        String appDisplayName = requiredString(body, "app_display_name");
        String deviceDisplayName = requiredString(body, "device_display_name");
        String lang = requiredString(body, "lang");
        String profileTag = optionalString(body, "profile_tag");
        if (!body.has("data") || body.get("data").isNull()) throw MatrixException.missingParam("Missing parameter: data");
        if (!(body.get("data") instanceof ObjectNode data)) throw MatrixException.invalidParam("'data' must be an object");
        if (WEB_PUSH_APP_ID.equals(appId)) checkWebPushSubscription(pushkey, data);
        else checkUrl(data.get("url"));
        JsonNode format = data.get("format");
        if (format != null && !format.isTextual()) throw MatrixException.invalidParam("'data.format' must be a string");
        JsonNode append = body.get("append");
        if (append != null && !append.isNull() && !append.isBoolean()) {
            throw MatrixException.invalidParam("'append' must be true or false");
        }
        boolean appendPusher = append != null && append.asBoolean(false);
        boolean stored = store.set(new Pusher(session.userId(), appId, pushkey, kind, appDisplayName,
                deviceDisplayName, profileTag, lang, data, session.deviceId(), session.tokenHash(),
                System.currentTimeMillis(), null), appendPusher, MAX_PUSHERS_PER_USER);
        if (!stored) {
            throw MatrixException.forbidden("You have " + MAX_PUSHERS_PER_USER + " pushers; remove one first");
        }
        // Without append, other users' pushers with this pushkey are gone too; their cache entries with them.
        if (appendPusher) byUser.remove(session.userId());
        else byUser.clear();
    }

    /** The user's pushers, from the cache. */
    public List<Pusher> forUser(String userId) {
        return byUser.computeIfAbsent(userId, store::forUser);
    }

    /** Removes a pusher (the gateway rejected its pushkey, or its session ended). */
    public void remove(String userId, String appId, String pushkey) {
        store.delete(userId, appId, pushkey);
        byUser.remove(userId);
    }

    /** Records failing deliveries (failingSince, ms) or that they work again (null). */
    public void failing(Pusher p, Long failingSince) {
        store.setFailingSince(p.userId(), p.appId(), p.pushkey(), failingSince);
        byUser.remove(p.userId());
    }

    /** After sign-outs of the user: pushers whose device is gone go too (a signed-out phone gets no pushes). */
    public void sessionsRevoked(String userId) {
        for (Pusher p : store.forUser(userId)) {
            if (p.deviceId() != null && accounts.device(userId, p.deviceId()).isEmpty()) {
                store.delete(userId, p.appId(), p.pushkey());
            }
        }
        byUser.remove(userId);
    }

    /** An http pusher's data.url: http(s), a host, and the gateway's notify path. */
    private void checkUrl(JsonNode url) {
        if (url == null || url.isNull()) throw MatrixException.missingParam("'data.url' is required for http pushers");
        if (!url.isTextual()) throw MatrixException.invalidParam("'data.url' must be a string");
        URI uri;
        try {
            uri = new URI(url.textValue());
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("'data.url' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null || uri.getPath() == null || !uri.getPath().endsWith(NOTIFY_PATH)) {
            throw MatrixException.invalidParam("'data.url' must be an http(s) URL ending in " + NOTIFY_PATH);
        }
        targets.checkAtSetup(uri, "data.url");
    }

    /**
     * A web pusher's subscription: an https endpoint (http only to this machine, for tests and development)
     * equal to the pushkey, the browser's P-256 key and its 16-byte auth secret, both base64url.
     */
    private void checkWebPushSubscription(String pushkey, ObjectNode data) {
        String endpoint = requiredString(data, "endpoint");
        if (!endpoint.equals(pushkey)) throw MatrixException.invalidParam("'pushkey' must be the subscription's endpoint");
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("'data.endpoint' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean loopback = uri.getHost() != null && Set.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost());
        if (!(scheme.equals("https") || (scheme.equals("http") && loopback)) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw MatrixException.invalidParam("'data.endpoint' must be an https URL");
        }
        targets.checkAtSetup(uri, "data.endpoint");
        byte[] p256dh = base64Url(requiredString(data, "p256dh"), "p256dh");
        try {
            P256.publicKey(p256dh);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("'data.p256dh' is not a P-256 public key");
        }
        if (base64Url(requiredString(data, "auth"), "auth").length != 16) {
            throw MatrixException.invalidParam("'data.auth' must be 16 bytes");
        }
    }

    private static byte[] base64Url(String value, String field) {
        try {
            return java.util.Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("'data." + field + "' must be base64url");
        }
    }

    private static String requiredString(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw MatrixException.missingParam("Missing parameter: " + field);
        if (!n.isTextual()) throw MatrixException.invalidParam("'" + field + "' must be a string");
        if (n.textValue().length() > MAX_TEXT_CHARS) throw MatrixException.invalidParam("'" + field + "' is too long");
        return n.textValue();
    }

    private static String optionalString(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        return requiredString(body, field);
    }
}
