package de.amtsbote.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** HTTP pushers (POST /pushers/set): where a user's push notifications go. */
public interface PusherStore {
    /**
     * One pusher; (userId, appId, pushkey) is its key. deviceId and tokenHash name the session that created it;
     * pushkeyTs is when the pushkey was last set (ms); failingSince the first failed delivery in a row, or null.
     */
    record Pusher(String userId, String appId, String pushkey, String kind, String appDisplayName,
                  String deviceDisplayName, String profileTag, String lang, ObjectNode data, String deviceId,
                  String tokenHash, long pushkeyTs, Long failingSince) {}

    /**
     * Creates or replaces the user's pusher with this app id and pushkey. Unless append, pushers with the same
     * app id and pushkey of other users are removed in the same transaction (the device changed hands).
     * Returns false (and stores nothing) if it would be a new pusher and the user already has maxPerUser.
     */
    boolean set(Pusher pusher, boolean append, int maxPerUser);

    /** Removes the user's pusher; false if there was none. */
    boolean delete(String userId, String appId, String pushkey);

    /** The user's pushers, oldest pushkey first. */
    List<Pusher> forUser(String userId);

    /** Records that deliveries to the pusher fail since the time given, or succeed again (null). */
    void setFailingSince(String userId, String appId, String pushkey, Long failingSince);
}
