package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.ClientEvents;
import de.amtsbote.rooms.Redaction;
import de.amtsbote.rooms.Room;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.Map;

/** Formats room events for /sync: client format, or the federation PDU when the filter asks for it. */
final class SyncEventFormat {
    private final ClientEvents events;

    SyncEventFormat(ClientEvents events) { this.events = events; }

    ObjectNode format(SyncRequest req, Room room, StoredEvent e, Map<String, StoredEvent> cache) {
        if (!req.filter().federationFormat()) return events.format(e, req.viewer(), cache);
        return e.redactedBy() != null ? Redaction.redact(room.version(), e.pdu()) : e.pdu().deepCopy();
    }
}
