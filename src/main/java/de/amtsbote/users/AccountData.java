package de.amtsbote.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.push.PushRules;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.sync.Notifier;
import de.amtsbote.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A user's account data (global and per room) and room tags, with the spec's rules: server-managed types
 * cannot be set by clients, tags live in the room account data {@code m.tag}. Every change wakes the user's
 * long-polling /sync once it is durable. The caller checks that the user acts on their own data.
 */
public final class AccountData {
    /** Account data types only the server writes (spec: "Server Behaviour" of Client Config). */
    public static final Set<String> SERVER_MANAGED = Set.of("m.fully_read", PushRules.ACCOUNT_DATA_TYPE);
    public static final String TAG_TYPE = "m.tag";
    private static final int MAX_TYPE_LENGTH = 255;
    private static final int MAX_TAG_BYTES = 255;
    private static final int STRIPES = 64;

    private final AccountDataStore store;
    private final PushRules pushRules;
    private final Notifier notifier;
    private final ReentrantLock[] tagLocks = new ReentrantLock[STRIPES];

    public AccountData(AccountDataStore store, PushRules pushRules, Notifier notifier) {
        this.store = store;
        this.pushRules = pushRules;
        this.notifier = notifier;
        for (int i = 0; i < STRIPES; i++) tagLocks[i] = new ReentrantLock();
    }

    /** roomId is "" for global account data, otherwise a room ID (checked). */
    public void put(String userId, String roomId, String type, ObjectNode content) {
        checkType(type);
        if (!roomId.isEmpty()) checkRoomId(roomId);
        if (SERVER_MANAGED.contains(type)) {
            throw new MatrixException(405, "M_BAD_JSON", "Account data of type " + type + " is managed by the server");
        }
        store.put(userId, roomId, type, content, () -> notifier.wake(userId));
    }

    /**
     * The stored content. Global m.push_rules is always answered with the current rules, even before the user
     * changed any (then nothing is stored yet).
     */
    public Optional<ObjectNode> get(String userId, String roomId, String type) {
        checkType(type);
        if (!roomId.isEmpty()) checkRoomId(roomId);
        if (roomId.isEmpty() && type.equals(PushRules.ACCOUNT_DATA_TYPE)) return Optional.of(pushRules.clientJson(userId));
        return store.get(userId, roomId, type);
    }

    /** The body of GET .../tags: {@code {"tags": {...}}}, empty if the room has none. */
    public ObjectNode tags(String userId, String roomId) {
        checkRoomId(roomId);
        ObjectNode out = Json.object();
        out.set("tags", currentTags(userId, roomId));
        return out;
    }

    /** Adds or replaces a tag; the body is the tag's object, whose optional "order" must be a number. */
    public void putTag(String userId, String roomId, String tag, ObjectNode tagContent) {
        checkRoomId(roomId);
        checkTag(tag);
        JsonNode order = tagContent.get("order");
        if (order != null && !order.isNull() && !order.isNumber()) throw MatrixException.badJson("'order' must be a number");
        changeTags(userId, roomId, tags -> tags.set(tag, tagContent.deepCopy()));
    }

    /** Removes a tag; removing a tag the room does not have succeeds without change. */
    public void deleteTag(String userId, String roomId, String tag) {
        checkRoomId(roomId);
        checkTag(tag);
        changeTags(userId, roomId, tags -> tags.remove(tag));
    }

    private void changeTags(String userId, String roomId, java.util.function.Consumer<ObjectNode> change) {
        // Read-modify-write of one m.tag item: serialise per user so concurrent tag requests keep each other's tags.
        ReentrantLock lock = tagLocks[Math.floorMod(userId.hashCode(), STRIPES)];
        lock.lock();
        try {
            ObjectNode tags = currentTags(userId, roomId);
            ObjectNode before = tags.deepCopy();
            change.accept(tags);
            if (tags.equals(before)) return; // nothing changed: no write, no wake-up
            ObjectNode content = Json.object();
            content.set("tags", tags);
            store.put(userId, roomId, TAG_TYPE, content, () -> notifier.wake(userId));
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode currentTags(String userId, String roomId) {
        return store.get(userId, roomId, TAG_TYPE)
                .map(c -> c.get("tags") instanceof ObjectNode t ? t.deepCopy() : Json.object())
                .orElseGet(Json::object);
    }

    private static void checkType(String type) {
        if (type == null || type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
            throw MatrixException.invalidParam("Invalid account data type");
        }
    }

    /** Room IDs are '!' + opaque id (and ":server" before room version 12). */
    public static void checkRoomId(String roomId) {
        if (roomId == null || roomId.length() < 2 || roomId.charAt(0) != '!' || roomId.length() > 255
                || roomId.chars().anyMatch(c -> c <= ' ')) {
            throw MatrixException.invalidParam(roomId + " is not a valid room ID");
        }
    }

    private static void checkTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.getBytes(StandardCharsets.UTF_8).length > MAX_TAG_BYTES) {
            throw MatrixException.invalidParam("Tag names must be 1 to 255 bytes long");
        }
    }
}
