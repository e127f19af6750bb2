package de.amtsbote.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import de.amtsbote.util.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/** One HTTP request as handlers see it: path parameters, query, headers, body and the caller's session. */
public final class Req {
    private final Request jetty;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final int maxBodyBytes;
    private Session session;
    private byte[] body;

    Req(Request jetty, Map<String, String> pathParams, int maxBodyBytes) {
        this.jetty = jetty;
        this.pathParams = pathParams;
        this.maxBodyBytes = maxBodyBytes;
        this.query = parseQuery(jetty.getHttpURI().getQuery());
    }

    public String method() { return jetty.getMethod(); }

    public String path(String name) { return pathParams.get(name); }

    /** The request path as sent (still percent-encoded), without the query. */
    public String requestPath() { return jetty.getHttpURI().getPath(); }

    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    public List<String> queryAll(String name) { return query.getOrDefault(name, List.of()); }

    public String header(String name) { return jetty.getHeaders().get(name); }

    public String remoteAddress() { return Request.getRemoteAddr(jetty); }

    void setSession(Session s) { this.session = s; }

    /** The authenticated caller; routes registered as authenticated always have one. */
    public Session session() {
        if (session == null) throw new MatrixException(401, "M_MISSING_TOKEN", "Missing access token");
        return session;
    }

    public String userId() { return session().userId(); }

    /** Query parameter as int with range check, or the default. */
    public int queryInt(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) return dflt;
        try {
            // Out-of-range values are clamped (limit=99999999999 means "as many as allowed").
            java.math.BigInteger n = new java.math.BigInteger(v);
            return n.max(java.math.BigInteger.valueOf(min)).min(java.math.BigInteger.valueOf(max)).intValue();
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter '" + name + "' must be a whole number");
        }
    }

    public boolean queryBool(String name, boolean dflt) {
        String v = query(name);
        if (v == null) return dflt;
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam("Query parameter '" + name + "' must be true or false");
        };
    }

    /** The raw body, at most the configured JSON size limit. */
    public byte[] body() {
        if (body == null) {
            try (InputStream in = Request.asInputStream(jetty)) {
                byte[] b = in.readNBytes(maxBodyBytes + 1);
                if (b.length > maxBodyBytes) throw MatrixException.tooLarge("Request body is too large");
                body = b;
            } catch (IOException | RuntimeException e) {
                BrokenRequestException broken = BrokenRequestException.from(e);
                if (broken != null) throw broken;
                if (e instanceof IOException io) throw new UncheckedIOException(io);
                throw (RuntimeException) e;
            }
        }
        return body;
    }

    /** The body as a stream, for uploads that enforce their own size limit. */
    public InputStream bodyStream() { return Request.asInputStream(jetty); }

    /**
     * The body parsed as a JSON object; M_NOT_JSON if it is not JSON, M_BAD_JSON if not an object or if it
     * holds text no database can store the same way (invalid UTF-8, NUL, lone surrogates: see {@link Text}).
     */
    public ObjectNode json() {
        byte[] b = body();
        String text;
        try {
            text = Text.utf8(b);
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("Request body " + e.getMessage());
        }
        JsonNode node;
        try {
            node = Json.parse(text);
        } catch (UncheckedIOException e) {
            // Jackson refuses a lone surrogate escape in a field name while parsing; it is the same fault
            // as one in a value, which Text.check finds after parsing.
            String why = String.valueOf(e.getCause() == null ? null : e.getCause().getMessage());
            if (why.contains("surrogate")) throw MatrixException.badJson("Request body contains an unpaired surrogate");
            throw MatrixException.notJson("Request body is not valid JSON");
        }
        if (node == null || node.isMissingNode()) throw MatrixException.notJson("Request body is empty, expected JSON");
        if (!(node instanceof ObjectNode o)) throw MatrixException.badJson("Request body must be a JSON object");
        try {
            Text.check(o);
        } catch (IllegalArgumentException e) {
            throw MatrixException.badJson("Request body " + e.getMessage());
        }
        return o;
    }

    /** Like {@link #json()} but an empty body counts as {}. */
    public ObjectNode jsonOrEmpty() {
        if (body().length == 0) return Json.object();
        return json();
    }

    /** Query parameters, strictly decoded: malformed escapes, invalid UTF-8, NUL, lone surrogates → 400. */
    private static Map<String, List<String>> parseQuery(String q) {
        Map<String, List<String>> out = new HashMap<>();
        if (q == null || q.isEmpty()) return out;
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k;
            try {
                k = Text.percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("A query parameter name " + e.getMessage());
            }
            try {
                String v = eq < 0 ? "" : Text.percentDecode(pair.substring(eq + 1), true);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Query parameter '" + k + "' " + e.getMessage());
            }
        }
        return out;
    }
}
