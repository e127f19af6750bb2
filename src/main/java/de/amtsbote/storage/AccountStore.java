package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** Accounts, their devices and access tokens (tokens only as hashes). */
public interface AccountStore {
    record User(String userId, String passwordHash, boolean admin, boolean deactivated, String displayname,
                String avatarUrl, long createdTs) {}

    /** lastSeenUserAgent: the User-Agent header of the device's latest request, if known. */
    record Device(String userId, String deviceId, String displayName, Long lastSeenTs, String lastSeenIp,
                  String lastSeenUserAgent) {
        public Device(String userId, String deviceId, String displayName, Long lastSeenTs, String lastSeenIp) {
            this(userId, deviceId, displayName, lastSeenTs, lastSeenIp, null);
        }
    }

    record TokenOwner(String userId, String deviceId) {}

    /** Returns false if the user already exists. */
    boolean createUser(String userId, String passwordHash, boolean admin, String displayname);

    Optional<User> user(String userId);

    List<User> allUsers();

    void setPasswordHash(String userId, String passwordHash);

    void setProfile(String userId, String displayname, String avatarUrl);

    /** Creates or re-uses a device and adds a token to it, in one write. */
    void addDeviceToken(String userId, String deviceId, String displayName, String tokenHash, String ip);

    Optional<TokenOwner> tokenOwner(String tokenHash);

    List<Device> devices(String userId);

    Optional<Device> device(String userId, String deviceId);

    boolean renameDevice(String userId, String deviceId, String displayName);

    /** Deletes a device and its tokens and to-device messages; returns the token hashes removed. */
    List<String> deleteDevice(String userId, String deviceId);

    /** Deletes all tokens of a user (logout/all); devices are removed too, as the spec requires. */
    List<String> deleteAllDevices(String userId);

    void touchDevice(String userId, String deviceId, long ts, String ip);

    /** As {@link #touchDevice(String, String, long, String)}, also noting the client's User-Agent. */
    default void touchDevice(String userId, String deviceId, long ts, String ip, String userAgent) {
        touchDevice(userId, deviceId, ts, ip);
    }

    /** Users whose id or display name contains the term (case-insensitive), for the address book. */
    List<User> searchUsers(String term, int limit);
}
