// Amtsbote load benchmark — a single-file Java 25 program.
//
//   ulimit -n 20000   # or higher where allowed; the idle scenario needs ~1 socket per long-poll
//   java -cp target/amtsbote.jar bench/Bench.java --url http://127.0.0.1:8008 \
//        --admin-user admin --admin-password secret [--scenario all|idle|room|sends] [--seconds 60] \
//        [--server-pid PID]
//
// Uses only the JDK (java.net.http, virtual threads) plus Jackson from the server jar.
// It only ever talks to the given URL, and refuses any URL whose host is not a loopback address.
// See bench/README.md for all options and the meaning of each figure.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

public class Bench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long T0 = System.nanoTime();

    static long nowMicros() {
        return (System.nanoTime() - T0) / 1000;
    }

    // ------------------------------------------------------------------ options

    static final class Opts {
        String url;
        String adminUser;
        String adminPassword;
        String scenario = "all";
        int seconds = 60;
        long serverPid = -1;
        int clients = 8; // HttpClient instances (each has its own selector thread)
        // idle
        int idlePolls = 10_000;
        int idleUsers = 100;
        int rampPerSec = 2_000;
        int syncTimeoutMs = 30_000;
        // room
        int roomMembers = 50;
        int rate = 200;
        int graceSeconds = 15;
        int maxInFlightSends = 500;
        // sends
        int senders = 64;
        String sendsVariant = "both"; // own|shared|both

        static Opts parse(String[] args) {
            Opts o = new Opts();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    usage(null);
                }
                if (i + 1 >= args.length) usage("missing value for " + a);
                String v = args[++i];
                try {
                    switch (a) {
                        case "--url" -> o.url = v.replaceAll("/+$", "");
                        case "--admin-user" -> o.adminUser = v;
                        case "--admin-password" -> o.adminPassword = v;
                        case "--scenario" -> o.scenario = v;
                        case "--seconds" -> o.seconds = Integer.parseInt(v);
                        case "--server-pid" -> o.serverPid = Long.parseLong(v);
                        case "--clients" -> o.clients = Integer.parseInt(v);
                        case "--idle-polls" -> o.idlePolls = Integer.parseInt(v);
                        case "--idle-users" -> o.idleUsers = Integer.parseInt(v);
                        case "--ramp-per-sec" -> o.rampPerSec = Integer.parseInt(v);
                        case "--sync-timeout-ms" -> o.syncTimeoutMs = Integer.parseInt(v);
                        case "--room-members" -> o.roomMembers = Integer.parseInt(v);
                        case "--rate" -> o.rate = Integer.parseInt(v);
                        case "--grace-seconds" -> o.graceSeconds = Integer.parseInt(v);
                        case "--max-inflight-sends" -> o.maxInFlightSends = Integer.parseInt(v);
                        case "--senders" -> o.senders = Integer.parseInt(v);
                        case "--sends-variant" -> o.sendsVariant = v;
                        default -> usage("unknown option " + a);
                    }
                } catch (NumberFormatException e) {
                    usage("not a number for " + a + ": " + v);
                }
            }
            if (o.url == null || o.adminUser == null || o.adminPassword == null) {
                usage("--url, --admin-user and --admin-password are required");
            }
            if (!List.of("all", "idle", "room", "sends").contains(o.scenario)) usage("bad --scenario " + o.scenario);
            if (!List.of("own", "shared", "both").contains(o.sendsVariant)) usage("bad --sends-variant " + o.sendsVariant);
            // hard bounds so that a typo cannot turn this into an unbounded load generator
            check(o.seconds >= 1 && o.seconds <= 3600, "--seconds must be 1..3600");
            check(o.idlePolls >= 1 && o.idlePolls <= 60_000, "--idle-polls must be 1..60000");
            check(o.idleUsers >= 1 && o.idleUsers <= 5_000, "--idle-users must be 1..5000");
            check(o.roomMembers >= 2 && o.roomMembers <= 1_000, "--room-members must be 2..1000");
            check(o.rate >= 1 && o.rate <= 20_000, "--rate must be 1..20000");
            check(o.senders >= 1 && o.senders <= 1_000, "--senders must be 1..1000");
            check(o.clients >= 1 && o.clients <= 256, "--clients must be 1..256");
            check(o.graceSeconds >= 0 && o.graceSeconds <= 600, "--grace-seconds must be 0..600");
            check(o.syncTimeoutMs >= 0 && o.syncTimeoutMs <= 120_000, "--sync-timeout-ms must be 0..120000");
            return o;
        }

        static void check(boolean ok, String msg) {
            if (!ok) usage(msg);
        }

        static void usage(String err) {
            if (err != null) System.err.println("error: " + err + "\n");
            System.err.println("""
                usage: java -cp target/amtsbote.jar bench/Bench.java --url http://127.0.0.1:8008 \\
                         --admin-user USER --admin-password PASS [options]
                  --scenario all|idle|room|sends   (default all)
                  --seconds N                      duration of each scenario phase (default 60)
                  --server-pid PID                 read VmRSS/VmHWM of the server from /proc/PID/status
                  --clients N                      number of HttpClient instances (default 8)
                 idle:  --idle-polls 10000 --idle-users 100 --ramp-per-sec 2000 --sync-timeout-ms 30000
                 room:  --room-members 50 --rate 200 (messages/s) --grace-seconds 15 --max-inflight-sends 500
                 sends: --senders 64 --sends-variant own|shared|both
                """);
            System.exit(err == null ? 0 : 2);
        }
    }

    // ------------------------------------------------------------------ HTTP

    record Resp(int status, JsonNode json, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String errcode() {
            return json != null && json.hasNonNull("errcode") ? json.get("errcode").asText() : "";
        }

        String describe() {
            return "HTTP " + status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    static final class Api {
        final URI base;
        final HttpClient[] clients;
        final AtomicInteger rr = new AtomicInteger();
        final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

        Api(String url, int n) throws IOException {
            this.base = URI.create(url);
            String host = base.getHost();
            if (host == null || base.getScheme() == null || !base.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL: " + url);
            }
            InetAddress[] addrs = InetAddress.getAllByName(host);
            for (InetAddress a : addrs) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("refusing to load " + url + ": " + host + " resolves to non-loopback " + a.getHostAddress());
                }
            }
            boolean v4 = addrs[0] instanceof Inet4Address;
            clients = new HttpClient[n];
            for (int i = 0; i < n; i++) {
                HttpClient.Builder b = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor);
                if (v4) b.localAddress(InetAddress.getByName("127.0.0.1"));
                clients[i] = b.build();
            }
        }

        HttpClient next() {
            return clients[Math.floorMod(rr.getAndIncrement(), clients.length)];
        }

        Resp call(String method, String pathAndQuery, String token, Object body, Duration timeout) throws IOException, InterruptedException {
            return call(next(), method, pathAndQuery, token, body, timeout);
        }

        Resp call(HttpClient c, String method, String pathAndQuery, String token, Object body, Duration timeout) throws IOException, InterruptedException {
            HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout);
            if (token != null) rb.header("Authorization", "Bearer " + token);
            if (body != null) {
                rb.header("Content-Type", "application/json");
                rb.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> r = c.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String text = new String(r.body(), StandardCharsets.UTF_8);
            try {
                if (r.body().length > 0) json = JSON.readTree(r.body());
            } catch (IOException ignored) {
                // not JSON
            }
            return new Resp(r.statusCode(), json, text);
        }

        void shutdownNow() {
            for (HttpClient c : clients) c.shutdownNow();
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String errorKind(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c && (c.getMessage() == null || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        String m = c.getMessage();
        if (m != null && m.length() > 80) m = m.substring(0, 80);
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static String errorKind(Resp r) {
        return "HTTP " + r.status + (r.errcode().isEmpty() ? "" : " " + r.errcode());
    }

    /** Counts errors by kind. */
    static final class Errors {
        final ConcurrentHashMap<String, LongAdder> byKind = new ConcurrentHashMap<>();

        void add(String kind) {
            byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        long total() {
            return byKind.values().stream().mapToLong(LongAdder::sum).sum();
        }

        String summary() {
            if (byKind.isEmpty()) return "none";
            StringBuilder sb = new StringBuilder();
            new TreeMap<>(byKind).forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "; ").append(v.sum()).append("× ").append(k));
            return sb.toString();
        }
    }

    // ------------------------------------------------------------------ users

    record User(String localpart, String userId, String token) {}

    static final String RUN = HexFormat.of().formatHex(randomBytes(4));

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    static String login(Api api, String user, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "m.login.password");
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        body.put("password", password);
        body.put("initial_device_display_name", "amtsbote-bench");
        Resp r = api.call("POST", "/_matrix/client/v3/login", null, body, Duration.ofSeconds(60));
        if (!r.ok()) throw new IOException("login as " + user + " failed: " + r.describe());
        return r.json().get("access_token").asText();
    }

    /** Creates n users via the admin API and logs each in (a few at a time). */
    static List<User> createUsers(Api api, String adminToken, String prefix, int n) throws Exception {
        User[] users = new User[n];
        Semaphore sem = new Semaphore(4);
        List<Thread> threads = new ArrayList<>();
        Errors errs = new Errors();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            final int idx = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    sem.acquire();
                    try {
                        String lp = "bench_" + RUN + "_" + prefix + "_" + idx;
                        String pw = "pw-" + HexFormat.of().formatHex(randomBytes(8));
                        ObjectNode body = JSON.createObjectNode();
                        body.put("username", lp).put("password", pw).put("admin", false).put("displayname", prefix + " " + idx);
                        Resp r = api.call("POST", "/_amtsbote/admin/v1/users", adminToken, body, Duration.ofSeconds(60));
                        if (!r.ok()) throw new IOException("create user " + lp + ": " + r.describe());
                        String uid = r.json().get("user_id").asText();
                        users[idx] = new User(lp, uid, login(api, lp, pw));
                    } finally {
                        sem.release();
                    }
                } catch (Exception e) {
                    errs.add(e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }));
        }
        for (Thread t : threads) t.join(Duration.ofMinutes(10));
        if (errs.total() > 0) throw new IOException("creating " + prefix + " users failed: " + errs.summary());
        System.out.printf(Locale.ROOT, "  created and logged in %d %s users in %.1f s%n", n, prefix, (System.nanoTime() - t0) / 1e9);
        return List.of(users);
    }

    static String createRoom(Api api, String token, String preset, String name) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("preset", preset).put("name", name);
        Resp r = api.call("POST", "/_matrix/client/v3/createRoom", token, body, Duration.ofSeconds(60));
        if (!r.ok()) throw new IOException("createRoom: " + r.describe());
        return r.json().get("room_id").asText();
    }

    static void joinAll(Api api, List<User> users, String roomId) throws Exception {
        Semaphore sem = new Semaphore(8);
        Errors errs = new Errors();
        List<Thread> ts = new ArrayList<>();
        for (User u : users) {
            ts.add(Thread.ofVirtual().start(() -> {
                try {
                    sem.acquire();
                    try {
                        Resp r = api.call("POST", "/_matrix/client/v3/join/" + enc(roomId), u.token(), JSON.createObjectNode(), Duration.ofSeconds(60));
                        if (!r.ok()) errs.add("join: " + r.describe());
                    } finally {
                        sem.release();
                    }
                } catch (Exception e) {
                    errs.add("join: " + errorKind(e));
                }
            }));
        }
        for (Thread t : ts) t.join(Duration.ofMinutes(5));
        if (errs.total() > 0) throw new IOException("joining " + roomId + " failed: " + errs.summary());
    }

    static String syncPath(String since, int timeoutMs, String filter) {
        StringBuilder p = new StringBuilder("/_matrix/client/v3/sync?timeout=").append(timeoutMs);
        if (since != null) p.append("&since=").append(enc(since));
        if (filter != null) p.append("&filter=").append(enc(filter));
        return p.toString();
    }

    // ------------------------------------------------------------------ server RSS

    static final class ServerMonitor implements AutoCloseable {
        final long pid;
        final Thread thread;
        volatile boolean running = true;
        volatile long startRssKb = -1, peakRssKb = -1, lastRssKb = -1, hwmKb = -1, threads = -1, peakThreads = -1, fds = -1, peakFds = -1;

        ServerMonitor(long pid) {
            this.pid = pid;
            if (pid > 0) {
                sample();
                startRssKb = lastRssKb;
                thread = Thread.ofPlatform().daemon().name("rss-monitor").start(() -> {
                    while (running) {
                        sample();
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            } else {
                thread = null;
            }
        }

        void sample() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        lastRssKb = kb(line);
                        peakRssKb = Math.max(peakRssKb, lastRssKb);
                    } else if (line.startsWith("VmHWM:")) {
                        hwmKb = kb(line);
                    } else if (line.startsWith("Threads:")) {
                        threads = Long.parseLong(line.substring(8).trim());
                        peakThreads = Math.max(peakThreads, threads);
                    }
                }
                String[] fdList = new java.io.File("/proc/" + pid + "/fd").list();
                if (fdList != null) {
                    fds = fdList.length;
                    peakFds = Math.max(peakFds, fds);
                }
            } catch (IOException | RuntimeException e) {
                // process gone or not readable
            }
        }

        static long kb(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }

        String now() {
            return pid > 0 ? String.format(Locale.ROOT, "server RSS %s, threads %d, fds %d", mb(lastRssKb), threads, fds) : "";
        }

        void addRows(List<String[]> rows) {
            if (pid <= 0) {
                rows.add(new String[] {"server RSS", "(pass --server-pid PID to measure)"});
                return;
            }
            sample();
            rows.add(new String[] {"server RSS at start", mb(startRssKb)});
            rows.add(new String[] {"server RSS peak (sampled 4/s)", mb(peakRssKb)});
            rows.add(new String[] {"server RSS at end", mb(lastRssKb)});
            rows.add(new String[] {"server VmHWM (peak since start)", mb(hwmKb)});
            rows.add(new String[] {"server threads peak / end", peakThreads + " / " + threads});
            rows.add(new String[] {"server open fds peak / end", peakFds + " / " + fds});
        }

        @Override
        public void close() {
            running = false;
            if (thread != null) thread.interrupt();
        }
    }

    static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", kb / 1024.0);
    }

    static long maxOpenFiles(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
        }
        return -1;
    }

    // ------------------------------------------------------------------ output

    static void table(String title, List<String[]> rows) {
        int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        String line = "+" + "-".repeat(w0 + 2) + "+" + "-".repeat(w1 + 2) + "+";
        System.out.println();
        System.out.println(title);
        System.out.println(line);
        for (String[] r : rows) {
            System.out.println("| " + r[0] + " ".repeat(w0 - r[0].length()) + " | " + r[1] + " ".repeat(w1 - r[1].length()) + " |");
        }
        System.out.println(line);
        System.out.flush();
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    /** p50/p95/p99/max of a (to be sorted in place) sample array of microseconds. */
    static String percentiles(long[] a, int n) {
        if (n == 0) return "no samples";
        Arrays.sort(a, 0, n);
        return "p50 " + ms(a[pct(n, 50)]) + " · p95 " + ms(a[pct(n, 95)]) + " · p99 " + ms(a[pct(n, 99)]) + " · max " + ms(a[n - 1]);
    }

    static int pct(int n, double p) {
        return (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
    }

    /** A growable long array shared by many threads. */
    static final class Samples {
        private long[] a = new long[1024];
        private int n;

        synchronized void add(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        synchronized String percentiles() {
            return Bench.percentiles(a, n);
        }

        synchronized int size() {
            return n;
        }
    }

    static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long d = deadlineNanos - System.nanoTime();
        if (d > 0) TimeUnit.NANOSECONDS.sleep(d);
    }

    // ------------------------------------------------------------------ scenario: idle

    static void idle(Opts o, Api api, String adminToken) throws Exception {
        System.out.printf(Locale.ROOT, "%n== idle: %d concurrent /sync long-polls (timeout=%d ms) over %d users for %d s ==%n",
            o.idlePolls, o.syncTimeoutMs, o.idleUsers, o.seconds);
        long myLimit = maxOpenFiles("self");
        if (myLimit >= 0 && myLimit < o.idlePolls + 500L) {
            System.out.printf("  WARNING: this process may open only %d files but needs ~%d sockets; raise `ulimit -n` (see bench/README.md)%n", myLimit, o.idlePolls + 500);
        }
        if (o.serverPid > 0) {
            long sl = maxOpenFiles(String.valueOf(o.serverPid));
            if (sl >= 0 && sl < o.idlePolls + 500L) {
                System.out.printf("  WARNING: the server (pid %d) may open only %d files; %d long-polls need more%n", o.serverPid, sl, o.idlePolls);
            }
        }
        List<User> users = createUsers(api, adminToken, "idle", o.idleUsers);
        String[] since = new String[users.size()];
        for (int i = 0; i < users.size(); i++) {
            Resp r = api.call("GET", syncPath(null, 0, null), users.get(i).token(), null, Duration.ofSeconds(60));
            if (!r.ok()) throw new IOException("initial sync of " + users.get(i).userId() + ": " + r.describe());
            since[i] = r.json().get("next_batch").asText();
        }
        System.out.println("  initial syncs done; ramping up long-polls at " + o.rampPerSec + "/s");

        Errors errors = new Errors();
        AtomicLong inFlight = new AtomicLong(), peakInFlight = new AtomicLong();
        LongAdder returned = new LongAdder(), early = new LongAdder(), issued = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        Samples pollDurations = new Samples();
        Duration reqTimeout = Duration.ofMillis(o.syncTimeoutMs + 30_000L);
        long earlyThresholdMicros = (long) (o.syncTimeoutMs * 1000L * 0.8);

        try (ServerMonitor mon = new ServerMonitor(o.serverPid)) {
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(o.seconds);
            AtomicLong allIssuedAt = new AtomicLong(-1);
            List<Thread> pollers = new ArrayList<>(o.idlePolls);
            CountDownLatch firstIssued = new CountDownLatch(o.idlePolls);
            for (int i = 0; i < o.idlePolls; i++) {
                // pacing of the ramp
                sleepUntil(start + (long) (i * (1e9 / o.rampPerSec)));
                if (System.nanoTime() >= deadline) {
                    System.out.printf("  ramp-up did not finish within %d s: only %d of %d long-polls started%n", o.seconds, i, o.idlePolls);
                    break;
                }
                final int ui = i % users.size();
                final HttpClient client = api.clients[i % api.clients.length];
                pollers.add(Thread.ofVirtual().start(() -> {
                    String tok = since[ui];
                    String token = users.get(ui).token();
                    boolean first = true;
                    while (!stop.get() && System.nanoTime() < deadline) {
                        long t0 = nowMicros();
                        long cur = inFlight.incrementAndGet();
                        peakInFlight.accumulateAndGet(cur, Math::max);
                        issued.increment();
                        if (first) {
                            firstIssued.countDown();
                            first = false;
                        }
                        try {
                            Resp r = api.call(client, "GET", syncPath(tok, o.syncTimeoutMs, null), token, null, reqTimeout);
                            inFlight.decrementAndGet();
                            long took = nowMicros() - t0;
                            if (r.ok()) {
                                tok = r.json().get("next_batch").asText();
                                returned.increment();
                                pollDurations.add(took);
                                if (took < earlyThresholdMicros) early.increment();
                            } else {
                                if (!stop.get()) errors.add(errorKind(r));
                                Thread.sleep(1000);
                            }
                        } catch (InterruptedException e) {
                            inFlight.decrementAndGet();
                            return;
                        } catch (Exception e) {
                            inFlight.decrementAndGet();
                            if (stop.get()) return;
                            errors.add(errorKind(e));
                            try {
                                Thread.sleep(1000);
                            } catch (InterruptedException ie) {
                                return;
                            }
                        }
                    }
                }));
                if (i % 1000 == 999) {
                    System.out.printf(Locale.ROOT, "  %6.1f s: started %d pollers, in flight %d, errors %d %s%n",
                        (System.nanoTime() - start) / 1e9, i + 1, inFlight.get(), errors.total(), mon.now());
                }
            }
            if (firstIssued.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                allIssuedAt.set(System.nanoTime());
            }
            long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.max(1, Math.min(250, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                if (System.nanoTime() >= nextReport) {
                    nextReport += TimeUnit.SECONDS.toNanos(5);
                    System.out.printf(Locale.ROOT, "  %6.1f s: in flight %d, returned %d (early %d), errors %d %s%n",
                        (System.nanoTime() - start) / 1e9, inFlight.get(), returned.sum(), early.sum(), errors.total(), mon.now());
                }
            }
            long inFlightAtEnd = inFlight.get();
            stop.set(true);
            mon.sample();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"long-polls wanted / started", o.idlePolls + " / " + pollers.size()});
            rows.add(new String[] {"time until all were issued", allIssuedAt.get() < 0 ? "not all issued" : String.format(Locale.ROOT, "%.1f s", (allIssuedAt.get() - start) / 1e9)});
            rows.add(new String[] {"in flight: peak / at end", peakInFlight.get() + " / " + inFlightAtEnd});
            rows.add(new String[] {"requests issued", String.valueOf(issued.sum())});
            rows.add(new String[] {"returned 200", String.valueOf(returned.sum())});
            rows.add(new String[] {"returned early (< 80% of timeout)", String.valueOf(early.sum())});
            rows.add(new String[] {"long-poll durations", pollDurations.percentiles()});
            rows.add(new String[] {"errors", errors.total() + (errors.total() > 0 ? " (" + errors.summary() + ")" : "")});
            mon.addRows(rows);
            api.shutdownNow(); // aborts the long-polls still in flight
            for (Thread t : pollers) t.join(Duration.ofSeconds(5));
            table(String.format(Locale.ROOT, "idle: %d long-polls, %d users, %d s", o.idlePolls, o.idleUsers, o.seconds), rows);
        }
    }

    // ------------------------------------------------------------------ scenario: room

    static void room(Opts o, Api api, String adminToken) throws Exception {
        int m = o.roomMembers;
        int total = o.rate * o.seconds;
        System.out.printf(Locale.ROOT, "%n== room: %d members, %d msg/s for %d s (%d messages), all members long-poll /sync ==%n", m, o.rate, o.seconds, total);
        List<User> users = createUsers(api, adminToken, "room", m);
        String roomId = createRoom(api, users.get(0).token(), "public_chat", "bench room " + RUN);
        joinAll(api, users.subList(1, m), roomId);
        System.out.println("  room " + roomId + " created and joined by all members");

        ObjectNode f = JSON.createObjectNode();
        f.putObject("room").putArray("rooms").add(roomId);
        ((ObjectNode) f.get("room")).putObject("timeline").put("limit", 2000);
        ((ObjectNode) f.get("room")).putObject("state").put("lazy_load_members", true);
        f.putObject("presence").putArray("not_types").add("*");
        String filter = JSON.writeValueAsString(f);

        String[] since = new String[m];
        for (int i = 0; i < m; i++) {
            Resp r = api.call("GET", syncPath(null, 0, filter), users.get(i).token(), null, Duration.ofSeconds(60));
            if (!r.ok()) throw new IOException("initial sync: " + r.describe());
            since[i] = r.json().get("next_batch").asText();
        }

        // delivery bookkeeping: lat[member][seq] = latency in µs, or -1 if not delivered
        int[][] lat = new int[m][total];
        for (int[] a : lat) Arrays.fill(a, -1);
        long[] dups = new long[m];
        LongAdder delivered = new LongAdder(), foreign = new LongAdder(), limitedSyncs = new LongAdder(), syncs = new LongAdder();
        Errors syncErrors = new Errors(), sendErrors = new Errors();
        AtomicIntegerArray state = new AtomicIntegerArray(total); // 0 not sent, 1 sending, 2 acked, 3 failed, 4 skipped
        Samples ackLat = new Samples();
        AtomicBoolean stopPolls = new AtomicBoolean();
        Duration reqTimeout = Duration.ofMillis(o.syncTimeoutMs + 30_000L);
        java.util.concurrent.ConcurrentLinkedQueue<RawHttp> sendConnections = new java.util.concurrent.ConcurrentLinkedQueue<>();
        String run = RUN;

        try (ServerMonitor mon = new ServerMonitor(o.serverPid)) {
            List<Thread> pollers = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                final int mi = i;
                pollers.add(Thread.ofVirtual().start(() -> {
                    String tok = since[mi];
                    String token = users.get(mi).token();
                    int[] my = lat[mi];
                    RawHttp http = null;
                    while (!stopPolls.get()) {
                        try {
                            if (http == null) {
                                http = new RawHttp(URI.create(o.url));
                                http.timeout((int) reqTimeout.toMillis());
                            }
                            RawHttp.RawResp raw = http.request("GET", syncPath(tok, o.syncTimeoutMs, filter), token, null);
                            long now = nowMicros();
                            Resp r = new Resp(raw.status(), JSON.readTree(raw.body()), null);
                            if (!r.ok()) {
                                if (!stopPolls.get()) syncErrors.add("HTTP " + raw.status());
                                Thread.sleep(500);
                                continue;
                            }
                            syncs.increment();
                            tok = r.json().get("next_batch").asText();
                            JsonNode tl = r.json().path("rooms").path("join").path(roomId).path("timeline");
                            if (tl.path("limited").asBoolean(false)) limitedSyncs.increment();
                            for (JsonNode ev : tl.path("events")) {
                                JsonNode c = ev.path("content");
                                if (!"m.room.message".equals(ev.path("type").asText()) || !run.equals(c.path("bench_run").asText())) continue;
                                int seq = c.path("bench_seq").asInt(-1);
                                if (seq < 0 || seq >= total) {
                                    foreign.increment();
                                    continue;
                                }
                                long l = now - c.path("bench_t_us").asLong();
                                if (my[seq] >= 0) {
                                    dups[mi]++;
                                } else {
                                    my[seq] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, l));
                                    delivered.increment();
                                }
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            if (stopPolls.get()) return;
                            syncErrors.add(errorKind(e));
                            if (http != null) http.closeQuietly();
                            http = null;
                            try {
                                Thread.sleep(500);
                            } catch (InterruptedException ie) {
                                return;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(1000); // let every member's long-poll reach the server

            // open-loop sender: message seq is due at start + seq/rate
            Semaphore inFlight = new Semaphore(o.maxInFlightSends);
            long start = System.nanoTime();
            long nextReport = start + TimeUnit.SECONDS.toNanos(5);
            List<Thread> sends = new ArrayList<>();
            ExecutorService sendExec = Executors.newVirtualThreadPerTaskExecutor();
            for (int seq = 0; seq < total; seq++) {
                sleepUntil(start + (long) (seq * (1e9 / o.rate)));
                if (System.nanoTime() >= nextReport) {
                    nextReport += TimeUnit.SECONDS.toNanos(5);
                    long acked = 0;
                    for (int s = 0; s < seq; s++) if (state.get(s) == 2) acked++;
                    System.out.printf(Locale.ROOT, "  %6.1f s: due %d, acked %d, deliveries %d / %d, send errors %d, sync errors %d %s%n",
                        (System.nanoTime() - start) / 1e9, seq, acked, delivered.sum(), acked * m, sendErrors.total(), syncErrors.total(), mon.now());
                }
                if (!inFlight.tryAcquire()) {
                    state.set(seq, 4);
                    continue;
                }
                final int s = seq;
                final User sender = users.get(seq % m);
                state.set(s, 1);
                sendExec.submit(() -> {
                    RawHttp http = sendConnections.poll();
                    try {
                        if (http == null) http = new RawHttp(URI.create(o.url));
                        ObjectNode content = JSON.createObjectNode();
                        content.put("msgtype", "m.text").put("body", "bench message " + s);
                        content.put("bench_run", run).put("bench_seq", s);
                        long t = nowMicros();
                        content.put("bench_t_us", t);
                        int code = http.put("/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/" + run + "-" + s,
                            sender.token(), JSON.writeValueAsBytes(content));
                        if (code == 200) {
                            state.set(s, 2);
                            ackLat.add(nowMicros() - t);
                        } else {
                            state.set(s, 3);
                            sendErrors.add("HTTP " + code);
                        }
                        sendConnections.add(http);
                    } catch (Exception e) {
                        state.set(s, 3);
                        sendErrors.add(errorKind(e));
                        if (http != null) http.closeQuietly();
                    } finally {
                        inFlight.release();
                    }
                });
            }
            double sendPhase = (System.nanoTime() - start) / 1e9;
            sendExec.shutdown();
            if (!sendExec.awaitTermination(40, TimeUnit.SECONDS)) {
                System.out.println("  some sends still outstanding after 40 s; abandoning them");
                sendExec.shutdownNow();
            }
            long acked = 0, failed = 0, skipped = 0;
            for (int s = 0; s < total; s++) {
                switch (state.get(s)) {
                    case 2 -> acked++;
                    case 3 -> failed++;
                    case 4 -> skipped++;
                    default -> { }
                }
            }
            // grace period: wait until every acked message reached every member (or time is up)
            long graceEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.graceSeconds);
            while (System.nanoTime() < graceEnd && delivered.sum() < acked * m) Thread.sleep(100);
            double drained = (System.nanoTime() - start) / 1e9;
            stopPolls.set(true);
            api.shutdownNow();
            RawHttp.closeAll();
            for (Thread t : pollers) t.join(Duration.ofSeconds(5));
            mon.sample();

            // figures (read after the pollers have ended)
            long[] all = new long[(int) Math.min(Integer.MAX_VALUE - 8, acked * m)];
            int n = 0;
            long lost = 0, unackedDelivered = 0, dupTotal = 0;
            int membersComplete = 0;
            for (int mi = 0; mi < m; mi++) {
                dupTotal += dups[mi];
                boolean complete = true;
                for (int s = 0; s < total; s++) {
                    int l = lat[mi][s];
                    if (state.get(s) == 2) {
                        if (l < 0) {
                            lost++;
                            complete = false;
                        } else if (n < all.length) {
                            all[n++] = l;
                        }
                    } else if (l >= 0) {
                        unackedDelivered++;
                    }
                }
                if (complete) membersComplete++;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"messages due / acked (200)", total + " / " + acked});
            rows.add(new String[] {"send failures / skipped (client backlog > " + o.maxInFlightSends + ")", failed + " / " + skipped});
            rows.add(new String[] {"achieved send rate", String.format(Locale.ROOT, "%.1f msg/s (%.1f s send phase)", acked / sendPhase, sendPhase)});
            rows.add(new String[] {"send ack latency", ackLat.percentiles()});
            rows.add(new String[] {"deliveries expected (acked × members)", String.valueOf(acked * m)});
            rows.add(new String[] {"delivery latency send→sync", percentiles(all, n)});
            rows.add(new String[] {"lost (never delivered, grace " + o.graceSeconds + " s)", lost + " (" + (m - membersComplete) + " of " + m + " members missed some)"});
            rows.add(new String[] {"duplicated deliveries", String.valueOf(dupTotal)});
            rows.add(new String[] {"delivered although send failed", String.valueOf(unackedDelivered)});
            rows.add(new String[] {"syncs returned / limited", syncs.sum() + " / " + limitedSyncs.sum()});
            rows.add(new String[] {"all delivered after", delivered.sum() >= acked * m ? String.format(Locale.ROOT, "%.1f s", drained) : "not within grace"});
            rows.add(new String[] {"send errors", sendErrors.summary()});
            rows.add(new String[] {"sync errors", syncErrors.summary()});
            mon.addRows(rows);
            table(String.format(Locale.ROOT, "room: %d members, %d msg/s, %d s", m, o.rate, o.seconds), rows);
        }
    }

    // ------------------------------------------------------------------ scenario: sends

    static void sends(Opts o, Api api, String adminToken) throws Exception {
        System.out.printf(Locale.ROOT, "%n== sends: %d concurrent senders as fast as possible, %d s per variant ==%n", o.senders, o.seconds);
        List<User> users = createUsers(api, adminToken, "send", o.senders);
        if (!o.sendsVariant.equals("shared")) {
            String[] rooms = new String[users.size()];
            for (int i = 0; i < users.size(); i++) rooms[i] = createRoom(api, users.get(i).token(), "private_chat", "bench own " + i);
            sendPhase(o, api, users, rooms, "own room each");
        }
        if (!o.sendsVariant.equals("own")) {
            String roomId = createRoom(api, users.get(0).token(), "public_chat", "bench shared " + RUN);
            joinAll(api, users.subList(1, users.size()), roomId);
            String[] rooms = new String[users.size()];
            Arrays.fill(rooms, roomId);
            sendPhase(o, api, users, rooms, "all in one room");
        }
    }

    /**
     * A minimal HTTP/1.1 keep-alive client for the send loop: java.net.http costs more CPU per request than
     * the server spends on a send, and on a shared 2-core machine the load generator would measure itself.
     * Only for JSON PUTs to our own server on loopback; anything unexpected is reported as an error.
     */
    static final class RawHttp implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.InputStream in;
        private final String host;

        RawHttp(URI base) throws IOException {
            host = base.getHost() + ":" + base.getPort();
            socket = new java.net.Socket();
            socket.setTcpNoDelay(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
        }

        /** Returns the status code; the body is read and discarded. */
        int put(String path, String token, byte[] body) throws IOException {
            return request("PUT", path, token, body).status();
        }

        record RawResp(int status, byte[] body) {}

        RawResp request(String method, String path, String token, byte[] body) throws IOException {
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + (body == null ? "" : "\r\nContent-Type: application/json\r\nContent-Length: " + body.length)
                    + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) out.write(body);
            out.flush();
            String status = line();
            if (status == null || !status.startsWith("HTTP/1.1 ")) throw new IOException("bad status line: " + status);
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            String l;
            while ((l = line()) != null && !l.isEmpty()) {
                if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(l.substring(15).trim());
            }
            if (length < 0) throw new IOException("response without Content-Length");
            return new RawResp(code, in.readNBytes(length));
        }

        void timeout(int ms) throws IOException { socket.setSoTimeout(ms); }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') return sb.toString();
                if (c != '\r') sb.append((char) c);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        /** All open raw connections, so a scenario can cut its long-polls off when it ends. */
        static final java.util.Set<RawHttp> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();
        { OPEN.add(this); }

        void closeQuietly() {
            OPEN.remove(this);
            try {
                socket.close();
            } catch (IOException ignored) {
            }
        }

        static void closeAll() { for (RawHttp h : OPEN) h.closeQuietly(); }

        @Override
        public void close() throws IOException { closeQuietly(); }
    }

    /** CPU seconds (user + system) a process has used, from /proc/PID/stat; -1 if unknown. */
    static double cpuSeconds(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return -1;
        }
    }

    static void sendPhase(Opts o, Api api, List<User> users, String[] rooms, String label) throws Exception {
        System.out.println("  variant: " + label);
        LongAdder okCount = new LongAdder();
        Errors errors = new Errors();
        Samples lat = new Samples();
        try (ServerMonitor mon = new ServerMonitor(o.serverPid)) {
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(o.seconds);
            double serverCpu0 = o.serverPid > 0 ? cpuSeconds(o.serverPid) : -1;
            double clientCpu0 = cpuSeconds(ProcessHandle.current().pid());
            List<Thread> ts = new ArrayList<>();
            String variant = label.startsWith("own") ? "o" : "s";
            for (int i = 0; i < users.size(); i++) {
                final int si = i;
                ts.add(Thread.ofVirtual().start(() -> {
                    User u = users.get(si);
                    String path = "/_matrix/client/v3/rooms/" + enc(rooms[si]) + "/send/m.room.message/" + RUN + "-" + variant + si + "-";
                    long k = 0;
                    RawHttp http = null;
                    while (System.nanoTime() < deadline) {
                        k++;
                        byte[] body = ("{\"msgtype\":\"m.text\",\"body\":\"fast " + si + " " + k + "\"}")
                                .getBytes(StandardCharsets.UTF_8);
                        long t = nowMicros();
                        try {
                            if (http == null) http = new RawHttp(URI.create(o.url));
                            int code = http.put(path + k, u.token(), body);
                            if (code == 200) {
                                okCount.increment();
                                lat.add(nowMicros() - t);
                            } else {
                                errors.add("HTTP " + code);
                                if (code == 429) Thread.sleep(500);
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            errors.add(errorKind(e));
                            try {
                                if (http != null) http.close();
                            } catch (IOException ignored) {
                            }
                            http = null;
                            try {
                                Thread.sleep(200);
                            } catch (InterruptedException ie) {
                                return;
                            }
                        }
                    }
                    try {
                        if (http != null) http.close();
                    } catch (IOException ignored) {
                    }
                }));
            }
            long nextReport = start + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.max(1, Math.min(250, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                if (System.nanoTime() >= nextReport) {
                    nextReport += TimeUnit.SECONDS.toNanos(5);
                    System.out.printf(Locale.ROOT, "  %6.1f s: acknowledged %d, errors %d %s%n", (System.nanoTime() - start) / 1e9, okCount.sum(), errors.total(), mon.now());
                }
            }
            for (Thread t : ts) t.join(Duration.ofSeconds(35));
            double secs = (System.nanoTime() - start) / 1e9;
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"senders", String.valueOf(users.size())});
            rows.add(new String[] {"acknowledged sends (200)", String.valueOf(okCount.sum())});
            rows.add(new String[] {"sends/s", String.format(Locale.ROOT, "%.1f", okCount.sum() / secs)});
            rows.add(new String[] {"ack latency", lat.percentiles()});
            rows.add(new String[] {"errors", errors.total() + (errors.total() > 0 ? " (" + errors.summary() + ")" : "")});
            double clientCpu = cpuSeconds(ProcessHandle.current().pid()) - clientCpu0;
            rows.add(new String[] {"bench client CPU", String.format(Locale.ROOT, "%.1f cores", clientCpu / secs)});
            if (serverCpu0 >= 0) {
                double serverCpu = cpuSeconds(o.serverPid) - serverCpu0;
                rows.add(new String[] {"server CPU", String.format(Locale.ROOT, "%.1f cores, %.2f ms per acknowledged send",
                        serverCpu / secs, okCount.sum() == 0 ? 0 : serverCpu * 1000 / okCount.sum())});
            }
            mon.addRows(rows);
            table(String.format(Locale.ROOT, "sends: %d senders, %s, %d s", users.size(), label, o.seconds), rows);
        }
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        Opts o = Opts.parse(args);
        // watchdog: the whole run is bounded in time no matter what the server does
        long budgetSeconds = 900L + 6L * o.seconds + o.graceSeconds;
        Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(budgetSeconds));
                System.err.println("watchdog: run exceeded " + budgetSeconds + " s, aborting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
            }
        });

        System.out.printf("Amtsbote bench, run id %s, target %s, scenario %s, %d s%n", RUN, o.url, o.scenario, o.seconds);
        System.out.printf("client: %d cores, max heap %d MiB, open-file limit %s%n", Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20, maxOpenFiles("self"));
        Api setupApi = new Api(o.url, 1);
        Resp v = setupApi.call("GET", "/_matrix/client/versions", null, null, Duration.ofSeconds(15));
        if (!v.ok()) throw new IOException("GET /_matrix/client/versions: " + v.describe());
        String adminToken = login(setupApi, o.adminUser, o.adminPassword);

        Map<String, Exception> failures = new LinkedHashMap<>();
        for (String sc : List.of("idle", "room", "sends")) {
            if (!o.scenario.equals("all") && !o.scenario.equals(sc)) continue;
            Api api = new Api(o.url, o.clients); // fresh clients (and connections) per scenario
            try {
                switch (sc) {
                    case "idle" -> idle(o, api, adminToken);
                    case "room" -> room(o, api, adminToken);
                    case "sends" -> sends(o, api, adminToken);
                    default -> throw new IllegalStateException(sc);
                }
            } catch (Exception e) {
                failures.put(sc, e);
                System.out.println("  scenario " + sc + " aborted: " + e);
            } finally {
                api.shutdownNow();
                api.executor.shutdownNow();
            }
        }
        setupApi.shutdownNow();
        if (!failures.isEmpty()) {
            System.out.println("\nscenarios that could not run to the end: " + failures.keySet());
            System.exit(1);
        }
        System.exit(0);
    }
}
