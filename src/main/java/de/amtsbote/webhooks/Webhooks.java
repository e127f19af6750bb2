package de.amtsbote.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.EventDraft;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.WebhookStore;
import de.amtsbote.users.RateLimiter;
import de.amtsbote.users.Tokens;
import de.amtsbote.util.Json;
import de.amtsbote.util.Text;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Incoming webhooks: created by admins for a room, each posting as its bot user. A delivery is parsed by
 * the hook's format into one message; alerts are paired in threads (outage opens, recovery replies).
 */
public final class Webhooks {
    public static final Set<String> FORMATS = Set.of("generic", "prtg", "alertmanager");
    /** Secrets of unknown hooks are compared against this, so a wrong id takes as long as a wrong secret. */
    private static final String DUMMY_HASH = Tokens.hash("no such hook");

    private final WebhookStore store;
    private final IntegrationBots bots;
    private final RoomActions actions;
    private final String publicBaseUrl;
    private final RateLimiter limiter;
    private final int maxBodyBytes;
    private final LongSupplier clock;

    /** perMinute and maxBodyBytes: config webhooks.deliveries_per_minute and webhooks.max_body_bytes. */
    public Webhooks(WebhookStore store, IntegrationBots bots, String publicBaseUrl, int perMinute, int maxBodyBytes,
                    LongSupplier clock) {
        this.store = store;
        this.bots = bots;
        this.actions = bots.actions();
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl : publicBaseUrl + "/";
        this.limiter = new RateLimiter(perMinute);
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    public record Created(WebhookStore.Webhook hook, String url) {}

    /**
     * Creates a hook: the bot user is created if missing (an existing user only if the server created it as a
     * bot, so no human's account can be made to post alerts), invited by the admin if the admin is in the
     * room, and joined.
     */
    public Created create(String adminUserId, String roomIdOrAlias, String name, String format, String botLocalpart) {
        if (!FORMATS.contains(format)) throw MatrixException.invalidParam("'format' must be one of generic, prtg, alertmanager");
        if (name.isBlank() || name.length() > 200) throw MatrixException.invalidParam("'name' must be 1 to 200 characters");
        String roomId = bots.existingRoom(roomIdOrAlias);
        String botUserId = bots.ensureInRoom(adminUserId, roomId, botLocalpart, name, "webhook " + name);
        String id = Tokens.random(16);
        String secret = Tokens.random(40);
        WebhookStore.Webhook hook = new WebhookStore.Webhook(id, roomId, name, format, botUserId, Tokens.hash(secret),
                adminUserId, clock.getAsLong());
        store.create(hook);
        return new Created(hook, publicBaseUrl + "_amtsbote/hooks/v1/" + id + "/" + secret);
    }

    public List<WebhookStore.Webhook> list() { return store.all(); }

    /** Deletes the hook; its bot leaves the room unless another hook or rule there still uses it. */
    public WebhookStore.Webhook delete(String id) {
        WebhookStore.Webhook hook = store.get(id).orElseThrow(() -> MatrixException.notFound("No such webhook"));
        if (!store.delete(id)) throw MatrixException.notFound("No such webhook");
        hookLocks.remove(id);
        bots.leaveIfUnused(hook.botUserId(), hook.roomId(), "webhook " + hook.name() + " deleted");
        return hook;
    }

    /** Posts one delivery; returns the event id (the first one's for a retried delivery). */
    public String deliver(String id, String secret, Payload payload) {
        Optional<WebhookStore.Webhook> found = store.get(id);
        String expected = found.map(WebhookStore.Webhook::secretHash).orElse(DUMMY_HASH);
        boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                Tokens.hash(secret).getBytes(StandardCharsets.US_ASCII));
        if (!ok || found.isEmpty()) throw MatrixException.notFound("No such webhook");
        WebhookStore.Webhook hook = found.get();
        long wait = limiter.tryAcquire(hook.id(), clock.getAsLong());
        if (wait > 0) throw MatrixException.limitExceeded(wait);
        if (payload.body().length > maxBodyBytes) {
            throw MatrixException.tooLarge("Webhook bodies are limited to " + maxBodyBytes + " bytes");
        }

        HookMessage m = switch (hook.format()) {
            case "prtg" -> PrtgFormat.parse(payload);
            case "alertmanager" -> AlertmanagerFormat.parse(payload);
            default -> GenericFormat.parse(payload);
        };
        try {
            Text.check(m.plain());
            Text.check(m.html());
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("Request body " + e.getMessage());
        }
        return post(hook, m);
    }

    /** One delivery of a hook at a time, so two alerts of one key cannot both open a thread. */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> hookLocks = new java.util.concurrent.ConcurrentHashMap<>();

    private String post(WebhookStore.Webhook hook, HookMessage m) {
        synchronized (hookLocks.computeIfAbsent(hook.id(), k -> new Object())) {
            return postLocked(hook, m);
        }
    }

    private String postLocked(WebhookStore.Webhook hook, HookMessage m) {
        ObjectNode content = Json.object();
        content.put("msgtype", "m.notice");
        content.put("body", m.plain());
        content.put("format", "org.matrix.custom.html");
        content.put("formatted_body", m.html());
        // Stored as hashes: keys may be long (all labels) and hold separators no database column takes.
        List<String> keys = m.alertKeys().stream().map(Tokens::hash).toList();
        List<String> resolved = m.resolvedKeys().stream().map(Tokens::hash).toList();
        Optional<String> root = keys.isEmpty() ? Optional.empty() : store.openOutage(hook.id(), keys);
        root.ifPresent(r -> {
            ObjectNode rel = content.putObject("m.relates_to");
            rel.put("rel_type", "m.thread");
            rel.put("event_id", r);
            rel.put("is_falling_back", true);
            rel.putObject("m.in_reply_to").put("event_id", r);
        });
        // A retried delivery hits the room's transaction record and gets the first event back.
        EventDraft.Txn txn = m.idempotencyKey() == null ? null : new EventDraft.Txn(hook.botUserId(), "WEBHOOK",
                "/_amtsbote/hooks/v1/" + hook.id(), Tokens.hash(hook.id() + "\u0000" + m.idempotencyKey()));
        String eventId = actions.sendMessage(hook.botUserId(), hook.roomId(), "m.room.message", content, txn);
        if (m.kind() == HookMessage.Kind.PROBLEM) {
            List<String> open = keys.stream().filter(k -> !resolved.contains(k)).toList();
            store.openAlerts(hook.id(), open, root.orElse(eventId));
        }
        if (!resolved.isEmpty()) store.closeAlerts(hook.id(), resolved);
        return eventId;
    }
}
