package de.amtsbote.config;

import java.nio.file.Path;

/**
 * The whole server configuration, read from one YAML file (see {@link ConfigLoader}).
 *
 * @param serverName     the Matrix server name, the part after the colon in @alice:example.org
 * @param publicBaseUrl  the URL clients use to reach this server (printed at start, served in .well-known)
 * @param registrationSharedSecret the secret of Synapse's shared-secret registration API, or null (switched off)
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
        Webhooks webhooks,
        String registrationSharedSecret,
        ServerNotices serverNotices,
        LdapConfig ldap,
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

    /** Push delivery. allowInternalGateways: pushes may go to addresses in the server's own network. */
    public record Push(boolean allowInternalGateways) {}

    /**
     * Incoming webhooks and outgoing rules. deliveriesPerMinute and maxBodyBytes limit each incoming hook;
     * outgoingTimeoutMs is how long an outgoing rule's service may take to answer; allowInternalTargets lets
     * outgoing rules call addresses in the server's own network (and plain http there).
     */
    public record Webhooks(int deliveriesPerMinute, int maxBodyBytes, int outgoingTimeoutMs, boolean allowInternalTargets) {}

    /**
     * Server notices (Synapse's server_notices section): the system user that sends them, its display name and
     * the name of each user's notices room.
     */
    public record ServerNotices(String systemMxidLocalpart, String systemMxidDisplayName, String roomName) {}

    /**
     * End-to-end encryption policy, like Synapse's encryption_enabled_by_default_for_room_type.
     *
     * @param newRooms       which new rooms get encryption switched on when they are created
     * @param usersMayEnable whether room members with enough power may switch it on later (or ask for it at
     *                       creation when the policy does not); once on it cannot be switched off (Matrix rule)
     */
    public record Encryption(NewRooms newRooms, boolean usersMayEnable) {
        public enum NewRooms { OFF, PRIVATE, ALL }
    }
}
