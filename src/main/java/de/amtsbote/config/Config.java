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
        Path signingKeyPath) {

    /** type is "sqlite" (path used) or "postgresql" (url, user, password used). */
    public record Database(String type, Path path, String url, String user, String password, int poolSize) {
        public boolean isSqlite() { return type.equals("sqlite"); }
    }

    public record Media(Path path, long maxUploadBytes) {}

    /**
     * Abuse limits. Login attempts are counted per account and per client address over one minute.
     */
    public record Limits(int loginAttemptsPerMinute, int maxRequestBodyBytes, int maxSyncTimeoutMs) {}
}
