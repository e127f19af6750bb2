package de.amtsbote.rooms;

/** An event failed the authorisation rules; the message says which rule, in words a user can follow. */
public class AuthException extends Exception {
    public AuthException(String reason) {
        // Rejections are routine during state resolution; skip the stack trace.
        super(reason, null, false, false);
    }
}
