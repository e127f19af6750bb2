package de.amtsbote.config;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and checks the {@code ldap} section for {@link ConfigLoader}; problems are added to the loader's list
 * so the admin sees every mistake at once. Values are only required when {@code enabled: true}.
 */
final class LdapConfigReader {
    private static final Set<String> KEYS = Set.of("enabled", "urls", "start_tls", "ca_file", "bind_dn", "bind_password",
            "bind_password_file", "bind_password_env", "base_dn", "user_filter", "attributes", "admin_group_dn",
            "group_rooms", "sync_interval_minutes", "connect_timeout_ms", "response_timeout_ms", "max_lock_percent");
    private static final Set<String> ATTRIBUTE_KEYS = Set.of("localpart", "displayname", "mail");
    private static final Set<String> GROUP_ROOM_KEYS = Set.of("group_dn", "room");

    private final List<String> problems;
    private final Path baseDir;

    private LdapConfigReader(List<String> problems, Path baseDir) {
        this.problems = problems;
        this.baseDir = baseDir;
    }

    static LdapConfig read(Object section, Path baseDir, List<String> problems) {
        return new LdapConfigReader(problems, baseDir).read(section);
    }

    private LdapConfig read(Object section) {
        if (section == null) return LdapConfig.disabled();
        if (!(section instanceof Map<?, ?> m)) {
            problems.add("'ldap' must be a section with settings below it");
            return LdapConfig.disabled();
        }
        checkKeys("ldap", m, KEYS);
        Object enabled = m.get("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) {
            problems.add("ldap.enabled must be true or false, got '" + enabled + "'");
            return LdapConfig.disabled();
        }
        if (!Boolean.TRUE.equals(enabled)) return LdapConfig.disabled();

        List<String> urls = urls(m.get("urls"));
        boolean startTls = bool(m, "start_tls", false);
        if (startTls && urls.stream().anyMatch(u -> u.startsWith("ldaps://"))) {
            problems.add("ldap.start_tls is for ldap:// URLs; ldaps:// is already encrypted (use one or the other)");
        }
        String caText = text(m, "ca_file", false);
        Path caFile = null;
        if (caText != null) {
            caFile = baseDir.resolve(caText).normalize();
            if (!Files.isReadable(caFile)) problems.add("ldap.ca_file " + caFile + " cannot be read");
        }
        String bindDn = dn(m, "bind_dn", true);
        String password = password(m);
        String baseDn = dn(m, "base_dn", true);
        String filter = text(m, "user_filter", false);
        if (filter == null) filter = "(objectClass=person)";
        try {
            Filter.create(filter);
        } catch (LDAPException e) {
            problems.add("ldap.user_filter is not a valid LDAP filter: '" + filter + "' (" + e.getMessage() + ")");
        }
        Map<?, ?> attrs = Map.of();
        if (m.get("attributes") instanceof Map<?, ?> a) {
            attrs = a;
            checkKeys("ldap.attributes", a, ATTRIBUTE_KEYS);
        } else if (m.get("attributes") != null) {
            problems.add("ldap.attributes must be a section (localpart, displayname, mail)");
        }
        String localpart = attribute(attrs, "localpart", "uid");
        String displayname = attribute(attrs, "displayname", "displayName");
        String mail = attribute(attrs, "mail", "mail");
        String adminGroup = dn(m, "admin_group_dn", false);
        List<LdapConfig.GroupRoom> groupRooms = groupRooms(m.get("group_rooms"));
        return new LdapConfig(true, urls, startTls, caFile, bindDn, password, baseDn, filter, localpart, displayname,
                mail, adminGroup, groupRooms,
                integer(m, "sync_interval_minutes", 60, 0, 7 * 24 * 60),
                integer(m, "connect_timeout_ms", 5000, 100, 120_000),
                integer(m, "response_timeout_ms", 10_000, 100, 600_000),
                integer(m, "max_lock_percent", 50, 0, 100));
    }

    private List<String> urls(Object v) {
        List<String> urls = new ArrayList<>();
        if (v instanceof String s) urls.add(s.trim());
        else if (v instanceof List<?> l) l.forEach(o -> urls.add(String.valueOf(o).trim()));
        else if (v != null) problems.add("ldap.urls must be a URL or a list of URLs");
        if (urls.isEmpty()) {
            problems.add("ldap.urls is required when ldap.enabled is true, e.g. ldaps://dc1.musterstadt.local:636");
        }
        for (String u : urls) {
            if (!u.matches("ldaps?://[A-Za-z0-9.\\-\\[\\]:]+(:[0-9]{1,5})?/?")) {
                problems.add("ldap.urls: '" + u + "' is not an ldap://host[:port] or ldaps://host[:port] URL");
            }
        }
        return List.copyOf(urls);
    }

    /** Exactly one of bind_password, bind_password_file, bind_password_env; the value is never put in a message. */
    private String password(Map<?, ?> m) {
        String direct = text(m, "bind_password", false);
        String file = text(m, "bind_password_file", false);
        String env = text(m, "bind_password_env", false);
        int given = (direct != null ? 1 : 0) + (file != null ? 1 : 0) + (env != null ? 1 : 0);
        if (given != 1) {
            problems.add("ldap: give the service account's password with exactly one of bind_password, "
                    + "bind_password_file (a file holding only the password) or bind_password_env (an environment variable)");
            return null;
        }
        if (direct != null) return direct;
        if (file != null) {
            Path p = baseDir.resolve(file).normalize();
            try {
                String s = Files.readString(p).strip();
                if (s.isEmpty()) problems.add("ldap.bind_password_file " + p + " is empty");
                return s;
            } catch (IOException e) {
                problems.add("ldap.bind_password_file " + p + " cannot be read");
                return null;
            }
        }
        String s = System.getenv(env);
        if (s == null || s.isEmpty()) problems.add("ldap.bind_password_env: the environment variable " + env + " is not set");
        return s;
    }

    private List<LdapConfig.GroupRoom> groupRooms(Object v) {
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) {
            problems.add("ldap.group_rooms must be a list of entries with group_dn and room");
            return List.of();
        }
        List<LdapConfig.GroupRoom> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> e)) {
                problems.add("ldap.group_rooms: each entry needs group_dn and room");
                continue;
            }
            checkKeys("ldap.group_rooms[]", e, GROUP_ROOM_KEYS);
            String dn = dn(e, "group_dn", true);
            String room = text(e, "room", true);
            if (room != null && !room.matches("[!#][^:\\s]+:[A-Za-z0-9.\\-:\\[\\]]+")) {
                problems.add("ldap.group_rooms: room '" + room + "' must be a room id (!abc:server) or alias (#name:server)");
            }
            if (dn != null && room != null) out.add(new LdapConfig.GroupRoom(dn, room));
        }
        return List.copyOf(out);
    }

    private String dn(Map<?, ?> m, String key, boolean required) {
        String s = text(m, key, required);
        if (s != null && !DN.isValidDN(s)) {
            problems.add("ldap." + key + " is not a valid distinguished name: '" + s + "' (e.g. CN=Staff,DC=musterstadt,DC=local)");
        }
        return s;
    }

    private String attribute(Map<?, ?> m, String key, String dflt) {
        String s = text(m, key, false);
        if (s == null) return dflt;
        if (!s.matches("[A-Za-z][A-Za-z0-9\\-]*")) {
            problems.add("ldap.attributes." + key + " must be an attribute name like sAMAccountName, got '" + s + "'");
            return dflt;
        }
        return s;
    }

    private String text(Map<?, ?> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) problems.add("ldap." + key + " is required when ldap.enabled is true");
            return null;
        }
        if (!(v instanceof String s)) {
            problems.add("ldap." + key + " must be text");
            return null;
        }
        return s.trim();
    }

    private boolean bool(Map<?, ?> m, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        problems.add("ldap." + key + " must be true or false, got '" + v + "'");
        return dflt;
    }

    private int integer(Map<?, ?> m, String key, int dflt, int min, int max) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Integer i) || i < min || i > max) {
            problems.add("ldap." + key + " must be a whole number between " + min + " and " + max + ", got '" + v + "'");
            return dflt;
        }
        return i;
    }

    private void checkKeys(String section, Map<?, ?> m, Set<String> known) {
        for (Object k : m.keySet()) {
            if (!(k instanceof String s) || !known.contains(s)) {
                problems.add("unknown setting '" + section + "." + k + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }
}
