package de.amtsbote.http;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.RawHttp;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A seeded fuzz test of the JSON body parser and path parsing against the real server: valid bodies with
 * values of the wrong type, mutated bytes, random bytes and odd path segments on a set of endpoints. Every
 * answer must be below 500, and every 4xx a Matrix error. The seed is fixed (reproducible); set
 * -Dfuzz.seed=N and -Dfuzz.iterations=N to explore further.
 */
@ParameterizedClass
@EnumSource(TestServer.Db.class)
class FuzzHttpTest {
    static TestServer s;
    static String alice;
    static String roomId;
    static String eventId;
    static String deviceId;

    @Parameter
    TestServer.Db db;

    @BeforeParameterizedClassInvocation
    static void start(TestServer.Db db) throws Exception {
        s = new TestServer(db);
        alice = s.userToken("alice");
        s.userToken("bob");
        roomId = s.request("POST", "/_matrix/client/v3/createRoom", alice, Json.object()).json().get("room_id").asText();
        ObjectNode msg = Json.object().put("msgtype", "m.text").put("body", "hi");
        eventId = s.request("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/t0", alice, msg)
                .json().get("event_id").asText();
        deviceId = s.request("GET", "/_matrix/client/v3/account/whoami", alice, null).json().get("device_id").asText();
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception { s.close(); }

    private static String enc(String v) { return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"); }

    /** An endpoint: method, path with {room}/{event}/{user}/{device}/{txn}/{seg} placeholders, a valid body. */
    private record Endpoint(String method, String path, boolean auth, String validBody) {}

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/login", false,
                    "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"alice\"},\"password\":\"nope\"}"),
            new Endpoint("POST", "/createRoom", true,
                    "{\"name\":\"n\",\"topic\":\"t\",\"preset\":\"private_chat\",\"invite\":[\"@bob:test.local\"],"
                            + "\"initial_state\":[{\"type\":\"m.room.topic\",\"state_key\":\"\",\"content\":{\"topic\":\"x\"}}],"
                            + "\"power_level_content_override\":{\"users_default\":0},\"creation_content\":{\"m.federate\":false},"
                            + "\"is_direct\":false,\"visibility\":\"private\",\"room_alias_name\":\"a\"}"),
            new Endpoint("PUT", "/rooms/{room}/send/{seg}/{txn}", true, "{\"msgtype\":\"m.text\",\"body\":\"hello\"}"),
            new Endpoint("PUT", "/rooms/{room}/send/m.room.message/{txn}", true,
                    "{\"msgtype\":\"m.text\",\"body\":\"hello\",\"m.relates_to\":{\"rel_type\":\"m.thread\",\"event_id\":\"{event}\"}}"),
            new Endpoint("PUT", "/rooms/{room}/state/m.room.topic/", true, "{\"topic\":\"t\"}"),
            new Endpoint("PUT", "/rooms/{room}/state/m.room.name/{seg}", true, "{\"name\":\"n\"}"),
            new Endpoint("POST", "/user/{user}/filter", true,
                    "{\"room\":{\"timeline\":{\"limit\":5,\"types\":[\"m.room.message\"]},\"state\":{\"lazy_load_members\":true},"
                            + "\"rooms\":[\"{room}\"]},\"event_fields\":[\"content.body\"],\"event_format\":\"client\"}"),
            new Endpoint("GET", "/sync?timeout=0&filter={filter}", true, null),
            new Endpoint("GET", "/rooms/{room}/messages?dir=b&limit=3&filter={filter}", true, null),
            new Endpoint("GET", "/rooms/{room}/context/{event}?limit=2&filter={filter}", true, null),
            new Endpoint("PUT", "/profile/{user}/displayname", true, "{\"displayname\":\"Alice\"}"),
            new Endpoint("PUT", "/profile/{user}/avatar_url", true, "{\"avatar_url\":\"mxc://test.local/abc\"}"),
            new Endpoint("GET", "/profile/{seg}", true, null),
            new Endpoint("GET", "/profile/{seg}/{seg}", true, null),
            new Endpoint("POST", "/user_directory/search", true, "{\"search_term\":\"ali\",\"limit\":5}"),
            new Endpoint("POST", "/rooms/{room}/invite", true, "{\"user_id\":\"@bob:test.local\",\"reason\":\"r\"}"),
            new Endpoint("PUT", "/user/{user}/account_data/{seg}", true, "{\"a\":1}"),
            new Endpoint("PUT", "/user/{user}/rooms/{room}/tags/{seg}", true, "{\"order\":0.5}"),
            new Endpoint("POST", "/rooms/{room}/receipt/m.read/{event}", true, "{\"thread_id\":\"main\"}"),
            new Endpoint("POST", "/rooms/{room}/read_markers", true, "{\"m.fully_read\":\"{event}\",\"m.read\":\"{event}\"}"),
            new Endpoint("PUT", "/rooms/{room}/typing/{user}", true, "{\"typing\":true,\"timeout\":1000}"),
            new Endpoint("PUT", "/devices/{device}", true, "{\"display_name\":\"phone\"}"),
            new Endpoint("POST", "/delete_devices", true, "{\"devices\":[\"NOPE\"]}"),
            new Endpoint("PUT", "/sendToDevice/{seg}/{txn}", true, "{\"messages\":{\"@bob:test.local\":{\"*\":{\"a\":1}}}}"),
            new Endpoint("PUT", "/rooms/{room}/redact/{seg}/{txn}", true, "{\"reason\":\"r\"}"),
            new Endpoint("GET", "/rooms/{seg}/state", true, null),
            new Endpoint("POST", "/join/{seg}", true, "{}"),
            new Endpoint("GET", "/publicRooms?limit={seg}&since={seg}", true, null),
            new Endpoint("POST", "/publicRooms", true, "{\"limit\":5,\"filter\":{\"generic_search_term\":\"x\"}}"));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Random rnd;
    private int txn;

    @Test
    void randomRequestsNeverFailTheServer() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261202L);
        int iterations = Integer.getInteger("fuzz.iterations", 500);
        long budgetMs = Long.getLong("fuzz.millis", 7_000L);
        rnd = new Random(seed);
        long end = System.currentTimeMillis() + budgetMs;
        List<String> failures = new ArrayList<>();
        int done = 0;
        for (; done < iterations && System.currentTimeMillis() < end && failures.size() < 10; done++) {
            Endpoint e = ENDPOINTS.get(rnd.nextInt(ENDPOINTS.size()));
            String path = "/_matrix/client/v3" + fill(e.path());
            byte[] body = e.validBody() == null ? null : body(fill(e.validBody()));
            try {
                check(e, path, body, failures);
            } catch (IllegalArgumentException badUri) {
                // java.net.URI refused the path we made up; send it raw instead.
                checkRaw(e, path, body, failures);
            }
        }
        System.out.println("fuzz: seed " + seed + ", " + done + " requests, " + failures.size() + " failures");
        if (!failures.isEmpty()) fail("seed " + seed + ", " + done + " requests:\n" + String.join("\n", failures));
        assertTrue(done >= 50, "only " + done + " requests in the time budget");
    }

    private void check(Endpoint e, String path, byte[] body, List<String> failures) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl + path));
        if (e.auth()) b.header("Authorization", "Bearer " + alice);
        b.header("Content-Type", "application/json");
        b.method(e.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        judge(e.method() + " " + path, body, r.statusCode(), r.body(), failures);
    }

    private void checkRaw(Endpoint e, String path, byte[] body, List<String> failures) throws Exception {
        byte[] b = body == null ? new byte[0] : body;
        String head = e.method() + " " + path.replace(" ", "%20") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + (e.auth() ? "Authorization: Bearer " + alice + "\r\n" : "")
                + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[headBytes.length + b.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(b, 0, all, headBytes.length, b.length);
        RawHttp.Answer a = RawHttp.send(s.baseUrl, all);
        judge("raw " + e.method() + " " + path, body, a.status(), a.body(), failures);
    }

    private static void judge(String what, byte[] body, int status, String text, List<String> failures) {
        String b = body == null ? "" : new String(body, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        String shown = what.substring(0, Math.min(what.length(), 300))
                + (body == null ? "" : " body=" + b.substring(0, Math.min(b.length(), 300)));
        if (status >= 500) {
            failures.add(status + " for " + shown + " -> " + text);
            return;
        }
        if (status >= 400) {
            JsonNode n;
            try {
                n = Json.parse(text);
            } catch (RuntimeException ex) {
                failures.add(status + " without JSON for " + shown + " -> " + text);
                return;
            }
            if (!n.path("errcode").asText("").startsWith("M_") || !n.path("error").isTextual()) {
                failures.add(status + " without errcode/error for " + shown + " -> " + text);
            }
        }
    }

    // ---- generators ----

    private String fill(String template) {
        String out = template;
        while (out.contains("{seg}")) out = out.replaceFirst("\\{seg}", java.util.regex.Matcher.quoteReplacement(segment()));
        while (out.contains("{txn}")) out = out.replaceFirst("\\{txn}", "f" + (txn++));
        while (out.contains("{filter}")) out = out.replaceFirst("\\{filter}", java.util.regex.Matcher.quoteReplacement(filterParam()));
        return out.replace("{room}", template.startsWith("{") ? roomId : enc(roomId))
                .replace("{event}", template.startsWith("/") ? enc(eventId) : eventId)
                .replace("{user}", template.startsWith("/") ? enc(s.userId("alice")) : s.userId("alice"))
                .replace("{device}", enc(deviceId));
    }

    private String filterParam() {
        return switch (rnd.nextInt(4)) {
            case 0 -> "";
            case 1 -> enc(randomString());
            case 2 -> enc(Json.write(mutateTree(Json.parse("{\"room\":{\"timeline\":{\"limit\":5,\"types\":[\"m.room.message\"],"
                    + "\"not_senders\":[\"@bob:test.local\"]},\"state\":{\"lazy_load_members\":true},\"ephemeral\":{\"types\":[]}},"
                    + "\"presence\":{\"types\":[]},\"event_fields\":[\"content.body\"],\"event_format\":\"client\"}"))));
            default -> enc(new String(mutateBytes("{\"room\":{\"timeline\":{\"limit\":1}}}".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8));
        };
    }

    private String segment() {
        return switch (rnd.nextInt(9)) {
            case 0 -> "";
            case 1 -> enc(randomString());
            case 2 -> "%" + Integer.toHexString(0x80 + rnd.nextInt(0x80)).toUpperCase();
            case 3 -> enc("!" + randomString() + ":test.local");
            case 4 -> enc("#" + randomString() + ":test.local");
            case 5 -> enc("@" + randomString() + ":" + randomString());
            case 6 -> String.valueOf(rnd.nextLong());
            case 7 -> "a".repeat(rnd.nextInt(3000));
            default -> enc(roomId);
        };
    }

    private byte[] body(String valid) {
        return switch (rnd.nextInt(6)) {
            case 0 -> Json.write(mutateTree(Json.parse(valid))).getBytes(StandardCharsets.UTF_8);
            case 1 -> Json.write(mutateTree(mutateTree(Json.parse(valid)))).getBytes(StandardCharsets.UTF_8);
            case 2 -> mutateBytes(valid.getBytes(StandardCharsets.UTF_8));
            case 3 -> {
                byte[] b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
                yield b;
            }
            case 4 -> Json.write(randomValue(3)).getBytes(StandardCharsets.UTF_8);
            default -> valid.getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Replaces, removes or adds one value somewhere in the tree (type confusion is what handlers miss). */
    private JsonNode mutateTree(JsonNode root) {
        if (!(root instanceof ObjectNode) && !(root instanceof ArrayNode)) return randomValue(2);
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(rnd.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            int op = rnd.nextInt(3);
            if (names.isEmpty() || op == 2) o.set(rnd.nextBoolean() ? randomString() : "type", randomValue(2));
            else if (op == 0) o.set(names.get(rnd.nextInt(names.size())), randomValue(2));
            else o.remove(names.get(rnd.nextInt(names.size())));
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || rnd.nextBoolean()) a.add(randomValue(2));
            else a.set(rnd.nextInt(a.size()), randomValue(2));
        }
        return root;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (JsonNode child : n) collect(child, out);
        }
    }

    private static final byte[] SYNTAX = "{}[]\",:\\0-9eE.tfn \u0000".getBytes(StandardCharsets.US_ASCII);

    private byte[] mutateBytes(byte[] in) {
        List<Byte> b = new ArrayList<>();
        for (byte x : in) b.add(x);
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n && !b.isEmpty(); i++) {
            int at = rnd.nextInt(b.size());
            switch (rnd.nextInt(4)) {
                case 0 -> b.set(at, (byte) rnd.nextInt(256));
                case 1 -> b.remove(at);
                case 2 -> b.add(at, SYNTAX[rnd.nextInt(SYNTAX.length)]);
                default -> {
                    while (b.size() > at) b.removeLast();
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i);
        return out;
    }

    private JsonNode randomValue(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = rnd.nextInt(depth > 0 ? 11 : 9);
        return switch (kind) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(rnd.nextBoolean());
            case 2 -> f.numberNode(rnd.nextInt(2001) - 1000);
            case 3 -> f.numberNode(rnd.nextLong());
            case 4 -> f.numberNode(new java.math.BigInteger(80, rnd));
            case 5 -> f.numberNode(rnd.nextDouble() * 1e6 - 5e5);
            case 6, 7 -> f.textNode(randomString());
            case 8 -> f.textNode(rnd.nextBoolean() ? "@bob:test.local" : rnd.nextBoolean() ? roomId : eventId);
            case 9 -> {
                ArrayNode a = f.arrayNode();
                for (int i = rnd.nextInt(4); i > 0; i--) a.add(randomValue(depth - 1));
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (int i = rnd.nextInt(4); i > 0; i--) o.set(randomString(), randomValue(depth - 1));
                yield o;
            }
        };
    }

    private static final String[] ODD = {"", " ", "\u00e4", "\ud83d\ude00", "\u202e", "\\", "\"", "%", "/", "..", "\u0001",
            "\u0000", "\ud800", "m.room.message", "m.room.member", "@", "!", "#", ":", "$", "*", "\uFEFF", "\u00ff\u00fe", "null", "{}"};

    private String randomString() {
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(6); i >= 0; i--) {
            if (rnd.nextInt(3) == 0) sb.append(ODD[rnd.nextInt(ODD.length)]);
            else sb.append((char) ('a' + rnd.nextInt(26)));
        }
        if (rnd.nextInt(20) == 0) sb.append("x".repeat(rnd.nextInt(70_000)));
        return sb.toString();
    }
}
