package de.amtsbote.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus Alertmanager's webhook_config payload (version "4"): status firing/resolved, groupKey, alerts[]
 * with status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint. One delivery (a group) is
 * one message listing its alerts. An alert's key is its fingerprint (labels if it has none). All alerts
 * resolved: the message replies to the group's outage thread and closes it.
 */
final class AlertmanagerFormat {
    private static final int MAX_ALERTS_LISTED = 50;

    private AlertmanagerFormat() {}

    static HookMessage parse(Payload p) {
        ObjectNode o = p.json();
        JsonNode version = o.get("version");
        if (version != null && !"4".equals(version.asText())) {
            throw MatrixException.badJson("Alertmanager: only webhook payload version \"4\" is supported");
        }
        String groupStatus = text(o, "status");
        if (!"firing".equals(groupStatus) && !"resolved".equals(groupStatus)) {
            throw MatrixException.badJson("Alertmanager: 'status' must be \"firing\" or \"resolved\"");
        }
        JsonNode alerts = o.get("alerts");
        if (alerts == null || !alerts.isArray() || alerts.isEmpty()) {
            throw MatrixException.badJson("Alertmanager: 'alerts' must be a non-empty array");
        }
        List<String> keys = new ArrayList<>();
        List<String> resolved = new ArrayList<>();
        StringBuilder idem = new StringBuilder("am\u0000").append(o.path("groupKey").asText("")).append('\u0000').append(groupStatus);
        int firing = 0;
        StringBuilder plain = new StringBuilder();
        StringBuilder html = new StringBuilder();
        List<String[]> lines = new ArrayList<>();
        for (JsonNode a : alerts) {
            if (!a.isObject()) throw MatrixException.badJson("Alertmanager: each alert must be an object");
            String status = a.path("status").asText(groupStatus);
            if (!"firing".equals(status) && !"resolved".equals(status)) {
                throw MatrixException.badJson("Alertmanager: an alert's 'status' must be \"firing\" or \"resolved\"");
            }
            Map<String, String> labels = stringMap(a.get("labels"), "labels");
            Map<String, String> annotations = stringMap(a.get("annotations"), "annotations");
            String fingerprint = a.path("fingerprint").asText("");
            String key = "am\u0000" + (fingerprint.isEmpty() ? labels.toString() : fingerprint);
            keys.add(key);
            if ("resolved".equals(status)) resolved.add(key);
            else firing++;
            String startsAt = a.path("startsAt").asText("");
            String endsAt = a.path("endsAt").asText("");
            idem.append('\u0000').append(key).append('|').append(status).append('|').append(startsAt).append('|').append(endsAt);
            lines.add(new String[] {status, labels.getOrDefault("alertname", "alert"), labels.getOrDefault("severity", ""),
                    labels.getOrDefault("instance", ""), annotations.getOrDefault("summary",
                    annotations.getOrDefault("description", "")), "resolved".equals(status) ? endsAt : startsAt,
                    a.path("generatorURL").asText("")});
        }
        boolean allResolved = firing == 0;
        String head = allResolved ? "RESOLVED" : "FIRING:" + firing;
        String groupName = o.path("groupLabels").path("alertname").asText(lines.getFirst()[1]);
        plain.append('[').append(head).append("] ").append(groupName);
        html.append(HookMessage.colored(allResolved ? "#2e7d32" : "#c62828", "[" + head + "]")).append(' ')
                .append(HookMessage.esc(groupName)).append("<ul>");
        int shown = 0;
        for (String[] l : lines) {
            if (shown++ == MAX_ALERTS_LISTED) {
                plain.append("\n- ... and ").append(lines.size() - MAX_ALERTS_LISTED).append(" more");
                html.append("<li>... and ").append(lines.size() - MAX_ALERTS_LISTED).append(" more</li>");
                break;
            }
            String detail = (l[2].isEmpty() ? "" : " (" + l[2] + ")") + (l[3].isEmpty() ? "" : " on " + l[3])
                    + (l[4].isEmpty() ? "" : ": " + l[4]);
            String when = l[5].isEmpty() || l[5].startsWith("0001-") ? "" : ("resolved".equals(l[0]) ? " ended " : " since ") + l[5];
            plain.append("\n- ").append(l[0]).append(' ').append(l[1]).append(detail).append(when);
            if (!l[6].isEmpty()) plain.append(' ').append(l[6]);
            String color = "resolved".equals(l[0]) ? "#2e7d32" : "#c62828";
            html.append("<li>").append(HookMessage.colored(color, l[0])).append(' ');
            if (HookMessage.isWebLink(l[6])) {
                html.append("<a href=\"").append(HookMessage.esc(l[6])).append("\">").append(HookMessage.esc(l[1])).append("</a>");
            } else {
                html.append(HookMessage.esc(l[1]));
            }
            html.append(HookMessage.esc(detail)).append("<i>").append(HookMessage.esc(when)).append("</i></li>");
        }
        html.append("</ul>");
        return new HookMessage(keys, resolved, allResolved ? HookMessage.Kind.RECOVERY : HookMessage.Kind.PROBLEM,
                plain.toString(), html.toString(), idem.toString());
    }

    private static String text(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null) throw MatrixException.missingParam("Alertmanager: '" + field + "' is required");
        if (!v.isTextual()) throw MatrixException.badJson("Alertmanager: '" + field + "' must be a string");
        return v.textValue();
    }

    private static Map<String, String> stringMap(JsonNode node, String name) {
        Map<String, String> out = new TreeMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject()) throw MatrixException.badJson("Alertmanager: '" + name + "' must be an object");
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isTextual()) throw MatrixException.badJson("Alertmanager: " + name + " values must be strings");
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }
}
