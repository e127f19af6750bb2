package de.amtsbote.appservice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.storage.AppserviceStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pushes events to the application services, one worker (virtual thread) per service with a URL.
 *
 * <p>Durable and in order: a service's stream position in the database says how far the events table has
 * been turned into transactions. A worker builds one transaction at a time from the events after it (at most
 * {@link #MAX_EVENTS} of them), stores it together with the new position, and sends it until the service
 * answers 2xx (same txn id, same body each time), waiting 1 s, 2 s, 4 s ... up to {@code maxBackoffMs}
 * between tries. Only then is the next one built. A restart resumes with the stored transaction. The send
 * path only wakes the workers (a commit listener on the writer), it never waits for them.
 */
public final class TransactionQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TransactionQueue.class.getName());
    static final int MAX_EVENTS = 100;
    /** Positions skipped over uninteresting events are saved at most this often (re-scanning them is harmless). */
    private static final long SAVE_POSITION_MS = 30_000;

    private final AppserviceStore store;
    private final AppserviceClient client;
    private final ClientEvents clientEvents;
    private final LongSupplier committedPos;
    private final Function<String, Set<String>> joinedMembers;
    private final Function<String, List<String>> aliasesOf;
    private final String serverName;
    private final long maxBackoffMs;
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean running = true;
    /** Counted down at close: ends the workers' waits without interrupting a database call. */
    private final java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);

    TransactionQueue(List<Registration> registrations, String serverName, AppserviceStore store, AppserviceClient client,
                     ClientEvents clientEvents, LongSupplier committedPos, Function<String, Set<String>> joinedMembers,
                     Function<String, List<String>> aliasesOf, long maxBackoffMs) {
        this.store = store;
        this.client = client;
        this.clientEvents = clientEvents;
        this.committedPos = committedPos;
        this.joinedMembers = joinedMembers;
        this.aliasesOf = aliasesOf;
        this.serverName = serverName;
        this.maxBackoffMs = maxBackoffMs;
        for (Registration r : registrations) {
            // Without a URL the service wants no traffic; it still gets a position so nothing is replayed later.
            long start = store.positionOrStart(r.id(), committedPos.getAsLong());
            if (r.url() != null) workers.add(new Worker(r, start));
        }
    }

    void start() {
        for (Worker w : workers) w.thread = Thread.ofVirtual().name("appservice-" + w.as.id()).start(w::run);
    }

    /**
     * Ephemeral data (m.typing, m.receipt with room_id) for services with receive_ephemeral. Kept in memory
     * until the next transaction is built (then it is as durable as the transaction); onlyFor: a private
     * receipt goes only to a service whose namespace has its user. Cheap: the interest check is the worker's.
     */
    public void ephemeral(String roomId, ObjectNode edu, String onlyFor) {
        for (Worker w : workers) {
            if (!w.as.receiveEphemeral()) continue;
            if (onlyFor != null && !w.as.isInterestedInUser(onlyFor, serverName)) continue;
            w.inbox.add(new Ephemeral(roomId, edu));
            if (w.inboxSize.incrementAndGet() > MAX_EPHEMERAL) {
                w.inbox.poll();
                w.inboxSize.decrementAndGet();
            }
            w.wake.release();
        }
    }

    /**
     * A to-device message for a user in the namespaces of services with push_to_device (MSC2409's format:
     * type, sender, to_user_id, to_device_id, content). In memory until the next transaction, like ephemeral.
     */
    public void toDevice(String userId, ObjectNode message) {
        for (Worker w : workers) {
            if (!w.as.pushToDevice() || !w.as.isInterestedInUser(userId, serverName)) continue;
            w.inbox.add(new Ephemeral(null, message));
            if (w.inboxSize.incrementAndGet() > MAX_EPHEMERAL) {
                w.inbox.poll();
                w.inboxSize.decrementAndGet();
            }
            w.wake.release();
        }
    }

    /** roomId null: a to-device message. */
    private record Ephemeral(String roomId, ObjectNode edu) {}

    private static final int MAX_EPHEMERAL = 1000;

    /** The service answered a ping: a transaction waiting in backoff is retried at once. */
    public void retryNow(String asId) {
        for (Worker w : workers) if (w.as.id().equals(asId)) w.retryNow.release();
    }

    /** New rows are committed: let every worker look. Cheap; called on the writer thread. */
    public void wake() {
        for (Worker w : workers) w.wake.release();
    }

    @Override
    public void close() {
        running = false;
        stopping.countDown();
        for (Worker w : workers) {
            w.wake.release();
            w.retryNow.release();
        }
        for (Worker w : workers) {
            try {
                if (w.thread != null && !w.thread.join(java.time.Duration.ofSeconds(3))) {
                    w.thread.interrupt(); // stuck in a slow HTTP call to the service
                    w.thread.join(2_000);
                }
                if (w.pos > w.savedPos) store.advance(w.as.id(), w.pos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "saving the position of " + w.as.id() + " failed", e);
            }
        }
    }

    private final class Worker {
        final Registration as;
        final Semaphore wake = new Semaphore(0);
        /** Ends a backoff wait early: the service just proved it is reachable (ping) or we are stopping. */
        final Semaphore retryNow = new Semaphore(0);
        final java.util.concurrent.ConcurrentLinkedQueue<Ephemeral> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicInteger inboxSize = new java.util.concurrent.atomic.AtomicInteger();
        Thread thread;
        long pos;
        long savedPos;
        long lastSaveMs = System.currentTimeMillis();

        Worker(Registration as, long pos) {
            this.as = as;
            this.pos = pos;
            this.savedPos = pos;
        }

        void run() {
            long backoff = 1_000;
            while (running) {
                try {
                    AppserviceStore.Txn txn = store.oldestTxn(as.id()).orElseGet(this::build);
                    if (txn == null) {
                        // Nothing new; a commit wakes us, the timeout covers a wake that raced the publish.
                        wake.tryAcquire(5, TimeUnit.SECONDS);
                        wake.drainPermits();
                        continue;
                    }
                    if (deliver(txn)) {
                        store.deleteTxn(as.id(), txn.txnId());
                        backoff = 1_000;
                    } else {
                        retryNow.drainPermits();
                        boolean early = retryNow.tryAcquire(backoff, TimeUnit.MILLISECONDS);
                        if (!running) return;
                        backoff = early ? 1_000 : Math.min(backoff * 2, maxBackoffMs);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!running) return;
                    // A database hiccup: try again later rather than lose the worker.
                    LOG.log(Level.WARNING, "application service " + as.id() + ": queue step failed", e);
                    try {
                        if (stopping.await(backoff, TimeUnit.MILLISECONDS)) return;
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, maxBackoffMs);
                }
            }
        }

        private boolean deliver(AppserviceStore.Txn txn) throws InterruptedException {
            try {
                AppserviceClient.Answer a = client.putTransaction(as, txn.txnId(), txn.body());
                if (a.ok()) return true;
                LOG.warning(() -> "application service " + as.id() + " refused transaction " + txn.txnId()
                        + " with HTTP " + a.status() + "; retrying");
            } catch (IOException e) {
                LOG.fine(() -> "application service " + as.id() + " unreachable (" + e + "); retrying");
            }
            return false;
        }

        /** The next transaction from the events after our position, or null if there is nothing for us. */
        private AppserviceStore.Txn build() {
            while (running) {
                long upTo = committedPos.getAsLong();
                if (upTo <= pos && inbox.isEmpty()) return null;
                List<StoredEvent> events = upTo > pos ? store.eventsBetween(pos, upTo, MAX_EVENTS) : List.of();
                long newPos = events.size() == MAX_EVENTS ? events.getLast().streamPos() : Math.max(pos, upTo);
                EventInterest interest = new EventInterest(as, serverName, joinedMembers, aliasesOf);
                ArrayNode out = Json.array();
                for (StoredEvent e : events) {
                    if (interest.interested(e)) out.add(clientEvents.format(e, null));
                }
                ArrayNode ephemeral = Json.array();
                ArrayNode toDevice = Json.array();
                for (Ephemeral e; ephemeral.size() + toDevice.size() < MAX_EVENTS && (e = inbox.poll()) != null; ) {
                    inboxSize.decrementAndGet();
                    if (e.roomId() == null) toDevice.add(e.edu());
                    else if (interest.room(e.roomId())) ephemeral.add(e.edu());
                }
                if (out.isEmpty() && ephemeral.isEmpty() && toDevice.isEmpty()) {
                    if (newPos == pos) return null;
                    pos = newPos;
                    long now = System.currentTimeMillis();
                    if (now - lastSaveMs > SAVE_POSITION_MS) {
                        store.advance(as.id(), pos);
                        savedPos = pos;
                        lastSaveMs = now;
                    }
                    continue;
                }
                ObjectNode body = Json.object();
                body.set("events", out);
                if (!ephemeral.isEmpty()) {
                    // The spec's name (v1.13) and MSC2409's, which older bridges (matrix-bot-sdk) read.
                    body.set("ephemeral", ephemeral);
                    body.set("de.sorunome.msc2409.ephemeral", ephemeral);
                }
                if (!toDevice.isEmpty()) body.set("de.sorunome.msc2409.to_device", toDevice);
                AppserviceStore.Txn txn = store.addTxn(as.id(), newPos, Json.write(body), System.currentTimeMillis());
                pos = newPos;
                savedPos = newPos;
                return txn;
            }
            return null;
        }
    }
}
