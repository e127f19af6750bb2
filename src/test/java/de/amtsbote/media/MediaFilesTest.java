package de.amtsbote.media;

import static org.junit.jupiter.api.Assertions.*;

import de.amtsbote.http.MatrixException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaFilesTest {
    @TempDir Path root;

    private static InputStream bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31);
        return new ByteArrayInputStream(b);
    }

    private long tmpCount() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) { return s.count(); }
    }

    @Test
    void roundTripWithHashAndSize() throws Exception {
        MediaFiles files = new MediaFiles(root);
        byte[] data = "hello media".getBytes(StandardCharsets.UTF_8);
        MediaFiles.StoredFile f = files.write(new ByteArrayInputStream(data), 1000);
        assertEquals(data.length, f.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), f.sha256());
        assertTrue(f.mediaId().matches("[A-Za-z0-9]{24,}"), f.mediaId());
        try (InputStream in = files.open(f.mediaId())) { assertArrayEquals(data, in.readAllBytes()); }
        Path p = files.pathOf(f.mediaId());
        assertTrue(p.startsWith(root.resolve("content")));
        assertEquals(f.mediaId().substring(0, 2), p.getParent().getParent().getFileName().toString());
        assertEquals(0, tmpCount());
    }

    @Test
    void largeUploadSpanningManyBuffers() throws Exception {
        MediaFiles files = new MediaFiles(root);
        MediaFiles.StoredFile f = files.write(bytes(300_000), 300_000);
        assertEquals(300_000, Files.size(files.pathOf(f.mediaId())));
    }

    @Test
    void exactLimitPassesOneMoreByteFailsAndLeavesNothing() throws Exception {
        MediaFiles files = new MediaFiles(root);
        assertEquals(100, files.write(bytes(100), 100).size());
        MatrixException e = assertThrows(MatrixException.class, () -> files.write(bytes(101), 100));
        assertEquals(413, e.status());
        assertEquals("M_TOO_LARGE", e.errcode());
        assertEquals(0, tmpCount());
        String id = files.newMediaId();
        assertThrows(MatrixException.class, () -> files.write(id, bytes(101), 100));
        assertFalse(files.exists(id));
        assertEquals(0, tmpCount());
    }

    @Test
    void emptyUploadIsFine() throws Exception {
        MediaFiles files = new MediaFiles(root);
        assertEquals(0, files.write(new ByteArrayInputStream(new byte[0]), 0).size());
    }

    @Test
    void idsAreUniqueAndLongEnough() throws Exception {
        MediaFiles files = new MediaFiles(root);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = files.newMediaId();
            assertTrue(id.matches("[A-Za-z0-9]{24,}"));
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }

    @Test
    void badIdsAreRejectedAsNotFound() throws Exception {
        MediaFiles files = new MediaFiles(root);
        for (String bad : new String[] {"", "..", "../etc/passwd", "a/b", "a\\b", "a.b", "ab%2F", "é", "a b",
                "abc\u0000", "x".repeat(256)}) {
            MatrixException e = assertThrows(MatrixException.class, () -> files.pathOf(bad), bad);
            assertEquals(404, e.status());
            assertEquals("M_NOT_FOUND", e.errcode());
        }
        assertThrows(MatrixException.class, () -> files.pathOf(null));
        assertThrows(MatrixException.class, () -> files.open("../x"));
        // Remote ids may be short or use _ and -: valid, and still inside the root.
        assertTrue(files.pathOf("a").startsWith(root.resolve("content")));
        assertTrue(files.pathOf("a_-Z").startsWith(root.resolve("content")));
        assertTrue(files.pathOf("x".repeat(255)).startsWith(root.resolve("content")));
    }

    @Test
    void missingContentIsNotFound() throws Exception {
        MediaFiles files = new MediaFiles(root);
        MatrixException e = assertThrows(MatrixException.class, () -> files.open("doesNotExist123"));
        assertEquals(404, e.status());
    }

    @Test
    void givenIdCannotBeOverwritten() throws Exception {
        MediaFiles files = new MediaFiles(root);
        String id = files.newMediaId();
        files.write(id, bytes(10), 100);
        MatrixException e = assertThrows(MatrixException.class, () -> files.write(id, bytes(20), 100));
        assertEquals(409, e.status());
        assertEquals("M_CANNOT_OVERWRITE_MEDIA", e.errcode());
        assertEquals(10, Files.size(files.pathOf(id)));
        assertEquals(0, tmpCount());
    }

    @Test
    void thumbnailsAreWrittenAndDeletedWithContent() throws Exception {
        MediaFiles files = new MediaFiles(root);
        String id = files.write(bytes(10), 100).mediaId();
        Path t = files.writeThumbnail(id, 96, 96, "crop", "image/png", new byte[] {1, 2, 3});
        assertEquals(t, files.thumbnailPath(id, 96, 96, "crop", "image/png"));
        assertTrue(t.startsWith(root.resolve("thumbnails")));
        assertEquals("96x96-crop.png", t.getFileName().toString());
        files.writeThumbnail(id, 96, 96, "crop", "image/png", new byte[] {4, 5});
        try (InputStream in = files.openThumbnail(id, 96, 96, "crop", "image/png")) {
            assertArrayEquals(new byte[] {4, 5}, in.readAllBytes());
        }
        assertNull(files.openThumbnail(id, 320, 240, "scale", "image/jpeg"));
        assertEquals(0, tmpCount());

        files.delete(id);
        assertFalse(files.exists(id));
        assertFalse(Files.exists(t));
        assertFalse(Files.exists(t.getParent()));
        files.delete(id); // idempotent
    }

    @Test
    void thumbnailPathValidatesItsParts() throws Exception {
        MediaFiles files = new MediaFiles(root);
        assertThrows(MatrixException.class, () -> files.thumbnailPath("abc", 0, 10, "crop", "image/png"));
        assertThrows(MatrixException.class, () -> files.thumbnailPath("abc", 10, 10, "../x", "image/png"));
        assertThrows(IllegalArgumentException.class, () -> files.thumbnailPath("abc", 10, 10, "crop", "text/html"));
        assertThrows(MatrixException.class, () -> files.thumbnailPath("a/b", 10, 10, "crop", "image/png"));
    }
}
