package de.amtsbote.sync;

import de.amtsbote.http.MatrixException;

/**
 * Position tokens. {@code s<pos>_<typing>_<presence>_<toDevice>} is a /sync next_batch: one part per stream
 * with its own counter. pos is the server-wide stream position (events, account data, receipts), typing and
 * presence are in-memory serials, toDevice is the newest to-device message the device was sent (it lags pos
 * when a device has more pending messages than one response carries). Older tokens {@code s<pos>_<typing>}
 * and {@code s<pos>} still parse (presence 0, toDevice = pos). {@code t<pos>} is a pagination token: the
 * point just after the event at pos. /messages accepts both.
 */
public record SyncToken(long pos, long typing, long presence, long toDevice) {
    public SyncToken(long pos, long typing) { this(pos, typing, 0, pos); }

    public String format() { return "s" + pos + "_" + typing + "_" + presence + "_" + toDevice; }

    public static String page(long pos) { return "t" + pos; }

    public static SyncToken parse(String token) {
        SyncToken t = parseRaw(token);
        if (t.pos() < 0 || t.typing() < 0 || t.presence() < 0 || t.toDevice() < 0) {
            throw MatrixException.invalidParam("Invalid pagination or sync token");
        }
        return t;
    }

    private static SyncToken parseRaw(String token) {
        try {
            if (token.startsWith("s")) {
                String[] parts = token.substring(1).split("_", -1);
                long pos = Long.parseLong(parts[0]);
                return switch (parts.length) {
                    case 1 -> new SyncToken(pos, 0);
                    case 2 -> new SyncToken(pos, Long.parseLong(parts[1]));
                    case 4 -> new SyncToken(pos, Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                            Long.parseLong(parts[3]));
                    default -> throw MatrixException.invalidParam("Invalid pagination or sync token");
                };
            }
            if (token.startsWith("t")) return new SyncToken(Long.parseLong(token.substring(1)), 0);
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw MatrixException.invalidParam("Invalid pagination or sync token");
    }

    /** Just the stream position of a token of either kind. */
    public static long position(String token) {
        long p = parse(token).pos();
        if (p < 0) throw MatrixException.invalidParam("Invalid token");
        return p;
    }
}
