package de.amtsbote.media;

import de.amtsbote.http.MatrixException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Media content and thumbnail files on local disk. Layout under the root:
 * {@code content/ab/cd/<id>}, {@code thumbnails/ab/cd/<id>/<w>x<h>-<method>.<ext>} and {@code tmp/} for
 * uploads in progress. Temp files live under the same root so the final rename stays on one file system and
 * is atomic: a reader never sees a half-written file. Metadata (content type, file name, owner) is not kept
 * here but in the database.
 */
public final class MediaFiles {
    /** The spec's whitelist for media ids (content_repo.md, security considerations). */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** 32 chars of 62 symbols is about 190 bits: unguessable, since knowing the id is enough to download. */
    private static final int ID_LENGTH = 32;

    public record StoredFile(String mediaId, long size, String sha256) {}

    private final Path content;
    private final Path thumbnails;
    private final Path tmp;
    private final SecureRandom random = new SecureRandom();

    public MediaFiles(Path root) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        this.content = Files.createDirectories(abs.resolve("content"));
        this.thumbnails = Files.createDirectories(abs.resolve("thumbnails"));
        this.tmp = Files.createDirectories(abs.resolve("tmp"));
    }

    /** A fresh random media id, e.g. for {@code POST /create} before the content exists. */
    public String newMediaId() {
        StringBuilder sb = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    /** Stores an upload under a new media id. */
    public StoredFile write(InputStream in, long maxBytes) throws IOException {
        try {
            return write(newMediaId(), in, maxBytes);
        } catch (MatrixException e) {
            // Only a 190-bit id collision lands here; the stream is consumed, so it cannot be retried.
            if (e.status() == 409) throw new IOException("media id collision", e);
            throw e;
        }
    }

    /**
     * Stores content under a given id (the asynchronous {@code PUT /upload/{server}/{id}}). Throws 413
     * M_TOO_LARGE if more than maxBytes arrive and 409 M_CANNOT_OVERWRITE_MEDIA if the id already has content;
     * in both cases nothing is left behind.
     */
    public StoredFile write(String mediaId, InputStream in, long maxBytes) throws IOException {
        Path target = pathOf(mediaId);
        Path part = Files.createTempFile(tmp, "up-", ".part");
        try {
            MessageDigest sha = sha256();
            long size = 0;
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) != -1) {
                    size += n;
                    // Checked before writing so an oversized upload never costs more than maxBytes of disk.
                    if (size > maxBytes) throw MatrixException.tooLarge("Upload exceeds the limit of " + maxBytes + " bytes");
                    sha.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) ch.write(bb);
                }
                ch.force(true); // data on disk before the name appears, so a crash cannot leave a torn file
            }
            publish(part, target);
            return new StoredFile(mediaId, size, HexFormat.of().formatHex(sha.digest()));
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Where the content of a media id lives. Invalid ids get 404 M_NOT_FOUND, as no such media can exist. */
    public Path pathOf(String mediaId) {
        requireValidId(mediaId);
        return shard(content, mediaId).resolve(mediaId);
    }

    public boolean exists(String mediaId) {
        return Files.isRegularFile(pathOf(mediaId));
    }

    /** Opens stored content; 404 M_NOT_FOUND if there is none. */
    public InputStream open(String mediaId) throws IOException {
        try {
            return Files.newInputStream(pathOf(mediaId));
        } catch (NoSuchFileException e) {
            throw MatrixException.notFound("Media not found");
        }
    }

    /** Deletes content and all its thumbnails; missing files are not an error. */
    public void delete(String mediaId) throws IOException {
        Files.deleteIfExists(pathOf(mediaId));
        Path dir = thumbnailDir(mediaId);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The file of one thumbnail variant; the name is built only from validated parts. */
    public Path thumbnailPath(String mediaId, int width, int height, String method, String contentType) {
        if (width < 1 || height < 1) throw MatrixException.invalidParam("Thumbnail size must be positive");
        if (!"crop".equals(method) && !"scale".equals(method)) {
            throw MatrixException.invalidParam("method must be crop or scale");
        }
        String ext = switch (contentType == null ? "" : contentType.toLowerCase(Locale.ROOT)) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            default -> throw new IllegalArgumentException("unsupported thumbnail type " + contentType);
        };
        return thumbnailDir(mediaId).resolve(width + "x" + height + "-" + method + "." + ext);
    }

    /** Writes a thumbnail atomically; an existing one is replaced (thumbnails are derived, any copy is fine). */
    public Path writeThumbnail(String mediaId, int width, int height, String method, String contentType,
                               byte[] bytes) throws IOException {
        Path target = thumbnailPath(mediaId, width, height, method, contentType);
        Path part = Files.createTempFile(tmp, "th-", ".part");
        try {
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                ByteBuffer bb = ByteBuffer.wrap(bytes);
                while (bb.hasRemaining()) ch.write(bb);
                ch.force(true);
            }
            Files.createDirectories(target.getParent());
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir(target.getParent());
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Opens a stored thumbnail, or returns null if that variant has not been generated yet. */
    public InputStream openThumbnail(String mediaId, int width, int height, String method, String contentType)
            throws IOException {
        try {
            return Files.newInputStream(thumbnailPath(mediaId, width, height, method, contentType));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Path thumbnailDir(String mediaId) {
        requireValidId(mediaId);
        return shard(thumbnails, mediaId).resolve(mediaId);
    }

    /**
     * Gives the finished temp file its final name without ever replacing existing content: link() fails
     * atomically if the name exists, whereas rename() would silently overwrite. Falls back to a plain move on
     * file systems without hard links (racy only against a concurrent upload to the very same id).
     */
    private static void publish(Path part, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, part);
        } catch (FileAlreadyExistsException e) {
            throw new MatrixException(409, "M_CANNOT_OVERWRITE_MEDIA", "Media already uploaded");
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileSystemException && Files.exists(target)) {
                throw new MatrixException(409, "M_CANNOT_OVERWRITE_MEDIA", "Media already uploaded");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
        syncDir(target.getParent());
    }

    /** Makes the new directory entry durable; not possible on every platform, hence best effort. */
    private static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open directories; the rename itself is still atomic
        }
    }

    /** Two levels of two-char directories keep any one directory small. Short ids are padded with '_'. */
    private static Path shard(Path base, String id) {
        String p = (id + "____").substring(0, 4);
        return base.resolve(p.substring(0, 2)).resolve(p.substring(2, 4));
    }

    private static void requireValidId(String mediaId) {
        if (mediaId == null || !VALID_ID.matcher(mediaId).matches()) {
            throw MatrixException.notFound("Invalid media id");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
