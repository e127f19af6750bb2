package de.amtsbote.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 (core API, no servlets) in front of the {@link Router}. Every request runs on its own virtual
 * thread, so handlers may block (database, long-polling /sync) without tying up platform threads.
 * All errors leave as Matrix error JSON; nothing else reaches the client.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpServer.class.getName());

    /** Serves non-API paths (the web client); returns null if it has nothing for the path. */
    public interface Fallback {
        Resp serve(String method, String path);
    }

    private final Router router;
    private final Authenticator auth;
    private final int maxBodyBytes;
    private final Fallback fallback;
    private final ExecutorService requests = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("http-", 0).factory());
    private final Server server;
    private final ServerConnector connector;

    public HttpServer(String address, int port, Router router, Authenticator auth, int maxBodyBytes,
                      long idleTimeoutMs, Fallback fallback) {
        this.router = router;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.fallback = fallback;
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("jetty");
        this.server = new Server(pool);
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendXPoweredBy(false);
        // Matrix identifiers may legitimately contain characters that Jetty's strict mode calls ambiguous.
        // Badly encoded paths are let through to the Router, whose strict decoder (util.Text) answers them
        // with M_INVALID_PARAM like any other bad parameter.
        hc.setUriCompliance(UriCompliance.LEGACY.with("amtsbote", UriCompliance.Violation.BAD_UTF8_ENCODING,
                UriCompliance.Violation.TRUNCATED_UTF8_ENCODING, UriCompliance.Violation.BAD_PERCENT_ENCODING));
        // Jetty's per-connection header cache costs ~40 KiB per connection; with 10,000 idle long-polls that
        // is 400 MiB for a small speed-up in header parsing.
        hc.setHeaderCacheSize(0);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(hc));
        connector.setHost(address);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeoutMs);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        // Requests Jetty itself refuses (malformed URI, bad headers, too long) also get a Matrix error, not an
        // HTML page or an empty body, and the connection is closed: after a framing error the byte stream
        // cannot be trusted to find the next request.
        server.setErrorHandler(new JettyErrors());
        server.setHandler(new Handler.Abstract(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                requests.execute(() -> dispatch(request, response, callback));
                return true;
            }
        });
    }

    public void start() throws Exception { server.start(); }

    /** The port actually bound (useful when configured as 0 in tests). */
    public int port() { return connector.getLocalPort(); }

    private void dispatch(Request request, Response response, Callback callback) {
        Resp resp;
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        BrokenRequestException broken = null;
        try {
            resp = route(request, method, path);
        } catch (MatrixException e) {
            if (e instanceof BrokenRequestException b) broken = b;
            resp = Resp.json(e.status(), e.body());
        } catch (InterruptedException e) {
            // The server is stopping while this request waited (a long-poll).
            resp = Resp.json(503, error("M_UNKNOWN", "The server is restarting, please retry"));
        } catch (IllegalArgumentException e) {
            // Parsing code below the handlers (identifiers, numbers, canonical JSON) reports bad input this
            // way when a handler forgot to map it: the client's fault, so 400, not 500. One log line in case
            // it was a bug after all; the message stays in the log, the client gets a generic one.
            LOG.warning(() -> "request refused as invalid: " + method + " " + loggable(path) + ": " + e);
            boolean hasBody = method.equals("POST") || method.equals("PUT");
            resp = Resp.json(400, error(hasBody ? "M_BAD_JSON" : "M_INVALID_PARAM", "The request has an invalid value"));
        } catch (Throwable t) {
            broken = BrokenRequestException.from(t);
            if (broken != null) {
                resp = Resp.json(broken.status(), broken.body());
            } else {
                LOG.log(Level.SEVERE, "request failed: " + method + " " + loggable(path), t);
                resp = Resp.json(500, error("M_UNKNOWN", "Internal server error"));
            }
        }
        if (broken != null) {
            // One quiet line: anyone can send these without a token; a stack trace each would flood the log.
            String reason = broken.getMessage();
            LOG.fine(() -> "broken request: " + method + " " + loggable(path) + ": " + reason);
            resp.header("Connection", "close");
        } else if (resp.status >= 400 && !method.equals("GET") && !method.equals("HEAD")) {
            drainBody(request);
        }
        send(request, response, callback, resp);
    }

    /**
     * Reads what is left of a refused request's body (e.g. an upload over the limit), up to a bound, so the
     * client is not cut off mid-upload and can read our error instead of seeing a broken connection.
     */
    private static void drainBody(Request request) {
        try (java.io.InputStream in = Request.asInputStream(request)) {
            byte[] buf = new byte[65536];
            long left = 64L * 1024 * 1024;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) left -= n;
        } catch (java.io.IOException | RuntimeException e) {
            // The client went away; nothing to drain.
        }
    }

    private Resp route(Request request, String method, String path) throws Exception {
        if (method.equals("OPTIONS")) return Resp.bytes(200, "text/plain", new byte[0]);
        Router.Lookup lookup = router.find(method, path);
        if (lookup.match() == null) {
            if (fallback != null && !path.startsWith("/_matrix/") && !path.startsWith("/_amtsbote/")) {
                Resp r = fallback.serve(method, path);
                if (r != null) return r;
            }
            if (lookup.pathKnown()) {
                return Resp.json(405, error("M_UNRECOGNIZED", "Method " + method + " is not allowed here"));
            }
            return Resp.json(404, error("M_UNRECOGNIZED", "Unrecognized request"));
        }
        Router.Entry entry = lookup.match().entry();
        Req req = new Req(request, lookup.match().params(), maxBodyBytes);
        if (entry.auth() != Router.Auth.NONE) {
            String token = accessToken(request, req);
            if (token == null) {
                if (entry.auth() == Router.Auth.USER || entry.auth() == Router.Auth.ADMIN) {
                    throw new MatrixException(401, "M_MISSING_TOKEN", "Missing access token");
                }
            } else {
                Session s = auth.authenticate(token, req);
                if (s == null) {
                    ObjectNode extra = Json.object();
                    extra.put("soft_logout", false);
                    // Our web app also clears its caches and stored keys when told an admin wiped it.
                    if (auth.wasWiped(token)) extra.put("de.amtsbote.wiped", true);
                    throw new MatrixException(401, "M_UNKNOWN_TOKEN", "Unknown or expired access token", extra);
                }
                req.setSession(s);
                auth.seen(s, req.remoteAddress(), request.getHeaders().get(HttpHeader.USER_AGENT));
                if (auth.isLocked(s.userId()) && !LOCK_EXEMPT.contains(entry.pattern())) throw MatrixException.userLocked();
                if (entry.auth() == Router.Auth.ADMIN && !auth.isAdminNow(s.userId())) {
                    throw MatrixException.forbidden("Only server administrators may do this");
                }
            }
        }
        Object result = entry.route().handle(req);
        if (result instanceof Resp r) return r;
        if (result instanceof com.fasterxml.jackson.databind.JsonNode node) return Resp.json(200, node);
        if (result == null) return Resp.json(200, Json.object());
        throw new IllegalStateException("route returned " + result.getClass());
    }

    /** A locked account may still sign out (spec: account locking). */
    private static final java.util.Set<String> LOCK_EXEMPT = java.util.Set.of("/_matrix/client/v3/logout",
            "/_matrix/client/r0/logout", "/_matrix/client/v3/logout/all", "/_matrix/client/r0/logout/all");

    private static String accessToken(Request request, Req req) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) return header.substring(7).trim();
            throw new MatrixException(401, "M_MISSING_TOKEN", "Authorization header must be 'Bearer <token>'");
        }
        return req.query("access_token");
    }

    static ObjectNode error(String errcode, String message) {
        ObjectNode n = Json.object();
        n.put("errcode", errcode);
        n.put("error", message);
        return n;
    }

    private static void send(Request request, Response response, Callback callback, Resp resp) {
        try {
            response.setStatus(resp.status);
            var h = response.getHeaders();
            // Matrix clients run in browsers on other origins; the spec requires these CORS headers.
            h.put("Access-Control-Allow-Origin", "*");
            h.put("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS");
            h.put("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization, Date");
            h.put("X-Content-Type-Options", "nosniff");
            h.put("Referrer-Policy", "no-referrer");
            h.put(HttpHeader.CONTENT_TYPE, resp.contentType);
            resp.headers.forEach(h::put);
            if (resp.writer != null) {
                if (resp.contentLength >= 0) h.put(HttpHeader.CONTENT_LENGTH, resp.contentLength);
                if (request.getMethod().equals("HEAD")) {
                    response.write(true, null, callback);
                    return;
                }
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    resp.writer.write(out);
                }
                callback.succeeded();
            } else {
                h.put(HttpHeader.CONTENT_LENGTH, resp.body.length);
                boolean head = request.getMethod().equals("HEAD");
                response.write(true, head ? null : ByteBuffer.wrap(resp.body), callback);
            }
        } catch (Throwable t) {
            // The client went away mid-response, or similar; nothing more can be sent.
            LOG.log(Level.FINE, "response failed", t);
            callback.failed(t);
        }
    }

    /** Jetty's own refusals (before or instead of our handler) as Matrix errors with Connection: close. */
    private static final class JettyErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true; // Jetty's default answers PUT/DELETE with an empty body.
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) {
            var h = response.getHeaders();
            h.put(HttpHeader.CONTENT_TYPE, "application/json");
            h.put("Access-Control-Allow-Origin", "*");
            h.put(HttpHeader.CONNECTION, "close");
            response.write(true, ByteBuffer.wrap(body(code)), callback);
        }

        private static byte[] body(int code) {
            String errcode = switch (code) {
                case 404 -> "M_UNRECOGNIZED";
                case 413 -> "M_TOO_LARGE";
                default -> "M_UNKNOWN";
            };
            String message = switch (code) {
                case 400 -> "Malformed request";
                case 414 -> "Request URI is too long";
                case 431 -> "Request headers are too large";
                default -> "Request refused (HTTP " + code + ")";
            };
            return Json.bytes(error(errcode, message));
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
        requests.shutdownNow();
    }

    /** A request path fit for the log: a webhook URL's last segment is its secret, so it is masked. */
    static String loggable(String path) {
        return path.startsWith("/_amtsbote/hooks/") ? path.replaceFirst("/[^/]*$", "/***") : path;
    }
}
