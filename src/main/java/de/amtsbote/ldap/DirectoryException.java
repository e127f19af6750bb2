package de.amtsbote.ldap;

/**
 * The directory could not be asked (unreachable, timeout, service account refused, search failed). The
 * message is for the admin: it names the server and the LDAP result, never a password.
 */
public final class DirectoryException extends RuntimeException {
    public DirectoryException(String message) { super(message); }
}
