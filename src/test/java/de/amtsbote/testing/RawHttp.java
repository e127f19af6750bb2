package de.amtsbote.testing;

import de.amtsbote.util.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Speaks HTTP/1.1 over a plain socket, for requests no HTTP client would send (broken chunking, bad
 * percent-encoding, aborted bodies). Reads the answer until the server closes or goes quiet.
 */
public final class RawHttp {
    private RawHttp() {}

    /** One parsed answer; closed tells whether the server closed the connection after it. */
    public record Answer(int status, String head, String body, boolean closed) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        public JsonNode json() { return Json.parse(body); }

        public String errcode() { return json().path("errcode").asText(null); }
    }

    /** Sends the bytes as they are and reads one answer (waiting at most 5 s). */
    public static Answer send(String baseUrl, byte[] request) throws IOException {
        URI url = URI.create(baseUrl);
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket);
        }
    }

    public static Answer send(String baseUrl, String request) throws IOException {
        return send(baseUrl, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean closed;
        byte[] b = new byte[8192];
        int headEnd = -1;
        long contentLength = -1;
        while (true) {
            int n;
            try {
                n = in.read(b);
            } catch (SocketTimeoutException e) {
                closed = false;
                break;
            } catch (java.net.SocketException e) {
                closed = true;
                break;
            }
            if (n < 0) {
                closed = true;
                break;
            }
            buf.write(b, 0, n);
            String sofar = buf.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0) {
                headEnd = sofar.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    for (String line : sofar.substring(0, headEnd).split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            contentLength = Long.parseLong(line.substring(15).trim());
                        }
                    }
                }
            }
            // With a known length, wait briefly for the close that should follow, but don't hang on keep-alive.
            if (headEnd >= 0 && contentLength >= 0 && buf.size() >= headEnd + 4 + contentLength) {
                socket.setSoTimeout(300);
                closed = waitForClose(in);
                break;
            }
        }
        String all = buf.toString(StandardCharsets.UTF_8);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) throw new IOException("no HTTP answer: '" + all + "'");
        String head = all.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        String body = all.substring(end + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) body = dechunk(body);
        return new Answer(status, head, body, closed);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) break;
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) break;
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static boolean waitForClose(InputStream in) {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
