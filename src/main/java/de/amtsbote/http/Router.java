package de.amtsbote.http;

import de.amtsbote.util.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps method + path to a route. Patterns are literal segments and {name} placeholders, each matching one
 * percent-decoded segment (room ids, event ids and aliases arrive percent-encoded).
 */
public final class Router {
    /**
     * Who may call a route. ADMIN: a signed-in user who is a server admin at this moment (read fresh from the
     * account, not the cached session, so an admin demoted while signed in loses access at once).
     */
    public enum Auth { NONE, USER, OPTIONAL, ADMIN }

    public record Entry(String method, String[] segments, Auth auth, Route route, String pattern) {}

    public record Match(Entry entry, Map<String, String> params) {}

    /** Result of a lookup: a match, or whether any route had this path (then the method is wrong). */
    public record Lookup(Match match, boolean pathKnown) {}

    private final Map<Integer, List<Entry>> bySegmentCount = new HashMap<>();

    public void add(String method, String pattern, Auth auth, Route route) {
        String[] segs = split(pattern);
        bySegmentCount.computeIfAbsent(segs.length, k -> new ArrayList<>())
                .add(new Entry(method, segs, auth, route, pattern));
    }

    /** Registers a client-server API route under both /_matrix/client/v3 and the legacy r0 prefix. */
    public void client(String method, String path, Auth auth, Route route) {
        add(method, "/_matrix/client/v3" + path, auth, route);
        add(method, "/_matrix/client/r0" + path, auth, route);
    }

    public Lookup find(String method, String rawPath) {
        String[] segs = split(rawPath);
        List<Entry> candidates = bySegmentCount.get(segs.length);
        if (candidates == null) return new Lookup(null, false);
        boolean pathKnown = false;
        for (Entry e : candidates) {
            Map<String, String> params = match(e.segments(), segs);
            if (params == null) continue;
            pathKnown = true;
            if (e.method().equals(method)) return new Lookup(new Match(e, params), true);
        }
        return new Lookup(null, pathKnown);
    }

    /** The methods registered for a path, for CORS preflight answers. */
    public boolean hasPath(String rawPath) {
        String[] segs = split(rawPath);
        for (Entry e : bySegmentCount.getOrDefault(segs.length, List.of())) {
            if (match(e.segments(), segs) != null) return true;
        }
        return false;
    }

    private static Map<String, String> match(String[] pattern, String[] segs) {
        Map<String, String> params = null;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.length() > 1 && p.charAt(0) == '{') {
                if (segs[i].isEmpty()) return null;
                if (params == null) params = new HashMap<>();
                params.put(p.substring(1, p.length() - 1), decode(segs[i]));
            } else if (!p.equals(segs[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static String[] split(String path) {
        return path.split("/", -1);
    }

    private static String decode(String segment) {
        try {
            return Text.percentDecode(segment, false);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("A path segment " + e.getMessage());
        }
    }
}
