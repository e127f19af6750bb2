package de.amtsbote.media;

import de.amtsbote.http.MatrixException;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * before anything is decoded, to defuse decompression bombs. Animated thumbnails are not produced: GIFs give
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
            // Metadata is ignored: it is never needed and can itself be large or malformed.
            reader.setInput(in, true, true);
            int srcW = reader.getWidth(0);
            int srcH = reader.getHeight(0);
            if (srcW < 1 || srcH < 1) return null;
            if ((long) srcW * srcH > maxPixels) throw MatrixException.tooLarge("Image is too large to thumbnail");

            // Geometry: which source region to use and how big the output becomes.
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
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(region);
            int step = Math.max(1, Math.min(region.width / outW, region.height / outH) / 2);
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage src = reader.read(0, param);

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
