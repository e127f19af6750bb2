package de.amtsbote.config;

/** A configuration problem that stops the start; the message is shown to the admin as is. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
}
