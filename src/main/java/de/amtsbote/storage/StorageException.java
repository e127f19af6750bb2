package de.amtsbote.storage;

/** A database failure. The HTTP layer answers 500 M_UNKNOWN without details; the cause is logged. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) { super(message, cause); }
}
