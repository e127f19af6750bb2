package de.amtsbote.rooms;

import java.util.List;

/**
 * The room versions this server supports, with the behaviour switches the algorithms need. Only versions
 * 10-12 are supported: they all have hash-based event IDs, integer-only power levels, knocking and
 * restricted joins, so those need no flags.
 *
 * @param id the version string as it appears in m.room.create content.room_version
 * @param v11Redaction the v11 redaction algorithm (fewer top-level keys, whole create content, etc.) instead of v9's
 * @param createRequiresCreator v10 and earlier: m.room.create content must have {@code creator}, which names the creator
 * @param redactsInContent v11+: m.room.redaction carries {@code redacts} in content rather than at the top level
 * @param roomIdIsCreateEventHash v12: room ID is "!" + the create event's reference hash; create has no room_id
 * @param creatorsHaveInfinitePower v12: create sender + additional_creators outrank everyone and may not be in power levels
 * @param createEventInAuthEvents v10/v11: the create event is part of every event's auth_events (not in v12)
 */
public enum RoomVersion {
    V10("10", false, true, false, false, false, true),
    V11("11", true, false, true, false, false, true),
    V12("12", true, false, true, true, true, false);

    public static final RoomVersion DEFAULT = V12;

    private final String id;
    private final boolean v11Redaction;
    private final boolean createRequiresCreator;
    private final boolean redactsInContent;
    private final boolean roomIdIsCreateEventHash;
    private final boolean creatorsHaveInfinitePower;
    private final boolean createEventInAuthEvents;

    RoomVersion(String id, boolean v11Redaction, boolean createRequiresCreator, boolean redactsInContent,
            boolean roomIdIsCreateEventHash, boolean creatorsHaveInfinitePower, boolean createEventInAuthEvents) {
        this.id = id;
        this.v11Redaction = v11Redaction;
        this.createRequiresCreator = createRequiresCreator;
        this.redactsInContent = redactsInContent;
        this.roomIdIsCreateEventHash = roomIdIsCreateEventHash;
        this.creatorsHaveInfinitePower = creatorsHaveInfinitePower;
        this.createEventInAuthEvents = createEventInAuthEvents;
    }

    /** The version for a room_version string, or null if we do not support it. */
    public static RoomVersion of(String id) {
        if (id == null) return null;
        for (RoomVersion v : values()) if (v.id.equals(id)) return v;
        return null;
    }

    /** All supported versions, oldest first (for the capabilities endpoint). */
    public static List<RoomVersion> supported() { return List.of(values()); }

    /** All supported versions are stable ones. */
    public boolean stable() { return true; }

    public String id() { return id; }
    public boolean v11Redaction() { return v11Redaction; }
    public boolean createRequiresCreator() { return createRequiresCreator; }
    public boolean redactsInContent() { return redactsInContent; }
    public boolean roomIdIsCreateEventHash() { return roomIdIsCreateEventHash; }
    public boolean creatorsHaveInfinitePower() { return creatorsHaveInfinitePower; }
    public boolean createEventInAuthEvents() { return createEventInAuthEvents; }

    @Override
    public String toString() { return id; }
}
