package de.amtsbote.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Messages sent straight to devices (e.g. key exchange); kept until the device's next sync confirms them. */
public interface ToDeviceStore {
    record Message(long streamPos, String sender, String type, ObjectNode content) {}

    record Target(String userId, String deviceId, String sender, String type, ObjectNode content) {}

    void add(List<Target> messages, Runnable afterCommit);

    /**
     * Stores the messages of one PUT /sendToDevice unless the sending device already used this transaction
     * ID; the check and the insert are one transaction. Returns false for such a retry (nothing stored, and
     * afterCommit does not run).
     */
    boolean addOnce(String senderUserId, String senderDeviceId, String txnId, List<Target> messages,
                    Runnable afterCommit);

    /** The device's messages with after < stream_pos <= upTo, oldest first, at most limit. */
    List<Message> pending(String userId, String deviceId, long after, long upTo, int limit);

    /** Deletes messages the device has seen: stream_pos <= upTo. */
    void acknowledge(String userId, String deviceId, long upTo);
}
