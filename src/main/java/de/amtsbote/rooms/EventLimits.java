package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** The size limits of the client-server API "Size limits" section and the identifier grammars. */
public final class EventLimits {
    /** Whole event in federation format, signatures included, as canonical JSON. */
    public static final int MAX_EVENT_BYTES = 65536;
    /** Limit for sender (user ID), room_id, event_id, state_key and type. */
    public static final int MAX_ID_BYTES = 255;

    private EventLimits() {}

    /**
     * Throws IllegalArgumentException naming the first limit the event breaks. Pass the event as it will be
     * sent over federation, with hashes and signatures.
     */
    public static void check(ObjectNode event) {
        int size = CanonicalJson.bytes(event).length;
        if (size > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("event is " + size + " bytes, more than the limit of " + MAX_EVENT_BYTES);
        }
        for (String key : new String[] {"sender", "room_id", "event_id", "state_key", "type"}) {
            JsonNode value = event.get(key);
            if (value != null && value.isTextual()) {
                int len = value.textValue().getBytes(StandardCharsets.UTF_8).length;
                if (len > MAX_ID_BYTES) {
                    throw new IllegalArgumentException(key + " is " + len + " bytes, more than the limit of " + MAX_ID_BYTES);
                }
            }
        }
    }
}
