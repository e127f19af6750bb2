package de.amtsbote.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Server-side key backups: versions per user and the encrypted session keys in them. The rules (which version
 * may be written, which key wins) live in {@code users.KeyBackups}; the store runs each check-and-write as one
 * transaction on the single writer, so two clients uploading at once cannot interleave.
 */
public interface KeyBackupStore {
    record Version(long version, String algorithm, ObjectNode authData, long etag, long count) {}

    record SessionKey(String roomId, String sessionId, long firstMessageIndex, long forwardedCount, boolean verified,
                      ObjectNode sessionData) {}

    /** Why a write to a version's keys was refused, or OK. */
    enum Status { OK, NO_BACKUP, WRONG_VERSION, NOT_FOUND }

    /** The outcome of a key write: the version's etag and key count after it, or why it was refused. */
    record WriteResult(Status status, long currentVersion, long etag, long count) {}

    /** Creates the user's next version (one more than any version ever created, deleted ones included). */
    long create(String userId, String algorithm, ObjectNode authData);

    /** The user's newest version that is not deleted. */
    Optional<Version> current(String userId);

    /** The version unless it does not exist or is deleted. */
    Optional<Version> version(String userId, long version);

    /** Whether the version was ever created (also when deleted since). */
    boolean everExisted(String userId, long version);

    /** Replaces the version's auth_data; false if it does not exist or is deleted. */
    boolean updateAuthData(String userId, long version, ObjectNode authData);

    /** Marks the version deleted and removes its keys; false if it never existed. */
    boolean delete(String userId, long version);

    /**
     * Stores keys in the version if it is the user's current one. For a session that already has a key,
     * the new key is stored only if {@code replaces.test(existing, incoming)}. The etag moves on if anything
     * was stored.
     */
    WriteResult putKeys(String userId, long version, List<SessionKey> keys,
                        BiPredicate<SessionKey, SessionKey> replaces);

    /** Keys of the version, all (roomId null), of one room (sessionId null) or of one session. */
    List<SessionKey> keys(String userId, long version, String roomId, String sessionId);

    /** Deletes keys of an existing, not deleted version, at the same three levels as {@link #keys}. */
    WriteResult deleteKeys(String userId, long version, String roomId, String sessionId);
}
