package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.ToDeviceStore;
import de.amtsbote.sync.Notifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PUT /sendToDevice: checks the messages map, expands "*" to all the user's devices, stores one message per
 * target device and wakes the targets' /sync. A retried transaction (same sending device and txnId) stores
 * nothing again. Only local users are served: this server does not federate, so messages for users of
 * other servers, unknown users and unknown devices are dropped (the spec's endpoint has no error for them,
 * and one stale device must not stop the others from getting their keys).
 */
public final class ToDeviceMessages {
    /** Bounds a single request: one message per device of a large room is far below this. */
    public static final int MAX_TARGETS = 10_000;

    private final ToDeviceStore store;
    private final AccountStore accounts;
    private final Notifier notifier;
    private final String serverName;

    public ToDeviceMessages(ToDeviceStore store, AccountStore accounts, Notifier notifier, String serverName) {
        this.store = store;
        this.accounts = accounts;
        this.notifier = notifier;
        this.serverName = serverName;
    }

    /** Told the messages of each stored request after its commit (application services); must be cheap. */
    private volatile java.util.function.Consumer<List<ToDeviceStore.Target>> stored = t -> { };

    public void onStored(java.util.function.Consumer<List<ToDeviceStore.Target>> listener) { this.stored = listener; }

    /** Returns the number of device messages stored (0 for a retried transaction). */
    public int send(String senderUserId, String senderDeviceId, String eventType, String txnId, ObjectNode messages) {
        if (eventType == null || eventType.isEmpty() || eventType.length() > 255) {
            throw MatrixException.invalidParam("Invalid event type");
        }
        List<ToDeviceStore.Target> targets = new ArrayList<>();
        Set<String> woken = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> perUser : messages.properties()) {
            String userId = perUser.getKey();
            if (!(perUser.getValue() instanceof ObjectNode devices)) {
                throw MatrixException.badJson("messages[" + userId + "] must be an object of device IDs");
            }
            for (Map.Entry<String, JsonNode> perDevice : devices.properties()) {
                if (!(perDevice.getValue() instanceof ObjectNode)) {
                    throw MatrixException.badJson("messages[" + userId + "][" + perDevice.getKey() + "] must be an object");
                }
            }
            if (!userId.startsWith("@") || !userId.endsWith(":" + serverName)) continue;
            var user = accounts.user(userId);
            if (user.isEmpty() || user.get().deactivated()) continue;
            Set<String> known = new LinkedHashSet<>();
            for (AccountStore.Device d : accounts.devices(userId)) known.add(d.deviceId());
            for (Map.Entry<String, JsonNode> perDevice : devices.properties()) {
                ObjectNode content = (ObjectNode) perDevice.getValue();
                List<String> ids = perDevice.getKey().equals("*") ? List.copyOf(known)
                        : known.contains(perDevice.getKey()) ? List.of(perDevice.getKey()) : List.of();
                for (String deviceId : ids) {
                    targets.add(new ToDeviceStore.Target(userId, deviceId, senderUserId, eventType, content));
                    woken.add(userId);
                }
            }
            if (targets.size() > MAX_TARGETS) throw MatrixException.tooLarge("Too many to-device messages in one request");
        }
        boolean added = store.addOnce(senderUserId, senderDeviceId, txnId, targets, () -> {
            notifier.wake(woken);
            stored.accept(targets);
        });
        return added ? targets.size() : 0;
    }
}
