package de.amtsbote.config;

import java.nio.file.Path;

/**
 * The whole server configuration, read from one YAML file (see {@link ConfigLoader}).
 *
 * @param serverName     the Matrix server name, the part after the colon in @alice:example.org
 * @param publicBaseUrl  the URL clients use to reach this server (printed at start, served in .well-known)
 */
public record Config(
        String serverName,
        String publicBaseUrl,
        String listenAddress,
        int listenPort,
        Database database,
        Media media,
        Limits limits,
        Path signingKeyPath,
        Encryption encryption,
        Push push,
        java.util.List<Path> appservices) {

    /** type is "sqlite" (path used) or "postgresql" (url, user, password used). */
    public record Database(String type, Path path, String url, String user, String password, int poolSize) {
        public boolean isSqlite() { return type.equals("sqlite"); }
    }

    public record Media(Path path, long maxUploadBytes) {}

    /**
     * Abuse limits. Login attempts are counted per account and per client address over one minute.
     */
    public record Limits(int loginAttemptsPerMinute, int maxRequestBodyBytes, int maxSyncTimeoutMs) {}

    /**
     * End-to-end encryption policy, like Synapse's encryption_enabled_by_default_for_room_type.
     *
     * @param newRooms       which new rooms get encryption switched on when they are created
     * @param usersMayEnable whether room members with enough power may switch it on later (or ask for it at
     *                       creation when the policy does not); once on it cannot be switched off (Matrix rule)
     */
    /** appservices: the application service registration files (YAML), read and checked at start. */
    /** Push delivery. allowInternalGateways: pushes may go to addresses in the server's own network. */
    public record Push(boolean allowInternalGateways) {}

    public record Encryption(NewRooms newRooms, boolean usersMayEnable) {
        public enum NewRooms { OFF, PRIVATE, ALL }
    }
}
