package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event a local user wants to send, before it becomes a PDU: what the client gave us plus, for
 * PUT /send, the transaction it came with (so a retry finds the same event).
 *
 * @param stateKey null for message events
 * @param redacts  for m.room.redaction: the event being redacted
 */
public record EventDraft(String type, String stateKey, ObjectNode content, String redacts, Txn txn) {
    /**
     * The transaction id of PUT /send and /redact, scoped (as the spec says) to the device and the HTTP path;
     * path is the endpoint without the txnId and API version, e.g. /rooms/{roomId}/send/{eventType}.
     */
    public record Txn(String userId, String deviceId, String path, String txnId) {
        String key() { return userId + "\u0000" + deviceId + "\u0000" + path + "\u0000" + txnId; }
    }

    public static EventDraft state(String type, String stateKey, ObjectNode content) {
        return new EventDraft(type, stateKey, content, null, null);
    }

    public static EventDraft message(String type, ObjectNode content, Txn txn) {
        return new EventDraft(type, null, content, null, txn);
    }
}
