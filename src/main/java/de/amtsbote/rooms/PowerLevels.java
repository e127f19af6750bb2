package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The effective power levels of a room: the m.room.power_levels content (null if the room has none) with
 * the spec's defaults, plus the room creators from the m.room.create event.
 *
 * @param content the m.room.power_levels content, or null when the room has no such event
 * @param creators the room creators (v10: content.creator, v11: create sender, v12: sender + additional_creators)
 * @param infiniteCreators v12: creators outrank everyone regardless of the power levels event
 */
public record PowerLevels(ObjectNode content, Set<String> creators, boolean infiniteCreators) {
    /** The level we report for v12 creators: "infinite", above any level a power_levels event can hold. */
    public static final long CREATOR_LEVEL = Long.MAX_VALUE;

    public PowerLevels {
        creators = Set.copyOf(creators);
    }

    /** Builds the levels from a power levels content (may be null) and the room's create event (may be null). */
    public static PowerLevels of(RoomVersion version, ObjectNode powerLevelsContent, ObjectNode createEvent) {
        return new PowerLevels(powerLevelsContent, creators(version, createEvent), version.creatorsHaveInfinitePower());
    }

    public static PowerLevels fromState(RoomVersion version, StateLookup state) {
        ObjectNode pl = state.get("m.room.power_levels", "");
        ObjectNode content = pl != null && pl.get("content") instanceof ObjectNode c ? c : null;
        return of(version, content, state.get("m.room.create", ""));
    }

    /** The room creators as the given version defines them; empty if there is no create event. */
    public static Set<String> creators(RoomVersion version, ObjectNode createEvent) {
        Set<String> out = new LinkedHashSet<>();
        if (createEvent == null) return out;
        JsonNode content = createEvent.path("content");
        if (version.createRequiresCreator() && content.path("creator").isTextual()) {
            out.add(content.get("creator").textValue());
        } else if (createEvent.path("sender").isTextual()) {
            out.add(createEvent.get("sender").textValue());
        }
        if (version.creatorsHaveInfinitePower()) {
            for (JsonNode c : content.path("additional_creators")) if (c.isTextual()) out.add(c.textValue());
        }
        return out;
    }

    public boolean isCreator(String userId) { return creators.contains(userId); }

    public long userLevel(String userId) {
        if (infiniteCreators && creators.contains(userId)) return CREATOR_LEVEL;
        if (content == null) return creators.contains(userId) ? 100 : 0;
        JsonNode explicit = content.path("users").get(userId);
        if (explicit != null && explicit.isIntegralNumber()) return explicit.longValue();
        return level("users_default", 0);
    }

    /** The required level to send an event of this type: events[type], else state_default/events_default. */
    public long eventLevel(String type, boolean isState) {
        if (content != null) {
            JsonNode explicit = content.path("events").get(type);
            if (explicit != null && explicit.isIntegralNumber()) return explicit.longValue();
        }
        return isState ? level("state_default", 50) : level("events_default", 0);
    }

    public long inviteLevel() { return level("invite", 0); }
    public long kickLevel() { return level("kick", 50); }
    public long banLevel() { return level("ban", 50); }
    public long redactLevel() { return level("redact", 50); }

    /** notifications.<key>; only "room" is defined by the spec, with default 50. */
    public long notificationLevel(String key) {
        if (content != null) {
            JsonNode explicit = content.path("notifications").get(key);
            if (explicit != null && explicit.isIntegralNumber()) return explicit.longValue();
        }
        return 50;
    }

    private long level(String key, long fallback) {
        if (content == null) return fallback;
        JsonNode v = content.get(key);
        return v != null && v.isIntegralNumber() ? v.longValue() : fallback;
    }
}
