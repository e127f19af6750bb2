package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The spec's dot-separated property paths (appendices), e.g. {@code content.m\.relates_to.rel_type}. */
final class PropertyPath {
    private PropertyPath() {}

    /**
     * Splits a path at unescaped dots. {@code \.} and {@code \\} stand for a literal dot and backslash; any
     * other backslash is kept as-is, as the spec says ({@code \x} is a backslash followed by x).
     */
    static List<String> split(String path) {
        List<String> cached = CACHE.get(path);
        if (cached != null) return cached;
        List<String> parts = List.copyOf(parse(path));
        if (CACHE.size() < 10_000) CACHE.put(path, parts);
        return parts;
    }

    /** Paths come from a small set of rules, and every event is checked against them: parse each once. */
    private static final java.util.concurrent.ConcurrentHashMap<String, List<String>> CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static List<String> parse(String path) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && (path.charAt(i + 1) == '.' || path.charAt(i + 1) == '\\')) {
                cur.append(path.charAt(++i));
            } else if (c == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    /** The value at the path, or null if any step is absent or not an object. JSON null stays a NullNode. */
    static JsonNode resolve(JsonNode event, String path) {
        JsonNode cur = event;
        for (String part : split(path)) {
            if (cur == null || !cur.isObject()) return null;
            cur = cur.get(part);
        }
        return cur;
    }
}
