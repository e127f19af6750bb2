package de.amtsbote.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the built web client from the jar (classpath folder webclient/) at "/". Paths without a file
 * extension get index.html, so the client's own routes survive a reload. Files are cached in memory; the
 * whole client is a few hundred kilobytes.
 */
public final class StaticFiles implements HttpServer.Fallback {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("wasm", "application/wasm"), Map.entry("map", "application/json"));
    /** Only our own scripts; media only from our origin or blob: URLs the client made from fetched media. */
    private static final String CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; media-src 'self' blob:; "
            + "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final String root;
    private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

    public StaticFiles(String classpathRoot) { this.root = classpathRoot; }

    @Override
    public Resp serve(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) return null;
        if (path.contains("..") || path.contains("\\")) return null;
        String file = path.equals("/") ? "/index.html" : path;
        String name = file.substring(file.lastIndexOf('/') + 1);
        boolean hasExt = name.contains(".");
        byte[] body = load(file);
        if (body == null && !hasExt) {
            file = "/index.html";
            body = load(file);
        }
        if (body == null) {
            if (!file.equals("/index.html")) return null;
            body = ("<!doctype html><meta charset=utf-8><title>Amtsbote</title><p>The Amtsbote server is running, "
                    + "but this build has no web client. Build with Node.js installed to include it.</p>")
                    .getBytes(StandardCharsets.UTF_8);
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        Resp r = Resp.bytes(200, TYPES.getOrDefault(ext, "application/octet-stream"), body)
                .header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY");
        // Hashed asset names never change; the shell and service worker must be revalidated.
        boolean immutable = file.startsWith("/assets/");
        r.header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
        if (file.equals("/sw.js")) r.header("Service-Worker-Allowed", "/");
        return r;
    }

    private byte[] load(String file) {
        byte[] cached = cache.get(file);
        if (cached != null) return cached;
        try (InputStream in = StaticFiles.class.getResourceAsStream(root + file)) {
            if (in == null) return null;
            byte[] b = in.readAllBytes();
            cache.put(file, b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
