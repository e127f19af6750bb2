package de.amtsbote.http;

/** The authenticated caller of a request: who, from which device, and whether they are a server admin. */
public record Session(String userId, String deviceId, String tokenHash, boolean admin) {}
