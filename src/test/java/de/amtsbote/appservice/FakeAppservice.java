package de.amtsbote.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local HTTP receiver playing the application service: records every request (with its Authorization
 * header), answers transactions 200 (deduplicating by txn id, as the spec asks of a service), and lets a
 * test answer queries. It can go down (stop listening) and come back on the same port.
 */
final class FakeAppservice implements AutoCloseable {
    record Call(String method, String path, String authorization, String body) {
        JsonNode json() { return Json.parse(body); }
    }

    volatile String hsToken;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** txn id -> body of its first delivery; a retry must carry the same body. */
    final java.util.Map<String, String> txnBodies = new java.util.concurrent.ConcurrentHashMap<>();
    /** Events of accepted transactions, in the order they were first received. */
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<String> txnOrder = new CopyOnWriteArrayList<>();
    /** Ephemeral data of accepted transactions (the spec's "ephemeral" field). */
    final List<JsonNode> ephemeral = new CopyOnWriteArrayList<>();
    /** To-device messages of accepted transactions (MSC2409's field). */
    final List<JsonNode> toDevice = new CopyOnWriteArrayList<>();
    volatile Function<Call, Integer> queryAnswer = c -> 404;
    private HttpServer server;
    private int port;

    FakeAppservice(String hsToken) throws IOException {
        this.hsToken = hsToken;
        start(0);
    }

    int port() { return port; }

    String url() { return "http://127.0.0.1:" + port; }

    void down() { server.stop(0); }

    void up() throws IOException { start(port); }

    private void start(int p) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Call call = new Call(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Authorization"), body);
        calls.add(call);
        int status;
        String answer = "{}";
        if (!("Bearer " + hsToken).equals(call.authorization())) {
            status = 403;
            answer = "{\"errcode\":\"M_FORBIDDEN\"}";
        } else if (call.method().equals("PUT") && call.path().startsWith("/_matrix/app/v1/transactions/")) {
            String txnId = call.path().substring("/_matrix/app/v1/transactions/".length());
            String first = txnBodies.putIfAbsent(txnId, body);
            if (first == null) {
                txnOrder.add(txnId);
                for (JsonNode e : call.json().path("events")) events.add(e);
                for (JsonNode e : call.json().path("ephemeral")) ephemeral.add(e);
                for (JsonNode e : call.json().path("de.sorunome.msc2409.to_device")) toDevice.add(e);
            } else if (!first.equals(body)) {
                throw new IllegalStateException("transaction " + txnId + " was resent with another body");
            }
            status = 200;
        } else if (call.method().equals("POST") && call.path().equals("/_matrix/app/v1/ping")) {
            status = 200;
        } else {
            status = queryAnswer.apply(call);
            if (status >= 400) answer = "{\"errcode\":\"M_NOT_FOUND\"}";
        }
        byte[] out = answer.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    List<Call> callsTo(String pathPrefix) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) if (c.path().startsWith(pathPrefix)) out.add(c);
        return out;
    }

    /** The bodies (content.body) of received m.room.message events, in order. */
    List<String> messageBodies() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) if (e.path("type").asText().equals("m.room.message")) out.add(e.path("content").path("body").asText());
        return out;
    }

    @Override
    public void close() { server.stop(0); }
}
