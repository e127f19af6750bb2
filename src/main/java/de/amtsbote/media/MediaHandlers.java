package de.amtsbote.media;

import static de.amtsbote.http.Router.Auth.NONE;
import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Resp;
import de.amtsbote.http.Route;
import de.amtsbote.http.Router;
import de.amtsbote.util.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The content repository endpoints: uploads under /_matrix/media, downloads and thumbnails under the
 * authenticated /_matrix/client/v1/media (spec v1.11+).
 *
 * <p>The deprecated unauthenticated /_matrix/media/v3/download and /thumbnail endpoints are registered but,
 * unless {@code serveUnauthenticated} is set, "frozen" as the spec asks of servers since v1.12: media uploaded
 * after the freeze is only served through the authenticated endpoints, and for this server that is all media,
 * so they answer 404 M_NOT_FOUND (which the spec explicitly allows for them).
 */
public final class MediaHandlers implements Handlers {
    private static final String CLIENT_V1 = "/_matrix/client/v1/media";
    private static final String MEDIA_V3 = "/_matrix/media/v3";
    /** Content under an mxc URI never changes, so clients may cache it for as long as they like. */
    private static final String CACHE_AUTHENTICATED = "private, max-age=31536000, immutable";
    private static final String CACHE_PUBLIC = "public, max-age=31536000, immutable";

    private final MediaService media;
    private final boolean serveUnauthenticated;

    public MediaHandlers(MediaService media, boolean serveUnauthenticated) {
        this.media = media;
        this.serveUnauthenticated = serveUnauthenticated;
    }

    @Override
    public void register(Router r) {
        r.add("POST", MEDIA_V3 + "/upload", USER, req -> {
            String uri = media.upload(req.userId(), req.header("Content-Type"), req.query("filename"),
                    contentLength(req), req.bodyStream());
            return Json.object().put("content_uri", uri);
        });
        r.add("POST", "/_matrix/media/v1/create", USER, req -> {
            MediaService.Created c = media.create(req.userId());
            return Json.object().put("content_uri", c.contentUri()).put("unused_expires_at", c.unusedExpiresAt());
        });
        r.add("PUT", MEDIA_V3 + "/upload/{serverName}/{mediaId}", USER, req -> {
            media.uploadTo(req.userId(), req.path("serverName"), req.path("mediaId"), req.header("Content-Type"),
                    req.query("filename"), contentLength(req), req.bodyStream());
            return Json.object();
        });

        Route download = req -> download(req, CACHE_AUTHENTICATED);
        Route thumbnail = req -> thumbnail(req, CACHE_AUTHENTICATED);
        getAndHead(r, CLIENT_V1 + "/download/{serverName}/{mediaId}", USER, download);
        getAndHead(r, CLIENT_V1 + "/download/{serverName}/{mediaId}/{fileName}", USER, download);
        getAndHead(r, CLIENT_V1 + "/thumbnail/{serverName}/{mediaId}", USER, thumbnail);
        r.add("GET", CLIENT_V1 + "/config", USER, req -> config());
        r.add("GET", CLIENT_V1 + "/preview_url", USER, req -> previewUrl());

        Route legacyDownload = req -> legacy(() -> download(req, CACHE_PUBLIC));
        Route legacyThumbnail = req -> legacy(() -> thumbnail(req, CACHE_PUBLIC));
        getAndHead(r, MEDIA_V3 + "/download/{serverName}/{mediaId}", NONE, legacyDownload);
        getAndHead(r, MEDIA_V3 + "/download/{serverName}/{mediaId}/{fileName}", NONE, legacyDownload);
        getAndHead(r, MEDIA_V3 + "/thumbnail/{serverName}/{mediaId}", NONE, legacyThumbnail);
        // The deprecated config and preview endpoints always required a token, so they are not frozen.
        r.add("GET", MEDIA_V3 + "/config", USER, req -> config());
        r.add("GET", MEDIA_V3 + "/preview_url", USER, req -> previewUrl());
    }

    private static void getAndHead(Router r, String path, Router.Auth auth, Route route) {
        r.add("GET", path, auth, route);
        r.add("HEAD", path, auth, route);
    }

    private interface Serve {
        Resp serve() throws Exception;
    }

    private Resp legacy(Serve serve) throws Exception {
        if (!serveUnauthenticated) {
            throw MatrixException.notFound("Unauthenticated media access is frozen; use /_matrix/client/v1/media");
        }
        return serve.serve();
    }

    private ObjectNode config() {
        return Json.object().put("m.upload.size", media.maxUploadBytes());
    }

    private static Object previewUrl() {
        // No outbound fetching: previews would make the server fetch arbitrary URLs on users' behalf.
        throw MatrixException.unrecognized("URL previews are not supported by this server");
    }

    private Resp download(Req req, String cacheControl) throws Exception {
        MediaService.Content c = media.content(req.path("serverName"), req.path("mediaId"), timeoutMs(req));
        String type = MediaSafety.safeContentType(c.media().contentType());
        // A name in the URL replaces the uploaded one, as the spec requires.
        String name = req.path("fileName") != null ? req.path("fileName") : c.media().fileName();
        Resp resp = fileResponse(type, c.file(), c.size())
                .header("Content-Disposition", MediaSafety.contentDisposition(type, name, false))
                .header("Cache-Control", cacheControl);
        return withSecurityHeaders(resp);
    }

    private Resp thumbnail(Req req, String cacheControl) throws Exception {
        int width = dimension(req, "width");
        int height = dimension(req, "height");
        String method = req.query("method");
        if (method == null) method = "scale";
        if (!method.equals("crop") && !method.equals("scale")) {
            throw MatrixException.invalidParam("method must be crop or scale");
        }
        req.queryBool("animated", false); // validated; our thumbnails are always still images, which the spec allows
        MediaService.ThumbnailFile t = media.thumbnail(req.path("serverName"), req.path("mediaId"), width, height,
                method, timeoutMs(req));
        String ext = t.contentType().equals("image/png") ? "png" : "jpg";
        Resp resp = fileResponse(t.contentType(), t.file(), t.size())
                .header("Content-Disposition", "inline; filename=\"thumbnail." + ext + "\"")
                .header("Cache-Control", cacheControl);
        return withSecurityHeaders(resp);
    }

    /** Streams a file; it is opened only when the body is written, so HEAD never opens it. */
    private static Resp fileResponse(String contentType, Path file, long size) {
        return Resp.stream(contentType, size, out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
        });
    }

    private static Resp withSecurityHeaders(Resp resp) {
        MediaSafety.securityHeaders().forEach(resp::header);
        return resp;
    }

    private static int dimension(Req req, String name) {
        String v = req.query(name);
        if (v == null) throw MatrixException.missingParam("Query parameter '" + name + "' is required");
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter '" + name + "' must be a whole number");
        }
        if (n < 1) throw MatrixException.invalidParam("Query parameter '" + name + "' must be positive");
        return n;
    }

    private static int timeoutMs(Req req) {
        return req.queryInt("timeout_ms", 20_000, 0, MediaService.MAX_WAIT_MS);
    }

    private static long contentLength(Req req) {
        String v = req.header("Content-Length");
        if (v == null) return -1;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
