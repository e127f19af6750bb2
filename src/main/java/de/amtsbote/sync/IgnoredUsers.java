package de.amtsbote.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.AccountDataStore;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's m.ignored_user_list (global account data) as a set, cached: /sync asks on every request. The
 * cache learns of changes through {@link #watching}, which wraps the account data store the writers use.
 */
public final class IgnoredUsers {
    public static final String TYPE = "m.ignored_user_list";
    private final AccountDataStore store;
    private final ConcurrentHashMap<String, Set<String>> cache = new ConcurrentHashMap<>();

    public IgnoredUsers(AccountDataStore store) { this.store = store; }

    public Set<String> of(String userId) { return cache.computeIfAbsent(userId, this::load); }

    public void invalidate(String userId) { cache.remove(userId); }

    private Set<String> load(String userId) {
        Optional<ObjectNode> content = store.get(userId, "", TYPE);
        if (content.isEmpty()) return Set.of();
        JsonNode list = content.get().path("ignored_users");
        if (!list.isObject()) return Set.of();
        Set<String> out = new HashSet<>();
        list.fieldNames().forEachRemaining(out::add);
        out.remove(userId);
        return Set.copyOf(out);
    }

    /** The given store, telling this cache whenever someone's ignore list is written (before waking /sync). */
    public AccountDataStore watching(AccountDataStore delegate) {
        return new AccountDataStore() {
            @Override
            public long put(String userId, String roomId, String type, ObjectNode content, Runnable afterCommit) {
                if (!roomId.isEmpty() || !type.equals(TYPE)) return delegate.put(userId, roomId, type, content, afterCommit);
                long pos = delegate.put(userId, roomId, type, content, () -> {
                    invalidate(userId);
                    if (afterCommit != null) afterCommit.run();
                });
                invalidate(userId);
                return pos;
            }

            @Override
            public Optional<ObjectNode> get(String userId, String roomId, String type) {
                return delegate.get(userId, roomId, type);
            }

            @Override
            public List<Item> since(String userId, long after, long upTo) { return delegate.since(userId, after, upTo); }

            @Override
            public String addFilter(String userId, ObjectNode filter) { return delegate.addFilter(userId, filter); }

            @Override
            public Optional<ObjectNode> filter(String userId, String filterId) { return delegate.filter(userId, filterId); }

            @Override
            public Optional<ObjectNode> pushRules(String userId) { return delegate.pushRules(userId); }

            @Override
            public void putPushRules(String userId, ObjectNode rules) { delegate.putPushRules(userId, rules); }
        };
    }
}
