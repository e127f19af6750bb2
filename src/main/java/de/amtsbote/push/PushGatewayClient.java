package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.Room;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.PusherStore.Pusher;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends push notifications to the users' push gateways (push gateway API, POST /_matrix/push/v1/notify).
 * Told about each committed event that notifies someone; the work runs on virtual threads, never on the
 * writer's thread or in the request that sent the event. The unread count sent is the user's count when the
 * notification is prepared, which in a burst may already include the next messages (a badge wants the latest).
 *
 * <p>Each pusher has its own queue, drained by one virtual thread at a time, so a gateway sees a pusher's
 * notifications in order and a slow gateway holds up only its own pushers. A failed delivery (network error,
 * 5xx, 408, 429) is retried after 1 s, 2 s, 4 s ... (at most a minute apart) and given up after 10 tries. The
 * queues and retries live in memory only: notifications still waiting at shutdown are lost (the user still has
 * them in /sync and /notifications). A gateway that answers {@code rejected: [pushkey]} gets the pusher removed.
 * Web pushers are delivered by {@link WebPushSender} instead, with the same queues and retries.
 */
public final class PushGatewayClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PushGatewayClient.class.getName());
    /** Notifications waiting per pusher; beyond this the oldest are dropped (a phone wants the latest). */
    private static final int MAX_QUEUED = 100;
    private static final int MAX_ATTEMPTS = 10;

    private final Pushers pushers;
    private final Function<String, Room> rooms;
    private final PushNotificationPolicy policy;
    private final ToIntFunction<String> unreadCount;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();
    private volatile Duration firstRetry = Duration.ofSeconds(1);
    private volatile Duration maxRetry = Duration.ofMinutes(1);
    /** Delivery to web pushers; null until {@link #enableWebPush} (web pushers then get nothing). */
    private volatile WebPushSender webPush;

    /**
     * rooms: the room of an event (names for the full format); policy: the members' push rules, again, for the
     * tweaks; unreadCount: a user's unread notifications over all rooms.
     */
    public PushGatewayClient(Pushers pushers, Function<String, Room> rooms, PushNotificationPolicy policy,
                             ToIntFunction<String> unreadCount) {
        this.pushers = pushers;
        this.rooms = rooms;
        this.policy = policy;
        this.unreadCount = unreadCount;
        executor.execute(this::dispatchLoop);
    }

    /** Delivers web pushers' notifications to their browsers' push services, signed with this VAPID key. */
    public void enableWebPush(VapidKey vapid, String subject) {
        this.webPush = new WebPushSender(vapid, subject, http);
    }

    /** Tests shorten the waits between tries. */
    public void useRetryDelays(Duration first, Duration max) {
        this.firstRetry = first;
        this.maxRetry = max;
    }

    private record Committed(String roomId, String eventId, ObjectNode pdu, List<EventStore.Notification> notified) {}

    /**
     * Committed events in commit order, for the one dispatcher thread: one thread, so that a pusher's queue gets
     * the events in the order they were sent. Bounded: if the dispatcher ever falls this far behind, pushes are
     * dropped rather than the memory.
     */
    private final LinkedBlockingQueue<Committed> committed = new LinkedBlockingQueue<>(10_000);

    private void dispatchLoop() {
        try {
            while (true) {
                Committed c = committed.take();
                try {
                    dispatch(c.roomId(), c.eventId(), c.pdu(), c.notified());
                } catch (RuntimeException e) {
                    if (executor.isShutdown()) return;
                    LOG.log(Level.WARNING, "preparing push notifications for " + c.eventId() + " failed", e);
                }
            }
        } catch (InterruptedException e) {
            // shutdown
        }
    }

    /** After the commit of an event that notifies the given users (on the writer's thread); returns at once. */
    public void eventCommitted(String roomId, String eventId, ObjectNode pdu, List<EventStore.Notification> notified) {
        if (!committed.offer(new Committed(roomId, eventId, pdu, notified))) {
            LOG.warning("push dispatch is behind; no push for " + eventId);
        }
    }

    private void dispatch(String roomId, String eventId, ObjectNode pdu, List<EventStore.Notification> notified) {
        for (EventStore.Notification n : notified) {
            List<Pusher> list = pushers.forUser(n.userId());
            if (list.isEmpty()) continue;
            int unread = unreadCount.applyAsInt(n.userId());
            Room room = rooms.apply(roomId);
            ObjectNode tweaks = tweaks(room, pdu, n);
            for (Pusher p : list) {
                if (!"http".equals(p.kind())) continue;
                enqueue(p, PushNotification.body(p, roomId, eventId, pdu, n.userId(), unread, tweaks, room));
            }
        }
    }

    /** The set_tweak actions of the rule that matched (sound, highlight), as the gateway wants them. */
    private ObjectNode tweaks(Room room, ObjectNode pdu, EventStore.Notification n) {
        ObjectNode tweaks = Json.object();
        if (room != null) {
            for (JsonNode action : policy.evaluate(room, pdu, n.userId()).actions()) {
                JsonNode name = action.get("set_tweak");
                if (name == null || !name.isTextual()) continue;
                JsonNode value = action.get("value");
                // highlight without a value means true (push rules spec).
                tweaks.set(name.textValue(), value == null ? com.fasterxml.jackson.databind.node.BooleanNode.TRUE : value);
            }
        }
        // The stored decision is the one /sync counted; it wins over a re-evaluation against later state.
        if (n.highlight()) tweaks.put("highlight", true);
        else tweaks.remove("highlight");
        return tweaks;
    }

    private record Item(Pusher pusher, ObjectNode body) {}

    /** One pusher's queue; running while a virtual thread drains it. */
    private static final class Worker {
        final ArrayDeque<Item> queue = new ArrayDeque<>();
        boolean running;
        boolean failing;
    }

    private static String key(Pusher p) { return p.userId() + "\u0000" + p.appId() + "\u0000" + p.pushkey(); }

    private void enqueue(Pusher p, ObjectNode body) {
        Worker w = workers.computeIfAbsent(key(p), k -> {
            Worker fresh = new Worker();
            fresh.failing = p.failingSince() != null;
            return fresh;
        });
        boolean start;
        synchronized (w) {
            if (w.queue.size() >= MAX_QUEUED) w.queue.pollFirst();
            w.queue.addLast(new Item(p, body));
            start = !w.running;
            w.running = true;
        }
        if (start) executor.execute(() -> drain(w));
    }

    private void drain(Worker w) {
        while (true) {
            Item item;
            synchronized (w) {
                item = w.queue.pollFirst();
                if (item == null) {
                    w.running = false;
                    return;
                }
            }
            try {
                if (!deliver(w, item)) return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // At shutdown the interrupted thread's database write fails; that is no delivery problem.
                if (executor.isShutdown()) return;
                LOG.log(Level.WARNING, "push delivery failed", e);
            }
        }
    }

    enum Outcome { DELIVERED, REJECTED, RETRY, GIVE_UP }

    /** Delivers one notification with retries; false if the pusher is gone (its queue is dropped). */
    private boolean deliver(Worker w, Item item) throws InterruptedException {
        Pusher p = item.pusher();
        Duration delay = firstRetry;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Outcome outcome = post(p, item.body());
            switch (outcome) {
                case DELIVERED -> {
                    if (w.failing) {
                        w.failing = false;
                        pushers.failing(p, null);
                    }
                    return true;
                }
                case REJECTED -> {
                    LOG.info("push gateway rejected a pushkey of " + p.userId() + " (" + p.appId() + "); pusher removed");
                    pushers.remove(p.userId(), p.appId(), p.pushkey());
                    synchronized (w) {
                        w.queue.clear();
                        w.running = false;
                        workers.remove(key(p), w);
                    }
                    return false;
                }
                case GIVE_UP -> {
                    return true;
                }
                case RETRY -> {
                    if (!w.failing) {
                        w.failing = true;
                        pushers.failing(p, System.currentTimeMillis());
                    }
                    if (attempt < MAX_ATTEMPTS) {
                        Thread.sleep(delay);
                        delay = delay.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : delay.multipliedBy(2);
                    }
                }
            }
        }
        LOG.warning("giving up a push notification for " + p.userId() + " (" + p.appId() + ") after "
                + MAX_ATTEMPTS + " tries");
        return true;
    }

    private Outcome post(Pusher p, ObjectNode body) throws InterruptedException {
        String target = p.data().path(Pushers.WEB_PUSH_APP_ID.equals(p.appId()) ? "endpoint" : "url").asText("");
        try {
            if (!pushers.targets().mayDeliverTo(URI.create(target))) {
                LOG.warning(() -> "push to " + p.userId() + "'s pusher not sent: its address is in the server's own network");
                return Outcome.GIVE_UP;
            }
        } catch (IllegalArgumentException e) {
            return Outcome.GIVE_UP;
        }
        if (Pushers.WEB_PUSH_APP_ID.equals(p.appId())) {
            WebPushSender sender = webPush;
            return sender == null ? Outcome.GIVE_UP : sender.send(p, body);
        }
        String url = p.data().path("url").asText("");
        HttpResponse<String> resp;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))).build();
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.fine(() -> "push gateway " + url + " unreachable: " + e);
            return Outcome.RETRY;
        } catch (IllegalArgumentException e) {
            LOG.warning("pusher of " + p.userId() + " has an unusable URL");
            return Outcome.GIVE_UP;
        }
        int status = resp.statusCode();
        if (status >= 200 && status < 300) return rejected(resp.body(), p.pushkey()) ? Outcome.REJECTED : Outcome.DELIVERED;
        if (status >= 500 || status == 408 || status == 429) return Outcome.RETRY;
        // Another 4xx: the gateway will not take this request however often we send it.
        LOG.warning("push gateway " + url + " answered " + status + " for a notification of " + p.userId());
        return Outcome.GIVE_UP;
    }

    private static boolean rejected(String responseBody, String pushkey) {
        JsonNode r;
        try {
            r = Json.parse(responseBody).path("rejected");
        } catch (RuntimeException e) {
            return false;
        }
        if (!r.isArray()) return false;
        for (JsonNode k : r) if (pushkey.equals(k.asText(null))) return true;
        return false;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
