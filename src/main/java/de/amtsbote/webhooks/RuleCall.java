package de.amtsbote.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.util.Json;
import de.amtsbote.util.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One call of an outgoing rule's service: the signed POST and what came of it. The signature is
 * HMAC-SHA256 with the rule's secret over {@code <timestamp> "." <body bytes>}, sent as
 * {@code X-Amtsbote-Signature: sha256=<hex>} next to {@code X-Amtsbote-Timestamp: <unix seconds>}, so a
 * receiver can check both the body and its age (replay). Every failure becomes an {@link Outcome.Failed} with
 * a text for the room; nothing is thrown.
 */
final class RuleCall {
    static final String SIGNATURE_HEADER = "X-Amtsbote-Signature";
    static final String TIMESTAMP_HEADER = "X-Amtsbote-Timestamp";
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    sealed interface Outcome {
        /** The service's answer to post: text, and html (null: the text escaped). */
        record Answer(String text, String html) implements Outcome {}

        /** 204 or an empty 2xx body: nothing to post. */
        record Nothing() implements Outcome {}

        /** Why there is no answer, in German and English, for the room. */
        record Failed(String german, String english) implements Outcome {}
    }

    private final HttpClient client;
    private final long timeoutMs;

    RuleCall(long timeoutMs) {
        this.timeoutMs = timeoutMs;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Ends calls still running (server shutdown). */
    void close() { client.shutdownNow(); }

    static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    /** "10 s" or "500 ms": how the timeout is named in the room. */
    String timeoutText() {
        return timeoutMs % 1000 == 0 ? timeoutMs / 1000 + " s" : timeoutMs + " ms";
    }

    Outcome call(URI url, String ruleId, String secret, byte[] body, long nowMs) {
        long ts = nowMs / 1000;
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMillis(timeoutMs))
                .header("Content-Type", "application/json").header("User-Agent", "Amtsbote")
                .header(TIMESTAMP_HEADER, Long.toString(ts)).header(SIGNATURE_HEADER, sign(secret, ts, body))
                .header("X-Amtsbote-Rule", ruleId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        CompletableFuture<HttpResponse<InputStream>> sent = client.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> resp;
        byte[] answer;
        try {
            resp = sent.get(timeoutMs, TimeUnit.MILLISECONDS);
            answer = readBounded(resp.body(), deadline);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return timeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed("Der Aufruf wurde abgebrochen (Server wird beendet).", "the call was cancelled (server shutting down).");
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (AnswerTooLarge e) {
            return new Outcome.Failed("Die Antwort des Dienstes ist größer als 64 KiB.", "the service's answer is larger than 64 KiB.");
        }
        int status = resp.statusCode();
        if (status < 200 || status > 299) {
            return new Outcome.Failed("Der Dienst antwortete mit dem Fehler HTTP " + status + ".",
                    "the service answered with error HTTP " + status + ".");
        }
        return parse(answer);
    }

    private Outcome.Failed timeout() {
        return new Outcome.Failed("Der Dienst antwortete nicht (Zeitüberschreitung nach " + timeoutText() + ").",
                "the service did not answer (timeout after " + timeoutText() + ").");
    }

    private Outcome.Failed failure(Throwable cause) {
        if (cause instanceof UncheckedIOException u) cause = u.getCause();
        if (cause instanceof HttpTimeoutException) return timeout();
        if (cause instanceof ConnectException) {
            return new Outcome.Failed("Der Dienst ist nicht erreichbar (Verbindung abgelehnt).",
                    "the service cannot be reached (connection refused).");
        }
        if (cause instanceof UnknownHostException) {
            return new Outcome.Failed("Die Adresse des Dienstes ist unbekannt (DNS).", "the service's host name is unknown (DNS).");
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return new Outcome.Failed("Die sichere Verbindung (TLS) zum Dienst schlug fehl.", "the secure (TLS) connection to the service failed.");
        }
        return new Outcome.Failed("Die Verbindung zum Dienst schlug fehl (" + cause.getClass().getSimpleName() + ").",
                "the connection to the service failed (" + cause.getClass().getSimpleName() + ").");
    }

    /** {"text": "...", "html": "..."?}; empty body: nothing; anything else is reported. */
    static Outcome parse(byte[] answer) {
        if (answer.length == 0 || new String(answer, StandardCharsets.UTF_8).isBlank()) return new Outcome.Nothing();
        Outcome.Failed unreadable = new Outcome.Failed(
                "Die Antwort des Dienstes ist nicht lesbar (erwartet: JSON {\"text\": \"…\", \"html\": \"…\"}).",
                "the service's answer cannot be read (expected JSON {\"text\": \"…\", \"html\": \"…\"}).");
        JsonNode o;
        try {
            o = Json.parse(Text.utf8(answer));
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return unreadable;
        }
        if (!o.isObject() || !o.path("text").isTextual() || o.get("text").textValue().isBlank()) return unreadable;
        JsonNode html = o.get("html");
        if (html != null && !html.isNull() && !html.isTextual()) return unreadable;
        try {
            Text.check(o.get("text").textValue());
            if (html != null && html.isTextual()) Text.check(html.textValue());
        } catch (IllegalArgumentException e) {
            return unreadable;
        }
        return new Outcome.Answer(o.get("text").textValue(), html == null || html.isNull() ? null : html.textValue());
    }

    private static final class AnswerTooLarge extends Exception {
        AnswerTooLarge() { super(null, null, false, false); }
    }

    /** Reads at most MAX_ANSWER_BYTES before the deadline; a slow body counts as a timeout. */
    private static byte[] readBounded(InputStream in, long deadlineNanos) throws TimeoutException, AnswerTooLarge,
            InterruptedException, ExecutionException {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readNBytes(MAX_ANSWER_BYTES + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        byte[] bytes;
        try {
            bytes = read.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing only stops the reader
            }
            throw e;
        }
        if (bytes.length > MAX_ANSWER_BYTES) throw new AnswerTooLarge();
        return bytes;
    }
}
