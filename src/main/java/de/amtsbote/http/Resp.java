package de.amtsbote.http;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response other than a plain 200 JSON body: another status, extra headers, or a body streamed from
 * somewhere (media files). Handlers that return a JsonNode get a 200 with that JSON.
 */
public final class Resp {
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    final int status;
    final String contentType;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;
    final BodyWriter writer;
    final long contentLength;

    private Resp(int status, String contentType, byte[] body, BodyWriter writer, long contentLength) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.writer = writer;
        this.contentLength = contentLength;
    }

    public static Resp json(int status, JsonNode node) {
        return new Resp(status, "application/json", Json.bytes(node), null, -1);
    }

    public static Resp bytes(int status, String contentType, byte[] body) {
        return new Resp(status, contentType, body, null, body.length);
    }

    public static Resp stream(String contentType, long contentLength, BodyWriter writer) {
        return new Resp(200, contentType, null, writer, contentLength);
    }

    public Resp header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
