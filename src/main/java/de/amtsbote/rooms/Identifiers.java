package de.amtsbote.rooms;

import java.nio.charset.StandardCharsets;

/** Grammar checks for identifiers used by the auth rules (appendix "Identifier Grammar"). */
public final class Identifiers {
    private Identifiers() {}

    /**
     * A user ID as servers must accept it over federation: the historical grammar (any localpart without ':'
     * or NUL, even empty), a valid server name, at most 255 bytes.
     */
    public static boolean isValidUserId(String id) {
        if (id == null || !id.startsWith("@") || id.getBytes(StandardCharsets.UTF_8).length > 255) return false;
        int colon = id.indexOf(':');
        if (colon < 0 || id.indexOf('\0') >= 0) return false;
        return isValidServerName(id.substring(colon + 1));
    }

    /** A room ID: '!' and an opaque part (room version 12 ids have no server name), at most 255 bytes. */
    public static boolean isValidRoomId(String id) {
        return id != null && id.startsWith("!") && id.length() > 1 && id.indexOf('\0') < 0
                && id.getBytes(StandardCharsets.UTF_8).length <= 255;
    }

    /** server_name = hostname [ ":" port ], hostname = IPv4 / "[" IPv6 "]" / dns-name. */
    public static boolean isValidServerName(String name) {
        if (name == null || name.isEmpty()) return false;
        String host;
        String port = null;
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            if (close < 0) return false;
            host = name.substring(1, close);
            if (!host.matches("[0-9A-Fa-f:.]{2,45}")) return false;
            String rest = name.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) return false;
                port = rest.substring(1);
            }
        } else {
            int colon = name.indexOf(':');
            host = colon < 0 ? name : name.substring(0, colon);
            if (colon >= 0) port = name.substring(colon + 1);
            // IPv4 literals are a subset of this character set.
            if (!host.matches("[0-9A-Za-z.-]{1,255}")) return false;
        }
        return port == null || port.matches("[0-9]{1,5}");
    }

    /** The localpart of a user id (between '@' and the first ':'). */
    public static String localpartOf(String userId) {
        int colon = userId.indexOf(':');
        return userId.substring(1, colon < 0 ? userId.length() : colon);
    }

    /** The server name part of a user ID or of a room ID that has one; null if there is no ':'. */
    public static String domainOf(String id) {
        if (id == null) return null;
        int colon = id.indexOf(':');
        return colon < 0 ? null : id.substring(colon + 1);
    }
}
