package de.amtsbote.http;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

/**
 * The request itself is broken below JSON level: malformed chunked framing, a body cut short, a client that
 * went away mid-upload. Answered with 400 and {@code Connection: close} (the byte stream can no longer be
 * trusted to find the next request), and logged quietly: anyone can send these without a token.
 */
public final class BrokenRequestException extends MatrixException {
    public BrokenRequestException(String message) {
        super(400, "M_NOT_JSON", message);
    }

    /** The broken-request error hidden in this failure's causes (Jetty's parse/EOF errors), or null. */
    public static BrokenRequestException from(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BrokenRequestException b) return b;
            if (c instanceof EofException || c instanceof HttpException) {
                return new BrokenRequestException("Malformed or incomplete request body");
            }
            if (c.getCause() == c) break;
        }
        return null;
    }
}
