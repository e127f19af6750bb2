package de.amtsbote.webhooks;

import java.util.List;

/**
 * What one delivery posts: one message. alertKeys name the alerts it is about (empty for plain text); of
 * them, resolvedKeys have recovered (their thread is closed). kind PROBLEM opens or continues the outage
 * thread, RECOVERY replies to it. idempotencyKey (null: none) makes a retried delivery answer the first
 * one's event instead of posting again.
 */
public record HookMessage(List<String> alertKeys, List<String> resolvedKeys, Kind kind, String plain, String html,
                          String idempotencyKey) {
    public enum Kind { PROBLEM, RECOVERY, INFO }

    /** HTML-escapes text for formatted_body. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Only http(s) links are rendered as links; anything else (javascript:...) stays text. */
    static boolean isWebLink(String url) {
        return url != null && (url.startsWith("https://") || url.startsWith("http://"));
    }

    static String colored(String color, String text) {
        return "<font color=\"" + color + "\" data-mx-color=\"" + color + "\"><b>" + esc(text) + "</b></font>";
    }
}
