package de.amtsbote.media;

import static org.junit.jupiter.api.Assertions.*;

import de.amtsbote.http.MatrixException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailerTest {

    private static byte[] image(int w, int h, int type, String format) throws Exception {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        // Three vertical bands so crops can be checked for centring.
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 3, h);
        g.setColor(Color.GREEN);
        g.fillRect(w / 3, 0, w - 2 * (w / 3), h);
        g.setColor(Color.BLUE);
        g.fillRect(w - w / 3, 0, w / 3, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }

    private static BufferedImage decode(Thumbnailer.Thumbnail t) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(t.bytes()));
        assertEquals(t.width(), img.getWidth());
        assertEquals(t.height(), img.getHeight());
        return img;
    }

    @Test
    void scaleFitsInsideKeepingAspect() throws Exception {
        byte[] png = image(1000, 500, BufferedImage.TYPE_INT_RGB, "png");
        Thumbnailer.Thumbnail t = Thumbnailer.make(png, "image/png", 320, 240, "scale");
        assertEquals("image/png", t.contentType());
        assertEquals(320, t.width());
        assertEquals(160, t.height());
        decode(t);

        byte[] jpeg = image(500, 1000, BufferedImage.TYPE_INT_RGB, "jpeg");
        t = Thumbnailer.make(jpeg, "image/jpeg", 320, 240, "scale");
        assertEquals("image/jpeg", t.contentType());
        assertEquals(120, t.width());
        assertEquals(240, t.height());
        decode(t);
    }

    @Test
    void cropFillsExactlyFromTheCentre() throws Exception {
        for (String format : new String[] {"png", "jpeg"}) {
            byte[] img = image(1500, 500, BufferedImage.TYPE_INT_RGB, format);
            Thumbnailer.Thumbnail t = Thumbnailer.make(img, "image/" + format, 96, 96, "crop");
            assertEquals("image/" + format, t.contentType());
            assertEquals(96, t.width());
            assertEquals(96, t.height());
            BufferedImage out = decode(t);
            // The centre 500x500 of the source is exactly the green band, so all of it is green.
            for (int[] p : new int[][] {{2, 2}, {93, 93}, {48, 48}}) {
                Color c = new Color(out.getRGB(p[0], p[1]));
                assertTrue(c.getGreen() > 200 && c.getRed() < 60 && c.getBlue() < 60, format + " " + c);
            }
        }
        Thumbnailer.Thumbnail t = Thumbnailer.make(image(300, 900, BufferedImage.TYPE_INT_RGB, "png"),
                "image/png", 320, 240, "crop");
        assertEquals(300, t.width()); // region is 300x225; not upscaled to 320x240
        assertEquals(225, t.height());
    }

    @Test
    void largeSourceIsSubsampledToTheExactSize() throws Exception {
        byte[] jpeg = image(3001, 1500, BufferedImage.TYPE_INT_RGB, "jpeg");
        Thumbnailer.Thumbnail t = Thumbnailer.make(new ByteArrayInputStream(jpeg), "image/jpeg", 800, 600, "scale");
        assertEquals(800, t.width());
        assertEquals(400, t.height());
        t = Thumbnailer.make(jpeg, "image/jpeg", 32, 32, "crop");
        assertEquals(32, decode(t).getWidth());
    }

    /** A 200x100 JPEG, left half red and right half blue, tagged with the given EXIF orientation. */
    private static byte[] orientedJpeg(int orientation, boolean littleEndian) throws Exception {
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 100, 100);
        g.setColor(Color.BLUE);
        g.fillRect(100, 0, 100, 100);
        g.dispose();
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", plain);
        byte[] jpeg = plain.toByteArray();
        ByteBuffer tiff = ByteBuffer.allocate(26).order(littleEndian
                ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M')).putShort((short) 42)
                .putInt(8).putShort((short) 1)
                .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
                .putInt(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, 0, (byte) (2 + 6 + 26)});
        out.write("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(tiff.array());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static boolean reddish(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 200 && c.getBlue() < 60;
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        // 6: displayed rotated 90 degrees clockwise, so 100x200 with red on top.
        for (boolean le : new boolean[] {false, true}) {
            Thumbnailer.Thumbnail t = Thumbnailer.make(orientedJpeg(6, le), "image/jpeg", 320, 240, "scale");
            assertEquals(100, t.width());
            assertEquals(200, t.height());
            BufferedImage out = decode(t);
            assertTrue(reddish(out.getRGB(50, 20)));
            assertFalse(reddish(out.getRGB(50, 180)));
        }
        // 8: counter-clockwise, red at the bottom.
        BufferedImage out = decode(Thumbnailer.make(orientedJpeg(8, false), "image/jpeg", 320, 240, "scale"));
        assertEquals(100, out.getWidth());
        assertTrue(reddish(out.getRGB(50, 180)));
        // 3: upside down, red on the right; crop on a rotated picture works in display orientation.
        out = decode(Thumbnailer.make(orientedJpeg(3, true), "image/jpeg", 100, 50, "crop"));
        assertEquals(100, out.getWidth());
        assertEquals(50, out.getHeight());
        assertTrue(reddish(out.getRGB(90, 25)));
        Thumbnailer.Thumbnail t = Thumbnailer.make(orientedJpeg(6, false), "image/jpeg", 50, 80, "crop");
        assertEquals(50, t.width());
        assertEquals(80, t.height());
        // Unknown orientation values are ignored.
        assertEquals(200, Thumbnailer.make(orientedJpeg(9, false), "image/jpeg", 800, 600, "scale").width());
    }

    @Test
    void neverUpscales() throws Exception {
        byte[] small = image(50, 40, BufferedImage.TYPE_INT_RGB, "png");
        Thumbnailer.Thumbnail t = Thumbnailer.make(small, "image/png", 320, 240, "scale");
        assertEquals(50, t.width());
        assertEquals(40, t.height());
        t = Thumbnailer.make(small, "image/png", 96, 96, "crop");
        assertEquals(40, t.width());
        assertEquals(40, t.height());
        decode(t);
    }

    @Test
    void outputFormatFollowsInputAndAlpha() throws Exception {
        Thumbnailer.Thumbnail gif = Thumbnailer.make(image(200, 100, BufferedImage.TYPE_INT_RGB, "gif"),
                "image/gif", 96, 96, "crop");
        assertEquals("image/png", gif.contentType());
        decode(gif);
        Thumbnailer.Thumbnail bmp = Thumbnailer.make(image(200, 100, BufferedImage.TYPE_INT_RGB, "bmp"),
                "image/bmp", 32, 32, "crop");
        assertEquals("image/jpeg", bmp.contentType());
        decode(bmp);

        BufferedImage argb = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB); // fully transparent
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(argb, "png", out);
        Thumbnailer.Thumbnail t = Thumbnailer.make(out.toByteArray(), "image/png; charset=x", 32, 32, "crop");
        assertEquals("image/png", t.contentType());
        assertEquals(0, decode(t).getRGB(16, 16) >>> 24, "alpha kept");
    }

    @Test
    void unsupportedOrBrokenContentGivesNull() throws Exception {
        byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        assertNull(Thumbnailer.make(svg, "image/svg+xml", 96, 96, "crop"));
        assertNull(Thumbnailer.make(svg, "text/html", 96, 96, "crop"));
        assertNull(Thumbnailer.make(svg, null, 96, 96, "crop"));
        assertNull(Thumbnailer.make(image(10, 10, 1, "png"), "application/octet-stream", 96, 96, "crop"));
        assertNull(Thumbnailer.make(svg, "image/png", 96, 96, "crop"), "garbage labelled as PNG");
        assertNull(Thumbnailer.make(image(10, 10, 1, "png"), "image/jpeg", 96, 96, "crop"), "mislabelled");
        assertNull(Thumbnailer.make(new byte[0], "image/gif", 96, 96, "crop"));
        assertFalse(Thumbnailer.canThumbnail("image/svg+xml"));
        assertTrue(Thumbnailer.canThumbnail("IMAGE/JPEG"));
    }

    @Test
    void nonsensicalRequestsAreRejected() throws Exception {
        byte[] png = image(10, 10, BufferedImage.TYPE_INT_RGB, "png");
        assertEquals(400, assertThrows(MatrixException.class,
                () -> Thumbnailer.make(png, "image/png", 0, 10, "crop")).status());
        assertEquals(400, assertThrows(MatrixException.class,
                () -> Thumbnailer.make(png, "image/png", 10, -5, "scale")).status());
        assertEquals(400, assertThrows(MatrixException.class,
                () -> Thumbnailer.make(png, "image/png", 10, 10, "zoom")).status());
        assertEquals(400, assertThrows(MatrixException.class,
                () -> Thumbnailer.make(png, "image/png", 10, 10, null)).status());
    }

    /** A PNG whose header claims 100000x100000 pixels: must be refused before decoding. */
    @Test
    void hugeDimensionsAreRefusedFromTheHeader() throws Exception {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IEND", new byte[0]);
        MatrixException e = assertThrows(MatrixException.class,
                () -> Thumbnailer.make(png.toByteArray(), "image/png", 96, 96, "crop"));
        assertEquals(413, e.status());
        assertEquals("M_TOO_LARGE", e.errcode());

        byte[] normal = image(1000, 500, BufferedImage.TYPE_INT_RGB, "png");
        assertThrows(MatrixException.class, () -> Thumbnailer.make(
                new ByteArrayInputStream(normal), "image/png", 96, 96, "crop", 499_999));
        assertNotNull(Thumbnailer.make(new ByteArrayInputStream(normal), "image/png", 96, 96, "crop", 500_000));
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void requestsSnapToStandardSizes() {
        assertEquals(new Thumbnailer.Size(32, 32, "crop"), Thumbnailer.chooseSize(32, 32, "crop"));
        assertEquals(new Thumbnailer.Size(32, 32, "crop"), Thumbnailer.chooseSize(1, 1, "crop"));
        assertEquals(new Thumbnailer.Size(96, 96, "crop"), Thumbnailer.chooseSize(64, 64, "crop"));
        assertEquals(new Thumbnailer.Size(320, 240, "scale"), Thumbnailer.chooseSize(64, 64, "scale"));
        assertEquals(new Thumbnailer.Size(320, 240, "scale"), Thumbnailer.chooseSize(200, 200, "crop"));
        assertEquals(new Thumbnailer.Size(640, 480, "scale"), Thumbnailer.chooseSize(600, 100, "scale"));
        assertEquals(new Thumbnailer.Size(800, 600, "scale"), Thumbnailer.chooseSize(800, 600, "scale"));
        assertEquals(new Thumbnailer.Size(800, 600, "scale"), Thumbnailer.chooseSize(4000, 4000, "scale"));
        assertEquals(new Thumbnailer.Size(800, 600, "scale"), Thumbnailer.chooseSize(4000, 10, "crop"));
    }
}
