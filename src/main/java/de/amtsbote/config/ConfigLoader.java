package de.amtsbote.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the YAML configuration. On first start the commented default file is written. Every unknown key and
 * every bad value is reported together, so the admin can fix the file in one go.
 */
public final class ConfigLoader {
    private static final Map<String, Set<String>> KNOWN_KEYS = Map.of(
            "", Set.of("server_name", "public_baseurl", "listen", "database", "media", "limits", "signing_key_path",
                    "encryption", "push", "webhooks", "registration_shared_secret", "server_notices", "ldap",
                    "appservices"),
            "listen", Set.of("address", "port"),
            "database", Set.of("type", "path", "url", "user", "password", "pool_size"),
            "media", Set.of("path", "max_upload_bytes"),
            "limits", Set.of("login_attempts_per_minute", "max_request_body_bytes", "max_sync_timeout_ms"),
            "encryption", Set.of("new_rooms", "users_may_enable"),
            "push", Set.of("allow_internal_gateways"),
            "webhooks", Set.of("deliveries_per_minute", "max_body_bytes", "outgoing_timeout_ms",
                    "outgoing_allow_internal_targets"),
            "server_notices", Set.of("system_mxid_localpart", "system_mxid_display_name", "room_name"));

    private final List<String> problems = new java.util.ArrayList<>();
    private final Path baseDir;

    private ConfigLoader(Path baseDir) { this.baseDir = baseDir; }

    /** Creates the file with defaults if it does not exist yet. Returns true if it was created. */
    public static boolean createDefaultIfMissing(Path file) throws IOException {
        if (Files.exists(file)) return false;
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/default-config.yaml")) {
            Files.write(file, in.readAllBytes());
        }
        return true;
    }

    public static Config load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base, file.toString());
    }

    /** Parses YAML text; relative paths are resolved against baseDir. */
    public static Config parse(String text, Path baseDir, String sourceName) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigException("Configuration file " + sourceName + " is not valid YAML: " + e.getMessage());
        }
        if (root == null) root = Map.of();
        if (!(root instanceof Map<?, ?> rootMap)) {
            throw new ConfigException("Configuration file " + sourceName + " must contain key: value settings");
        }
        ConfigLoader l = new ConfigLoader(baseDir);
        Config config = l.build(rootMap);
        if (!l.problems.isEmpty()) {
            throw new ConfigException("Configuration file " + sourceName + " has problems:\n  - "
                    + String.join("\n  - ", l.problems));
        }
        return config;
    }

    private Config build(Map<?, ?> root) {
        checkKeys("", root);
        String serverName = string(root, "", "server_name", "localhost");
        if (!serverName.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
            problems.add("server_name '" + serverName + "' is not a valid host name (letters, digits, dots, dashes)");
        }
        String baseUrl = string(root, "", "public_baseurl", "http://localhost:8008/");
        try {
            URI u = URI.create(baseUrl);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                problems.add("public_baseurl must be an http:// or https:// URL, got '" + baseUrl + "'");
            }
        } catch (IllegalArgumentException e) {
            problems.add("public_baseurl is not a valid URL: '" + baseUrl + "'");
        }
        if (!baseUrl.endsWith("/")) baseUrl = baseUrl + "/";

        Map<?, ?> listen = section(root, "listen");
        String address = string(listen, "listen", "address", "127.0.0.1");
        int port = integer(listen, "listen", "port", 8008, 0, 65535);

        Map<?, ?> db = section(root, "database");
        String type = string(db, "database", "type", "sqlite");
        if (!type.equals("sqlite") && !type.equals("postgresql")) {
            problems.add("database.type must be 'sqlite' or 'postgresql', got '" + type + "'");
        }
        Path dbPath = path(db, "database", "path", "./data/amtsbote.db");
        String url = optionalString(db, "database", "url");
        if (type.equals("postgresql") && (url == null || !url.startsWith("jdbc:postgresql://"))) {
            problems.add("database.url must be set for postgresql, e.g. jdbc:postgresql://localhost:5432/amtsbote");
        }
        Config.Database database = new Config.Database(type, dbPath, url,
                optionalString(db, "database", "user"), optionalString(db, "database", "password"),
                integer(db, "database", "pool_size", 8, 1, 200));

        Map<?, ?> media = section(root, "media");
        Config.Media mediaConfig = new Config.Media(path(media, "media", "path", "./data/media"),
                longValue(media, "media", "max_upload_bytes", 52_428_800L, 1, 10L * 1024 * 1024 * 1024));

        Map<?, ?> limits = section(root, "limits");
        Config.Limits limitsConfig = new Config.Limits(
                integer(limits, "limits", "login_attempts_per_minute", 10, 1, 1_000_000),
                integer(limits, "limits", "max_request_body_bytes", 1_048_576, 65_536, 100 * 1024 * 1024),
                integer(limits, "limits", "max_sync_timeout_ms", 60_000, 0, 600_000));

        Map<?, ?> encryption = section(root, "encryption");
        String newRooms = string(encryption, "encryption", "new_rooms", "off");
        Config.Encryption.NewRooms policy = switch (newRooms) {
            // YAML 1.1 reads an unquoted off as the boolean false.
            case "off", "false" -> Config.Encryption.NewRooms.OFF;
            case "private" -> Config.Encryption.NewRooms.PRIVATE;
            case "all" -> Config.Encryption.NewRooms.ALL;
            default -> {
                problems.add("encryption.new_rooms must be 'off', 'private' or 'all', got '" + newRooms + "'");
                yield Config.Encryption.NewRooms.OFF;
            }
        };
        Config.Encryption encryptionConfig = new Config.Encryption(policy,
                bool(encryption, "encryption", "users_may_enable", true));

        Map<?, ?> hooks = section(root, "webhooks");
        Config.Webhooks webhooksConfig = new Config.Webhooks(
                integer(hooks, "webhooks", "deliveries_per_minute", 60, 1, 100_000),
                integer(hooks, "webhooks", "max_body_bytes", 65_536, 1_024, limitsConfig.maxRequestBodyBytes()),
                integer(hooks, "webhooks", "outgoing_timeout_ms", 10_000, 100, 120_000),
                bool(hooks, "webhooks", "outgoing_allow_internal_targets", false));

        return new Config(serverName, baseUrl, address, port, database, mediaConfig, limitsConfig,
                path(root, "", "signing_key_path", "./data/signing.key"), encryptionConfig,
                new Config.Push(bool(section(root, "push"), "push", "allow_internal_gateways", false)), webhooksConfig,
                registrationSharedSecret(root), serverNotices(section(root, "server_notices")),
                LdapConfigReader.read(root.get("ldap"), baseDir, problems), appservices(root.get("appservices")));
    }

    /** Optional; when set it must be a string long enough not to be guessed (it lets anyone holding it create admins). */
    private String registrationSharedSecret(Map<?, ?> root) {
        Object v = root.get("registration_shared_secret");
        if (v == null) return null;
        if (!(v instanceof String s) || s.length() < 32) {
            // The value itself is never repeated in the message: it is a secret.
            problems.add("registration_shared_secret must be a random string of at least 32 characters"
                    + " (e.g. from: openssl rand -hex 32), or be left out to switch shared-secret registration off");
            return null;
        }
        return s;
    }

    private Config.ServerNotices serverNotices(Map<?, ?> s) {
        String localpart = string(s, "server_notices", "system_mxid_localpart", "amtsbote-hinweise");
        if (!localpart.matches("[a-z0-9._=\\-/+]+")) {
            problems.add("server_notices.system_mxid_localpart may only contain a-z, 0-9 and . _ = - / +, got '" + localpart + "'");
        }
        return new Config.ServerNotices(localpart,
                string(s, "server_notices", "system_mxid_display_name", "IT-Hinweise"),
                string(s, "server_notices", "room_name", "Hinweise der IT"));
    }

    /** appservices: a list of registration file paths (relative ones against the config file's folder). */
    private List<Path> appservices(Object v) {
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) {
            problems.add("appservices must be a list of registration file paths, e.g. [\"/etc/amtsbote/bridge.yaml\"]");
            return List.of();
        }
        List<Path> out = new java.util.ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isBlank()) {
                problems.add("appservices must contain file paths (text), got '" + o + "'");
                continue;
            }
            Path p = Path.of(s.trim());
            p = p.isAbsolute() ? p : baseDir.resolve(p).normalize();
            if (out.contains(p)) problems.add("appservices lists the file " + p + " twice");
            else out.add(p);
        }
        return List.copyOf(out);
    }

    private void checkKeys(String section, Map<?, ?> map) {
        Set<String> unknown = new TreeSet<>();
        for (Object k : map.keySet()) {
            if (!(k instanceof String s) || !KNOWN_KEYS.get(section).contains(s)) unknown.add(String.valueOf(k));
        }
        for (String k : unknown) {
            problems.add("unknown setting '" + (section.isEmpty() ? "" : section + ".") + k + "' (known: "
                    + String.join(", ", new TreeSet<>(KNOWN_KEYS.get(section))) + ")");
        }
    }

    private Map<?, ?> section(Map<?, ?> root, String name) {
        Object v = root.get(name);
        if (v == null) return Map.of();
        if (v instanceof Map<?, ?> m) {
            checkKeys(name, m);
            return m;
        }
        problems.add("'" + name + "' must be a section with settings below it");
        return Map.of();
    }

    private static String qualified(String section, String key) { return section.isEmpty() ? key : section + "." + key; }

    private String optionalString(Map<?, ?> map, String section, String key) {
        Object v = map.get(key);
        if (v == null) return null;
        if (v instanceof String s) return s;
        if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
        problems.add(qualified(section, key) + " must be text");
        return null;
    }

    private String string(Map<?, ?> map, String section, String key, String dflt) {
        String s = optionalString(map, section, key);
        if (s == null) return dflt;
        if (s.isBlank()) {
            problems.add(qualified(section, key) + " must not be empty");
            return dflt;
        }
        return s.trim();
    }

    private Path path(Map<?, ?> map, String section, String key, String dflt) {
        String s = string(map, section, key, dflt);
        Path p = Path.of(s);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    private boolean bool(Map<?, ?> map, String section, String key, boolean dflt) {
        Object v = map.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        problems.add(qualified(section, key) + " must be true or false, got '" + v + "'");
        return dflt;
    }

    private int integer(Map<?, ?> map, String section, String key, int dflt, int min, int max) {
        return (int) longValue(map, section, key, dflt, min, max);
    }

    private long longValue(Map<?, ?> map, String section, String key, long dflt, long min, long max) {
        Object v = map.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Integer || v instanceof Long)) {
            problems.add(qualified(section, key) + " must be a whole number, got '" + v + "'");
            return dflt;
        }
        long n = ((Number) v).longValue();
        if (n < min || n > max) {
            problems.add(qualified(section, key) + " must be between " + min + " and " + max + ", got " + n);
            return dflt;
        }
        return n;
    }

}
