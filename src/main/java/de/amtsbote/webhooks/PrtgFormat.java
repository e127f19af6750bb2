package de.amtsbote.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.http.MatrixException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PRTG's "Execute HTTP Action" notification with the placeholders %sensor, %device, %status, %down, %message,
 * %datetime, %linksensor (also %group, %probe, %lastvalue, %sensorid), sent form-encoded
 * ({@code sensor=%sensor&device=%device&...}) or as a flat JSON object with the same field names (any case).
 * Status "Up..." is the recovery; any other status (Down, Down (Acknowledged), Warning, Unusual, ...) belongs
 * to the outage thread of device + sensor.
 */
final class PrtgFormat {
    private PrtgFormat() {}

    static HookMessage parse(Payload p) {
        // PRTG sends its post body form-encoded unless told otherwise; a body without a content type counts
        // as a form unless it looks like JSON.
        boolean json = !p.isForm() && (p.contentType() != null && p.contentType().toLowerCase(Locale.ROOT).contains("json")
                || p.text().stripLeading().startsWith("{"));
        Map<String, String> f = json ? flatJson(p) : p.form();
        String sensor = f.getOrDefault("sensor", f.getOrDefault("name", "")).strip();
        String device = f.getOrDefault("device", "").strip();
        String status = f.getOrDefault("status", "").strip();
        if (sensor.isEmpty() && device.isEmpty()) throw MatrixException.missingParam("PRTG: 'sensor' or 'device' is required");
        if (status.isEmpty()) throw MatrixException.missingParam("PRTG: 'status' is required");
        String down = f.getOrDefault("down", "").strip();
        String message = f.getOrDefault("message", "").strip();
        String datetime = f.getOrDefault("datetime", "").strip();
        String link = f.getOrDefault("linksensor", "").strip();
        String lower = status.toLowerCase(Locale.ROOT);
        boolean up = lower.startsWith("up") || lower.startsWith("ok");
        String color = up ? "#2e7d32" : lower.startsWith("down") ? "#c62828" : "#ef6c00";
        String title = (device.isEmpty() ? "" : device + " / ") + sensor;

        StringBuilder plain = new StringBuilder("[" + status + "] " + title);
        if (!message.isEmpty()) plain.append(": ").append(message);
        if (!down.isEmpty() && !up) plain.append(" (down for ").append(down).append(")");
        if (!datetime.isEmpty()) plain.append(" at ").append(datetime);
        if (!link.isEmpty()) plain.append(" ").append(link);

        StringBuilder html = new StringBuilder(HookMessage.colored(color, status)).append(" ");
        if (HookMessage.isWebLink(link)) {
            html.append("<a href=\"").append(HookMessage.esc(link)).append("\">").append(HookMessage.esc(title)).append("</a>");
        } else {
            html.append(HookMessage.esc(title));
        }
        if (!message.isEmpty()) html.append(": ").append(HookMessage.esc(message));
        if (!down.isEmpty() && !up) html.append(" <i>(down for ").append(HookMessage.esc(down)).append(")</i>");
        if (!datetime.isEmpty()) html.append(" <i>").append(HookMessage.esc(datetime)).append("</i>");

        String alertKey = "prtg\u0000" + device + "\u0000" + sensor;
        // PRTG resends a failed notification unchanged: same sensor, status and time is the same delivery.
        // Without %datetime the whole body identifies it.
        String idem = alertKey + "\u0000" + status + "\u0000" + (datetime.isEmpty() ? p.text() : datetime);
        return new HookMessage(List.of(alertKey), up ? List.of(alertKey) : List.of(), up ? HookMessage.Kind.RECOVERY : HookMessage.Kind.PROBLEM,
                plain.toString(), html.toString(), idem);
    }

    private static Map<String, String> flatJson(Payload p) {
        Map<String, String> out = new LinkedHashMap<>();
        var it = p.json().fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (v.isContainerNode()) throw MatrixException.badJson("PRTG: field '" + e.getKey() + "' must be a string");
            out.putIfAbsent(e.getKey().strip().toLowerCase(Locale.ROOT), v.isNull() ? "" : v.asText());
        }
        return out;
    }
}
