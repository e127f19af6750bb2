package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Content hashes, reference hashes, event IDs and (v12) room IDs, per the server-server API "Signing Events"
 * section. Events are expected in federation (PDU) form: since v4 event IDs are derived, a PDU carries no
 * {@code event_id}; one left in the JSON would change the reference hash.
 */
public final class EventHashing {
    private EventHashing() {}

    /** Computes the content hash and stores it as unpadded base64 in {@code hashes.sha256}; returns the hash. */
    public static byte[] contentHash(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove("unsigned");
        copy.remove("signatures");
        copy.remove("hashes");
        byte[] hash = sha256(CanonicalJson.bytes(copy));
        event.putObject("hashes").put("sha256", UnpaddedBase64.encode(hash));
        return hash;
    }

    /** True if {@code hashes.sha256} matches the event's content (a mismatch means we must use the redacted form). */
    public static boolean contentHashMatches(ObjectNode event) {
        String claimed = event.path("hashes").path("sha256").asText(null);
        if (claimed == null) return false;
        ObjectNode copy = event.deepCopy();
        byte[] actual = contentHash(copy);
        try {
            return MessageDigest.isEqual(actual, UnpaddedBase64.decode(claimed));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** SHA-256 of the canonical redacted event without signatures and unsigned. */
    public static byte[] referenceHash(RoomVersion version, ObjectNode event) {
        ObjectNode redacted = Redaction.redact(version, event);
        redacted.remove("signatures");
        redacted.remove("unsigned");
        return sha256(CanonicalJson.bytes(redacted));
    }

    public static String eventId(RoomVersion version, ObjectNode event) {
        return "$" + UnpaddedBase64.encodeUrlSafe(referenceHash(version, event));
    }

    /** v12: the room ID is the create event's ID with the "!" sigil (appendix "Room IDs"). */
    public static String roomIdFromCreateEvent(ObjectNode createEvent) {
        return "!" + UnpaddedBase64.encodeUrlSafe(referenceHash(RoomVersion.V12, createEvent));
    }

    /**
     * "Adding hashes and signatures to outgoing events": content hash, then sign the redacted form and copy the
     * signature back. Modifies and returns {@code event}.
     */
    public static ObjectNode hashAndSign(RoomVersion version, ObjectNode event, ServerSigningKey key, String serverName) {
        contentHash(event);
        ObjectNode redacted = Redaction.redact(version, event);
        redacted.remove("unsigned");
        key.signJson(redacted, serverName);
        event.set("signatures", redacted.get("signatures"));
        return event;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
