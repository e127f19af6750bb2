package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;

/**
 * The /sync body being built, with one section per stream, and the parts of next_batch the streams advanced to.
 * Rooms appear in rooms.join only once some stream puts something into them.
 */
public final class SyncResponse {
    private final ObjectNode body = Json.object();
    private final ObjectNode join;
    private final ObjectNode invite;
    private final ObjectNode leave;
    private final ArrayNode accountData;
    private final ArrayNode toDevice;
    private final ArrayNode presence;
    long pos;
    long typing;
    long presenceSerial;
    long toDevicePos;

    public SyncResponse() {
        accountData = body.putObject("account_data").putArray("events");
        ObjectNode rooms = body.putObject("rooms");
        join = rooms.putObject("join");
        invite = rooms.putObject("invite");
        leave = rooms.putObject("leave");
        rooms.putObject("knock");
        toDevice = body.putObject("to_device").putArray("events");
        presence = body.putObject("presence").putArray("events");
    }

    /** The rooms.join entry of a room, created on first use. */
    public ObjectNode joined(String roomId) {
        return join.has(roomId) ? (ObjectNode) join.get(roomId) : join.putObject(roomId);
    }

    public boolean hasJoined(String roomId) { return join.has(roomId); }

    public ObjectNode joinSection() { return join; }

    /** The ephemeral events list of a joined room, created on first use. */
    public ArrayNode ephemeral(String roomId) {
        ObjectNode room = joined(roomId);
        ObjectNode eph = room.has("ephemeral") ? (ObjectNode) room.get("ephemeral") : room.putObject("ephemeral");
        return eph.has("events") ? (ArrayNode) eph.get("events") : eph.putArray("events");
    }

    public ObjectNode inviteSection() { return invite; }

    public ObjectNode leaveSection() { return leave; }

    public ArrayNode accountData() { return accountData; }

    public ArrayNode toDevice() { return toDevice; }

    public ArrayNode presence() { return presence; }

    /** The top level of the body, for streams with top-level fields of their own (device_lists, key counts). */
    ObjectNode body() { return body; }

    public void advancePos(long p) { pos = p; }

    public void advanceTyping(long serial) { typing = serial; }

    public void advancePresence(long serial) { presenceSerial = serial; }

    public void advanceToDevice(long p) { toDevicePos = p; }

    public SyncToken nextBatch() { return new SyncToken(pos, typing, presenceSerial, toDevicePos); }

    /** The finished body; incremental responses leave out empty sections. */
    public ObjectNode finish(boolean initial) {
        body.put("next_batch", nextBatch().format());
        if (!initial) pruneEmpty(body);
        return body;
    }

    /**
     * Incremental responses leave out empty sections (the spec makes them optional): a busy room sends one
     * response per message to every member, and most of each would otherwise be empty lists.
     */
    private static void pruneEmpty(ObjectNode node) {
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() instanceof ObjectNode child) {
                if (e.getKey().equals("unread_notifications") || e.getKey().equals("timeline")
                        || e.getKey().equals("summary")) {
                    continue;
                }
                pruneEmpty(child);
                if (child.isEmpty()) it.remove();
            } else if (e.getValue().isArray() && e.getValue().isEmpty() && e.getKey().equals("events")) {
                it.remove();
            }
        }
    }
}
