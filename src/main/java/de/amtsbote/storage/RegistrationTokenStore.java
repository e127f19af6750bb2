package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** Registration tokens for token-authenticated sign-up (the Synapse admin API's fields). */
public interface RegistrationTokenStore {
    /** usesAllowed and expiryTime are null for "unlimited" and "never". */
    record Token(String token, Integer usesAllowed, int pending, int completed, Long expiryTime) {
        /** Valid now: not expired and not used up (pending uses count as used). */
        public boolean validAt(long now) {
            return (expiryTime == null || expiryTime > now) && (usesAllowed == null || pending + completed < usesAllowed);
        }
    }

    /** Returns false if the token already exists. */
    boolean create(Token token, long now);

    Optional<Token> get(String token);

    List<Token> all();

    /** Sets uses_allowed and/or expiry_time (each only if its set flag is true; null = unlimited/never); false if missing. */
    boolean update(String token, boolean setUsesAllowed, Integer usesAllowed, boolean setExpiryTime, Long expiryTime);

    boolean delete(String token);

    /**
     * Counts one pending use if the token is valid at now, in one conditional write on the single writer, so
     * two concurrent sign-ups cannot both take the last use. Returns whether it was reserved.
     */
    boolean reserve(String token, long now);

    /** A reserved use became a registration: pending - 1, completed + 1. */
    void complete(String token);

    /** A reserved use was not used (the sign-up failed): pending - 1. */
    void release(String token);
}
