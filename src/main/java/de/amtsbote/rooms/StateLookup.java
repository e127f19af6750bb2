package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The room state an event is authorised against: returns the state event (full event JSON) for a type and
 * state key, or null if there is none. In every room version this includes the m.room.create event, even in
 * v12 where it is no longer listed in auth_events.
 */
@FunctionalInterface
public interface StateLookup {
    ObjectNode get(String type, String stateKey);
}
