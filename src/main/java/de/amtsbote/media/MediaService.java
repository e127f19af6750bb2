package de.amtsbote.media;

import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.MediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The content repository: uploads (direct and the asynchronous create-then-PUT), lookups for download and
 * thumbnails. Only local media exists; any other server name is "not found" as there is no federation.
 *
 * <p>Pending asynchronous uploads ({@code POST /create}) are kept in memory only: after a restart their ids
 * are unknown, which the spec allows ("the MXC ID has expired").
 */
public final class MediaService {
    /** The spec's recommended lifetime of an unused id from /create. */
    public static final long UNUSED_EXPIRY_MS = 24 * 60 * 60 * 1000L;
    /** Pending (created, not yet uploaded) ids one user may hold at once; the spec asks for such a limit. */
    public static final int MAX_PENDING_PER_USER = 50;
    /** Upper bound for timeout_ms when waiting for a pending upload. */
    public static final int MAX_WAIT_MS = 60_000;
    /** Concurrent thumbnail renderings; decoding is CPU and memory heavy. */
    private static final int THUMBNAIL_CONCURRENCY = 2;
    private static final long THUMBNAIL_QUEUE_WAIT_MS = 30_000;
    private static final int MAX_CONTENT_TYPE_LENGTH = 255;
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    /** What a download serves: the metadata and the file (whose size is what we send). */
    public record Content(MediaStore.Media media, Path file, long size) {}

    /** A thumbnail file ready to serve. */
    public record ThumbnailFile(Path file, String contentType, long size) {}

    public record Created(String contentUri, long unusedExpiresAt) {}

    private record Pending(String userId, long expiresAt, CompletableFuture<Void> done) {}

    private final String serverName;
    private final MediaStore store;
    private final MediaFiles files;
    private final long maxUploadBytes;
    private final LongSupplier clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Semaphore thumbnailSlots = new Semaphore(THUMBNAIL_CONCURRENCY, true);

    public MediaService(String serverName, MediaStore store, MediaFiles files, long maxUploadBytes) {
        this(serverName, store, files, maxUploadBytes, System::currentTimeMillis);
    }

    public MediaService(String serverName, MediaStore store, MediaFiles files, long maxUploadBytes, LongSupplier clock) {
        this.serverName = serverName;
        this.store = store;
        this.files = files;
        this.maxUploadBytes = maxUploadBytes;
        this.clock = clock;
    }

    public long maxUploadBytes() { return maxUploadBytes; }

    public String serverName() { return serverName; }

    /** {@code POST /upload}: stores the body under a new id and returns its mxc:// URI. */
    public String upload(String userId, String contentType, String fileName, long declaredLength, InputStream body)
            throws IOException {
        String type = checkContentType(contentType);
        checkDeclaredLength(declaredLength);
        MediaFiles.StoredFile f = files.write(body, maxUploadBytes);
        record(userId, type, fileName, f);
        return mxc(f.mediaId());
    }

    /** {@code POST /create}: reserves an id for a later {@code PUT /upload/{server}/{id}}. */
    public Created create(String userId) {
        long now = clock.getAsLong();
        pending.values().removeIf(p -> p.expiresAt() <= now);
        long mine = pending.values().stream().filter(p -> p.userId().equals(userId)).count();
        if (mine >= MAX_PENDING_PER_USER) throw MatrixException.limitExceeded(60_000);
        String id = files.newMediaId();
        long expires = now + UNUSED_EXPIRY_MS;
        pending.put(id, new Pending(userId, expires, new CompletableFuture<>()));
        return new Created(mxc(id), expires);
    }

    /** {@code PUT /upload/{server}/{id}}: the content for an id from {@link #create}. */
    public void uploadTo(String userId, String server, String mediaId, String contentType, String fileName,
                         long declaredLength, InputStream body) throws IOException {
        requireLocal(server);
        Pending p = pending.get(mediaId);
        if (p == null || p.expiresAt() <= clock.getAsLong()) {
            if (p != null) pending.remove(mediaId, p);
            if (store.get(validId(mediaId)).isPresent()) {
                throw new MatrixException(409, "M_CANNOT_OVERWRITE_MEDIA", "Media already uploaded");
            }
            throw MatrixException.notFound("Unknown or expired media id");
        }
        if (!p.userId().equals(userId)) throw MatrixException.forbidden("This media id was created by another user");
        String type = checkContentType(contentType);
        checkDeclaredLength(declaredLength);
        MediaFiles.StoredFile f = files.write(mediaId, body, maxUploadBytes); // 409 if a parallel PUT won
        record(userId, type, fileName, f);
        pending.remove(mediaId, p);
        p.done().complete(null);
    }

    /**
     * The content of local media. If the id was created but its content has not arrived yet, waits up to
     * timeoutMs and then answers 504 M_NOT_YET_UPLOADED.
     */
    public Content content(String server, String mediaId, int timeoutMs) throws IOException {
        requireLocal(server);
        MediaStore.Media m = metadata(mediaId, timeoutMs);
        Path file = files.pathOf(mediaId);
        try {
            return new Content(m, file, Files.size(file));
        } catch (NoSuchFileException e) {
            throw MatrixException.notFound("Media not found");
        }
    }

    /**
     * A thumbnail of at least the requested size (snapped to a standard size), from the disk cache or freshly
     * rendered. 400 M_UNKNOWN if the content is not an image we can thumbnail. Thumbnails are never animated:
     * for animated=true the spec lets us behave as for false when we cannot animate.
     */
    public ThumbnailFile thumbnail(String server, String mediaId, int width, int height, String method,
                                   int timeoutMs) throws IOException {
        requireLocal(server);
        Thumbnailer.Size size = Thumbnailer.chooseSize(width, height, method);
        MediaStore.Media m = metadata(mediaId, timeoutMs);
        if (!Thumbnailer.canThumbnail(m.contentType())) throw cannotThumbnail();
        ThumbnailFile cached = cachedThumbnail(mediaId, size);
        if (cached != null) return cached;

        boolean acquired;
        try {
            acquired = thumbnailSlots.tryAcquire(THUMBNAIL_QUEUE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a thumbnail slot", e);
        }
        if (!acquired) throw MatrixException.limitExceeded(5_000);
        try {
            cached = cachedThumbnail(mediaId, size); // another request may have rendered it meanwhile
            if (cached != null) return cached;
            Thumbnailer.Thumbnail t;
            try (InputStream in = files.open(mediaId)) {
                t = Thumbnailer.make(in, m.contentType(), size.width(), size.height(), size.method());
            }
            if (t == null) throw cannotThumbnail();
            Path p = files.writeThumbnail(mediaId, size.width(), size.height(), size.method(), t.contentType(), t.bytes());
            return new ThumbnailFile(p, t.contentType(), t.bytes().length);
        } finally {
            thumbnailSlots.release();
        }
    }

    private ThumbnailFile cachedThumbnail(String mediaId, Thumbnailer.Size size) throws IOException {
        for (String type : new String[] {"image/png", "image/jpeg"}) {
            Path p = files.thumbnailPath(mediaId, size.width(), size.height(), size.method(), type);
            try {
                return new ThumbnailFile(p, type, Files.size(p));
            } catch (NoSuchFileException e) {
                // not rendered in this type
            }
        }
        return null;
    }

    private MediaStore.Media metadata(String mediaId, int timeoutMs) {
        String id = validId(mediaId);
        var m = store.get(id);
        if (m.isPresent()) return m.get();
        Pending p = pending.get(id);
        if (p == null || p.expiresAt() <= clock.getAsLong()) throw MatrixException.notFound("Media not found");
        try {
            p.done().get(Math.max(0, Math.min(timeoutMs, MAX_WAIT_MS)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MatrixException(504, "M_NOT_YET_UPLOADED", "Content has not yet been uploaded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatrixException(504, "M_NOT_YET_UPLOADED", "Content has not yet been uploaded");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return store.get(id).orElseThrow(() -> MatrixException.notFound("Media not found"));
    }

    private void record(String userId, String type, String fileName, MediaFiles.StoredFile f) throws IOException {
        try {
            store.add(new MediaStore.Media(f.mediaId(), userId, type, MediaSafety.validateFileName(fileName),
                    f.size(), f.sha256(), clock.getAsLong()));
        } catch (RuntimeException e) {
            files.delete(f.mediaId()); // no content without metadata
            throw e;
        }
    }

    private void requireLocal(String server) {
        // No federation yet: remote media can neither be fetched nor is any cached.
        if (!serverName.equals(server)) throw MatrixException.notFound("Media not found");
    }

    /** Ids outside the spec's alphabet cannot exist, so they are "not found" before any lookup. */
    private static String validId(String mediaId) {
        if (mediaId == null || !VALID_ID.matcher(mediaId).matches()) throw MatrixException.notFound("Media not found");
        return mediaId;
    }

    private void checkDeclaredLength(long declaredLength) {
        // Refuse before reading a byte when the client announces too much; the stream is checked as well.
        if (declaredLength > maxUploadBytes) {
            throw MatrixException.tooLarge("Upload exceeds the limit of " + maxUploadBytes + " bytes");
        }
    }

    private static String checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) return MediaSafety.OCTET_STREAM; // the spec's default
        String t = contentType.strip();
        if (t.length() > MAX_CONTENT_TYPE_LENGTH || t.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw MatrixException.invalidParam("Content-Type is not valid");
        }
        return t;
    }

    private static MatrixException cannotThumbnail() {
        return MatrixException.unknown("Cannot generate thumbnails for the requested content");
    }

    private String mxc(String mediaId) {
        return "mxc://" + serverName + "/" + mediaId;
    }
}
