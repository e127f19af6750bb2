-- The state of a room at a stream position (RoomStates.stateAt: /context, /state and /members of users who
-- left, /members?at=) scans only the room's state events up to that position, not all of its messages.
CREATE INDEX events_room_state_events ON events (room_id, stream_pos) WHERE state_key IS NOT NULL;
