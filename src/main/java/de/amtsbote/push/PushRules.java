package de.amtsbote.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.sync.Notifier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every user's push rules: loaded from the {@link AccountDataStore} on first use and then kept in memory, so
 * evaluating rules for each member of a room on every message needs no database read.
 *
 * <p>Changes for one user are serialised (a striped lock) and go through {@link #change}: the changed rules
 * are stored, the full client JSON is also stored as global account data {@code m.push_rules} (that is how
 * other devices learn of the change through /sync), the cache is replaced and the user's long-polls woken.
 */
public final class PushRules {
    /** The account data type under which clients receive their push rules in /sync. */
    public static final String ACCOUNT_DATA_TYPE = "m.push_rules";

    /** What is cached per user. Both trees are shared: callers must not modify them. */
    private record Entry(ObjectNode stored, ObjectNode clientJson, CompiledRules compiled) {
        Entry(ObjectNode stored, ObjectNode clientJson) {
            this(stored, clientJson, new CompiledRules((ObjectNode) clientJson.get("global")));
        }
    }

    private static final int STRIPES = 64;

    private final AccountDataStore store;
    private final Notifier notifier;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public PushRules(AccountDataStore store, Notifier notifier) {
        this.store = store;
        this.notifier = notifier;
        for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
    }

    /** The body of GET /pushrules/: {@code {"global": {...}}}. A fresh copy the caller may modify. */
    public ObjectNode clientJson(String userId) {
        return entry(userId).clientJson().deepCopy();
    }

    /**
     * The "global" ruleset in evaluation order, as {@link PushRuleEvaluator#evaluate} takes it. Shared with the
     * cache: read-only.
     */
    public ObjectNode globalRuleset(String userId) {
        return (ObjectNode) entry(userId).clientJson().get("global");
    }

    /** Runs the user's rules against an event (hot path: no database read once the user is cached). */
    public PushRuleEvaluator.Result evaluate(String userId, ObjectNode event, PushRuleEvaluator.EvalContext ctx) {
        return entry(userId).compiled().evaluate(event, ctx);
    }

    /**
     * Reads from a private copy of the user's rule set, e.g. {@code set -> set.getRule(scope, kind, id)}. The
     * function may throw MatrixException (unknown rule, bad kind), which reaches the caller unchanged.
     */
    public <T> T read(String userId, Function<PushRuleSet, T> reader) {
        return reader.apply(PushRuleSet.fromStorageJson(userId, entry(userId).stored()));
    }

    /**
     * Changes the user's rules. The change runs on a fresh copy under the user's lock; if it throws (e.g. a
     * MatrixException for a bad rule) nothing is stored. Otherwise the rules and the m.push_rules account
     * data are stored, the cache is updated and the user woken. Returns once the change is durable.
     */
    public void change(String userId, Consumer<PushRuleSet> change) {
        ReentrantLock lock = lockFor(userId);
        lock.lock();
        try {
            PushRuleSet set = PushRuleSet.fromStorageJson(userId, loadLocked(userId).stored());
            change.accept(set); // a rejected change throws here, before anything is stored
            Entry updated = new Entry(set.toStorageJson(), set.toClientJson());
            try {
                store.putPushRules(userId, updated.stored());
                // Holding the lock until the account data is written keeps its stream order equal to the change order.
                store.put(userId, "", ACCOUNT_DATA_TYPE, updated.clientJson().deepCopy(), () -> notifier.wake(userId));
            } catch (RuntimeException e) {
                // The database may or may not hold the change now: read it again next time.
                cache.remove(userId);
                throw e;
            }
            cache.put(userId, updated);
        } finally {
            lock.unlock();
        }
    }

    /** Drops a user's cached rules (e.g. when the account is deactivated); the next use reloads them. */
    public void forget(String userId) {
        cache.remove(userId);
    }

    private Entry entry(String userId) {
        Entry e = cache.get(userId);
        if (e != null) return e;
        ReentrantLock lock = lockFor(userId);
        lock.lock();
        try {
            return loadLocked(userId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Loads under the user's lock, so a load racing with {@link #change} cannot put rules into the cache that
     * the change has already replaced.
     */
    private Entry loadLocked(String userId) {
        Entry e = cache.get(userId);
        if (e != null) return e;
        PushRuleSet set = PushRuleSet.fromStorageJson(userId, store.pushRules(userId).orElse(null));
        e = new Entry(set.toStorageJson(), set.toClientJson());
        cache.put(userId, e);
        return e;
    }

    private ReentrantLock lockFor(String userId) {
        return locks[Math.floorMod(userId.hashCode(), STRIPES)];
    }
}
