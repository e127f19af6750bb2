package de.amtsbote.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** Per-user client settings: account data (global and per room), sync filters and push rules. */
public interface AccountDataStore {
    /** roomId is "" for global account data. */
    record Item(String roomId, String type, ObjectNode content, long streamPos) {}

    /** Stores account data; afterCommit runs once it is durable. Returns the stream position. */
    long put(String userId, String roomId, String type, ObjectNode content, Runnable afterCommit);

    Optional<ObjectNode> get(String userId, String roomId, String type);

    /** All items with after < stream_pos <= upTo. */
    List<Item> since(String userId, long after, long upTo);

    String addFilter(String userId, ObjectNode filter);

    Optional<ObjectNode> filter(String userId, String filterId);

    Optional<ObjectNode> pushRules(String userId);

    void putPushRules(String userId, ObjectNode rules);
}
