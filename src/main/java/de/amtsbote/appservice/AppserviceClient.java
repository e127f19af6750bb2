package de.amtsbote.appservice;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls from the homeserver to an application service, each with {@code Authorization: Bearer <hs_token>}.
 * Only the current {@code /_matrix/app/v1} paths are used (the legacy unversioned fallback is not).
 */
final class AppserviceClient {
    /** The service's answer. */
    record Answer(int status, String body) {
        boolean ok() { return status >= 200 && status < 300; }
    }

    /** The service could not be reached in time (connect or answer). */
    static final class Timeout extends IOException {
        Timeout(Throwable cause) { super("timed out", cause); }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    Answer putTransaction(Registration as, long txnId, String body) throws IOException, InterruptedException {
        return send(as, "PUT", "/_matrix/app/v1/transactions/" + txnId, body, Duration.ofSeconds(60));
    }

    Answer queryUser(Registration as, String userId) throws IOException, InterruptedException {
        return send(as, "GET", "/_matrix/app/v1/users/" + encode(userId), null, Duration.ofSeconds(10));
    }

    Answer queryAlias(Registration as, String alias) throws IOException, InterruptedException {
        return send(as, "GET", "/_matrix/app/v1/rooms/" + encode(alias), null, Duration.ofSeconds(10));
    }

    Answer ping(Registration as, String body) throws IOException, InterruptedException {
        return send(as, "POST", "/_matrix/app/v1/ping", body, Duration.ofSeconds(15));
    }

    private Answer send(Registration as, String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        String base = as.url().endsWith("/") ? as.url().substring(0, as.url().length() - 1) : as.url();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + as.hsToken());
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String text = r.body();
            if (text != null && text.length() > 4096) text = text.substring(0, 4096);
            return new Answer(r.statusCode(), text == null ? "" : text);
        } catch (HttpTimeoutException e) {
            throw new Timeout(e);
        }
    }

    private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }
}
