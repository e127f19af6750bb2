package de.amtsbote.storage;

import java.util.List;
import java.util.Map;

/** Remote wipes of devices: when an admin asked, and when the device next made contact (confirmed). */
public interface DeviceWipeStore {
    record Wipe(String wipeId, String userId, String deviceId, long requestedTs, String requestedBy, Long confirmedTs) {}

    /**
     * Records a wipe with the hashes of the device's current access tokens (read in the same write), and
     * returns those hashes. The device itself is deleted afterwards through the normal device deletion.
     */
    List<String> add(Wipe wipe);

    /** A user's wipes, newest first. */
    List<Wipe> forUser(String userId);

    /** Token hash -> wipe id of every wiped token (few; kept in memory so unknown tokens cost no query). */
    Map<String, String> tokenHashes();

    /** Sets confirmed_ts if not yet set; returns whether it was set now. */
    boolean confirm(String wipeId, long ts);

    /** Wipe ids already confirmed (at start, so a confirmed wipe is not written again). */
    List<String> confirmedIds();
}
