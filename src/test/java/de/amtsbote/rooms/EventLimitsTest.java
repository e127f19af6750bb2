package de.amtsbote.rooms;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import org.junit.jupiter.api.Test;

class EventLimitsTest {
    private static ObjectNode event() {
        return Json.parseObject("{\"type\":\"m.room.message\",\"room_id\":\"!r:x\",\"sender\":\"@u:x\",\"content\":{}}");
    }

    @Test
    void acceptsEventOfExactlyTheLimit() {
        ObjectNode e = event();
        int overhead = CanonicalJson.bytes(e).length + "\"body\":\"\"".length();
        e.with("content").put("body", "a".repeat(EventLimits.MAX_EVENT_BYTES - overhead));
        assertEquals(EventLimits.MAX_EVENT_BYTES, CanonicalJson.bytes(e).length);
        EventLimits.check(e);
        e.with("content").put("body", "a".repeat(EventLimits.MAX_EVENT_BYTES - overhead + 1));
        var ex = assertThrows(IllegalArgumentException.class, () -> EventLimits.check(e));
        assertTrue(ex.getMessage().contains("65537 bytes"), ex.getMessage());
    }

    @Test
    void sizeCountsUtf8Bytes() {
        ObjectNode e = event();
        e.with("content").put("body", "€".repeat(22000)); // 3 bytes each
        assertThrows(IllegalArgumentException.class, () -> EventLimits.check(e));
    }

    @Test
    void identifierLimits() {
        for (String key : new String[] {"sender", "room_id", "state_key", "type", "event_id"}) {
            ObjectNode ok = event().put(key, "x".repeat(255));
            EventLimits.check(ok);
            ObjectNode tooLong = event().put(key, "x".repeat(254) + "é");
            var ex = assertThrows(IllegalArgumentException.class, () -> EventLimits.check(tooLong));
            assertTrue(ex.getMessage().startsWith(key + " is 256 bytes"), ex.getMessage());
        }
    }
}
