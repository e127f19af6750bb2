package de.amtsbote.sync;

import de.amtsbote.http.MatrixException;

/**
 * Position tokens. {@code s<pos>_<typing>} is a /sync next_batch: everything up to stream position pos and
 * typing serial. {@code t<pos>} is a pagination token: the point just after the event at pos. /messages
 * accepts both.
 */
public record SyncToken(long pos, long typing) {
    public String format() { return "s" + pos + "_" + typing; }

    public static String page(long pos) { return "t" + pos; }

    public static SyncToken parse(String token) {
        SyncToken t = parseRaw(token);
        if (t.pos() < 0 || t.typing() < 0) throw MatrixException.invalidParam("Invalid pagination or sync token");
        return t;
    }

    private static SyncToken parseRaw(String token) {
        try {
            if (token.startsWith("s")) {
                int us = token.indexOf('_');
                if (us < 0) return new SyncToken(Long.parseLong(token.substring(1)), 0);
                return new SyncToken(Long.parseLong(token.substring(1, us)), Long.parseLong(token.substring(us + 1)));
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
