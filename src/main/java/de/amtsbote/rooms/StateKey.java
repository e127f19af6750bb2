package de.amtsbote.rooms;

/** A (type, state_key) pair naming one entry of the room state. */
public record StateKey(String type, String stateKey) {
    public StateKey {
        if (type == null || stateKey == null) throw new IllegalArgumentException("type and state_key are required");
    }
}
