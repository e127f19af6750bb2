package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** Incoming webhooks and the open outage of each alert they reported. */
public interface WebhookStore {
    record Webhook(String id, String roomId, String name, String format, String botUserId, String secretHash,
                   String createdBy, long createdTs) {}

    void create(Webhook hook);

    Optional<Webhook> get(String id);

    List<Webhook> all();

    /** Deletes the hook and its open alerts; false if there was none. */
    boolean delete(String id);

    /**
     * Whether the server created this user as a bot for webhooks or outgoing rules (or some hook posts as it):
     * only such users may be given to a new hook or rule.
     */
    boolean isBot(String userId);

    /** Records a user the server created as a webhook/rule bot (idempotent). */
    void markBot(String userId, long ts);

    /** The event that opened the outage of these alert keys: the first key that has one. */
    Optional<String> openOutage(String hookId, List<String> alertKeys);

    /** Records the event as the open outage of each key that has none yet. */
    void openAlerts(String hookId, List<String> alertKeys, String eventId);

    void closeAlerts(String hookId, List<String> alertKeys);
}
