package de.amtsbote.rooms;

import java.util.Map;

/** Builds {@link Room}s for tests outside this package; Room's constructor stays package-private. */
public final class TestRooms {
    private TestRooms() {}

    public static Room room(String roomId, RoomVersion version, Map<StateKey, Room.StateEntry> state) {
        Room room = new Room(roomId, version);
        room.state = Map.copyOf(state);
        state.forEach((k, v) -> {
            if (k.type().equals("m.room.member") && "join".equals(v.pdu().path("content").path("membership").asText())) {
                room.joined.add(k.stateKey());
            }
        });
        return room;
    }
}
