package de.amtsbote.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;

/**
 * A failure that the client is told about as a Matrix error body {@code {"errcode", "error"}} with an HTTP
 * status. Throw it from anywhere below a handler; the HTTP layer renders it. Never carries a stack trace to
 * the client.
 */
public class MatrixException extends RuntimeException {
    private final int status;
    private final String errcode;
    private final ObjectNode extra;

    public MatrixException(int status, String errcode, String message) {
        this(status, errcode, message, null);
    }

    public MatrixException(int status, String errcode, String message, ObjectNode extra) {
        super(message, null, false, false);
        this.status = status;
        this.errcode = errcode;
        this.extra = extra;
    }

    public int status() { return status; }
    public String errcode() { return errcode; }

    /** The response body: errcode, error and any extra fields (e.g. retry_after_ms). */
    public ObjectNode body() {
        ObjectNode body = Json.object();
        body.put("errcode", errcode);
        body.put("error", getMessage());
        if (extra != null) body.setAll(extra);
        return body;
    }

    // Factories for the common errors, so call sites read like the spec.
    public static MatrixException badJson(String msg) { return new MatrixException(400, "M_BAD_JSON", msg); }
    public static MatrixException notJson(String msg) { return new MatrixException(400, "M_NOT_JSON", msg); }
    public static MatrixException invalidParam(String msg) { return new MatrixException(400, "M_INVALID_PARAM", msg); }
    public static MatrixException missingParam(String msg) { return new MatrixException(400, "M_MISSING_PARAM", msg); }
    public static MatrixException forbidden(String msg) { return new MatrixException(403, "M_FORBIDDEN", msg); }
    public static MatrixException notFound(String msg) { return new MatrixException(404, "M_NOT_FOUND", msg); }
    public static MatrixException unrecognized(String msg) { return new MatrixException(404, "M_UNRECOGNIZED", msg); }
    public static MatrixException tooLarge(String msg) { return new MatrixException(413, "M_TOO_LARGE", msg); }
    public static MatrixException unknown(String msg) { return new MatrixException(400, "M_UNKNOWN", msg); }
    /** The spec's answer to every request of a locked account (soft logout: the client keeps its data). */
    public static MatrixException userLocked() {
        ObjectNode extra = Json.object();
        extra.put("soft_logout", true);
        return new MatrixException(401, "M_USER_LOCKED",
                "This account has been locked by the administrator. Please contact your IT department.", extra);
    }
    public static MatrixException limitExceeded(long retryAfterMs) {
        ObjectNode extra = Json.object();
        extra.put("retry_after_ms", retryAfterMs);
        return new MatrixException(429, "M_LIMIT_EXCEEDED", "Too many requests, try again later", extra);
    }
}
