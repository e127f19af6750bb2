package de.amtsbote.media;

import de.amtsbote.http.MatrixException;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes still thumbnails of raster images with the JDK's ImageIO. Only a fixed set of decoders is ever used
 * (never SVG or anything else that could execute or fetch), the output is always freshly encoded PNG or JPEG
 * (so it is inline-safe and carries no metadata of the upload), and the pixel count is checked from the header
 * before anything is decoded, to defuse decompression bombs. JPEG EXIF orientation is applied. Animated thumbnails are not produced: GIFs give
 * their first frame, which the spec allows for {@code animated=true}.
 */
public final class Thumbnailer {
    /** Decoding allocates 4 bytes per pixel, so this caps one decode at about 200 MB. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    public record Thumbnail(byte[] bytes, String contentType, int width, int height) {}

    public record Size(int width, int height, String method) {}

    /** The sizes the spec suggests servers produce, smallest first within each method. */
    public static final List<Size> STANDARD_SIZES = List.of(
            new Size(32, 32, "crop"), new Size(96, 96, "crop"),
            new Size(320, 240, "scale"), new Size(640, 480, "scale"), new Size(800, 600, "scale"));

    /** Declared content type to ImageIO format; these are the only decoders we run. */
    private static final Map<String, String> FORMATS = Map.of(
            "image/jpeg", "jpeg", "image/jpg", "jpeg", "image/pjpeg", "jpeg",
            "image/png", "png", "image/gif", "gif", "image/bmp", "bmp", "image/x-ms-bmp", "bmp");

    private static final float JPEG_QUALITY = 0.85f;

    static {
        ImageIO.setUseCache(false); // no temp files on disk for image streams; we only use memory streams anyway
    }

    private Thumbnailer() {}

    public static boolean canThumbnail(String contentType) {
        return FORMATS.containsKey(baseType(contentType));
    }

    public static Thumbnail make(byte[] image, String contentType, int width, int height, String method) {
        return make(new ByteArrayInputStream(image), contentType, width, height, method, DEFAULT_MAX_PIXELS);
    }

    public static Thumbnail make(InputStream image, String contentType, int width, int height, String method) {
        return make(image, contentType, width, height, method, DEFAULT_MAX_PIXELS);
    }

    /**
     * Returns the thumbnail, or null if the type is not one we thumbnail or the data does not decode as that
     * type (the caller answers 400 "cannot thumbnail"). Throws 400 M_INVALID_PARAM for a nonsensical request
     * and 413 M_TOO_LARGE for images above maxPixels (for remote media the caller answers 502 instead).
     * Never upscales: an image smaller than the request comes back re-encoded at its own size.
     */
    public static Thumbnail make(InputStream image, String contentType, int width, int height, String method,
                                 long maxPixels) {
        if (width < 1 || height < 1) throw MatrixException.invalidParam("width and height must be positive");
        boolean crop = switch (method) {
            case "crop" -> true;
            case "scale" -> false;
            case null, default -> throw MatrixException.invalidParam("method must be crop or scale");
        };
        String format = FORMATS.get(baseType(contentType));
        if (format == null) return null;

        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) return null;
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(image)) {
            int orientation = format.equals("jpeg") ? exifOrientation(in) : 1;
            in.seek(0);
            // ImageIO's metadata is ignored: we only need the orientation, and metadata can be large or malformed.
            reader.setInput(in, true, true);
            int storedW = reader.getWidth(0);
            int storedH = reader.getHeight(0);
            if (storedW < 1 || storedH < 1) return null;
            if ((long) storedW * storedH > maxPixels) throw MatrixException.tooLarge("Image is too large to thumbnail");
            boolean swap = orientation >= 5; // EXIF 5..8 turn the picture by 90 degrees
            int srcW = swap ? storedH : storedW;
            int srcH = swap ? storedW : storedH;

            // Geometry in display orientation: which region to use and how big the output becomes.
            Rectangle region = new Rectangle(0, 0, srcW, srcH);
            int outW, outH;
            if (crop) {
                // Largest centred region with the requested aspect ratio.
                if ((long) srcW * height > (long) srcH * width) {
                    region.width = Math.max(1, (int) Math.round((double) srcH * width / height));
                } else {
                    region.height = Math.max(1, (int) Math.round((double) srcW * height / width));
                }
                region.x = (srcW - region.width) / 2;
                region.y = (srcH - region.height) / 2;
                // Exactly the requested size, unless that would mean upscaling the region.
                outW = Math.min(width, region.width);
                outH = Math.min(height, region.height);
            } else {
                double f = Math.min(1.0, Math.min((double) width / srcW, (double) height / srcH));
                outW = Math.max(1, (int) Math.round(srcW * f));
                outH = Math.max(1, (int) Math.round(srcH * f));
            }

            // Let the decoder skip pixels we would throw away anyway, keeping 2x the output for quality.
            // The region is centred, so in stored orientation it is the centred region with swapped sides.
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(swap
                    ? new Rectangle(region.y, region.x, region.height, region.width) : region);
            int step = Math.max(1, Math.min(region.width / outW, region.height / outH) / 2);
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage src = orient(reader.read(0, param), orientation);

            boolean alpha = src.getColorModel().hasAlpha();
            // PNG keeps transparency and the crisp edges of PNG/GIF graphics; photos compress better as JPEG.
            boolean png = alpha || format.equals("png") || format.equals("gif");
            BufferedImage out = resize(src, outW, outH,
                    alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            byte[] bytes = png ? encode(out, "png", null) : encode(out, "jpeg", JPEG_QUALITY);
            return new Thumbnail(bytes, png ? "image/png" : "image/jpeg", outW, outH);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MatrixException m) throw m;
            // Corrupt or mislabelled data, or a format variant ImageIO cannot read (e.g. CMYK JPEG).
            return null;
        } finally {
            reader.dispose();
        }
    }

    /**
     * Snaps a requested size to one of the standard sizes, so we only ever store a handful of variants per
     * media and cannot be made to render arbitrarily many. Picks the smallest standard size that is at least
     * as large as requested (the spec forbids returning less than asked for), preferring the requested method;
     * requests larger than every standard size get the largest one.
     */
    public static Size chooseSize(int reqW, int reqH, String method) {
        Size fallback = null;
        for (Size s : STANDARD_SIZES) {
            if (s.width() < reqW || s.height() < reqH) continue;
            if (s.method().equals(method)) return s;
            if (fallback == null) fallback = s;
        }
        return fallback != null ? fallback : STANDARD_SIZES.getLast();
    }

    /**
     * The EXIF orientation (1..8) of a JPEG, 1 if absent or unreadable. Phone cameras store pixels as
     * captured and only tag the rotation, so without this their portrait photos come out sideways.
     */
    static int exifOrientation(ImageInputStream in) {
        try {
            if (in.readUnsignedShort() != 0xFFD8) return 1;
            for (int segments = 0; segments < 32; segments++) {
                int marker = in.readUnsignedShort();
                if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) return 1;
                int len = in.readUnsignedShort() - 2;
                if (len < 0) return 1;
                if (marker != 0xFFE1 || len < 14) {
                    in.skipBytes(len);
                    continue;
                }
                byte[] app1 = new byte[len];
                in.readFully(app1);
                if (!new String(app1, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) continue;
                ByteBuffer tiff = ByteBuffer.wrap(app1, 6, len - 6).slice();
                tiff.order(tiff.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                int ifd = tiff.getInt(4);
                int count = tiff.getShort(ifd) & 0xFFFF;
                for (int i = 0; i < count; i++) {
                    int entry = ifd + 2 + 12 * i;
                    if ((tiff.getShort(entry) & 0xFFFF) == 0x0112) {
                        int v = tiff.getShort(entry + 8) & 0xFFFF;
                        return v >= 1 && v <= 8 ? v : 1;
                    }
                }
                return 1;
            }
        } catch (IOException | RuntimeException e) {
            // truncated or malformed EXIF: treat as unrotated, the decoder decides whether the image is usable
        }
        return 1;
    }

    /** Applies an EXIF orientation: maps stored pixels to how the picture is meant to be displayed. */
    private static BufferedImage orient(BufferedImage img, int orientation) {
        if (orientation <= 1 || orientation > 8) return img;
        int w = img.getWidth(), h = img.getHeight();
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirrored horizontally
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // rotated 180
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirrored vertically
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transposed
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // needs 90 degrees clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transversed
            default -> new AffineTransform(0, -1, 1, 0, 0, w);  // 8: needs 90 degrees counter-clockwise
        };
        boolean swap = orientation >= 5;
        BufferedImage dst = new BufferedImage(swap ? h : w, swap ? w : h,
                img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.drawImage(img, t, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    /** Downscales in halving steps: a single bilinear step from far larger sizes would alias badly. */
    private static BufferedImage resize(BufferedImage src, int w, int h, int type) {
        BufferedImage cur = draw(src, src.getWidth(), src.getHeight(), type);
        int cw = cur.getWidth(), ch = cur.getHeight();
        while (cw / 2 >= w && ch / 2 >= h) {
            cw /= 2;
            ch /= 2;
            cur = draw(cur, cw, ch, type);
        }
        return cw == w && ch == h ? cur : draw(cur, w, h, type);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h, int type) {
        BufferedImage dst = new BufferedImage(w, h, type);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    private static byte[] encode(BufferedImage img, String format, Float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static String baseType(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
