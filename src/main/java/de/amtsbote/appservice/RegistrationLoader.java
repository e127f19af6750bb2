package de.amtsbote.appservice;

import de.amtsbote.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the registration files listed under {@code appservices} and checks them all before the server starts:
 * every problem of every file is reported together, each naming its file, so the admin can fix them in one go.
 * Keys we do not know are only logged: bridges write vendor extensions into their files.
 */
public final class RegistrationLoader {
    private static final Logger LOG = Logger.getLogger(RegistrationLoader.class.getName());
    private static final Set<String> KNOWN = Set.of("id", "url", "as_token", "hs_token", "sender_localpart",
            "namespaces", "rate_limited", "protocols", "receive_ephemeral", "de.sorunome.msc2409.push_ephemeral",
            "push_ephemeral", "io.element.msc4203.push_to_device", "org.matrix.msc2409.push_to_device",
            "push_to_device", "org.matrix.msc3202");
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");

    private final List<String> problems = new ArrayList<>();

    private RegistrationLoader() {}

    public static List<Registration> load(List<Path> files) {
        RegistrationLoader l = new RegistrationLoader();
        List<Registration> out = new ArrayList<>();
        for (Path f : files) {
            Registration r = l.file(f);
            if (r != null) out.add(r);
        }
        l.crossCheck(out);
        if (!l.problems.isEmpty()) {
            throw new ConfigException("Application service registrations have problems:\n  - "
                    + String.join("\n  - ", l.problems));
        }
        return List.copyOf(out);
    }

    private Registration file(Path f) {
        String text;
        try {
            text = Files.readString(f);
        } catch (IOException e) {
            problems.add(f + ": cannot read the registration file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return null;
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            problems.add(f + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
            return null;
        }
        if (!(root instanceof Map<?, ?> m)) {
            problems.add(f + ": must contain key: value settings (id, url, as_token, hs_token, sender_localpart, namespaces)");
            return null;
        }
        int before = problems.size();
        Set<String> unknown = new TreeSet<>();
        for (Object k : m.keySet()) if (!KNOWN.contains(String.valueOf(k))) unknown.add(String.valueOf(k));
        if (!unknown.isEmpty()) LOG.info(() -> f + ": ignoring settings Amtsbote does not use: " + unknown);

        String id = requiredText(f, m, "id");
        if (!m.containsKey("url")) problems.add(f + ": 'url' is missing (write 'url: null' if the service wants no traffic)");
        String url = optionalText(f, m, "url");
        if (url != null) checkUrl(f, url);
        String asToken = requiredText(f, m, "as_token");
        String hsToken = requiredText(f, m, "hs_token");
        if (asToken != null && asToken.equals(hsToken)) problems.add(f + ": as_token and hs_token must differ");
        String sender = requiredText(f, m, "sender_localpart");
        if (sender != null && !LOCALPART.matcher(sender).matches()) {
            problems.add(f + ": sender_localpart '" + sender + "' may only contain a-z, 0-9 and . _ = - / +");
        }
        List<Registration.Namespace> users = List.of(), aliases = List.of(), rooms = List.of();
        Object ns = m.get("namespaces");
        if (ns == null) {
            problems.add(f + ": 'namespaces' is missing (users, aliases, rooms; each may be an empty list)");
        } else if (!(ns instanceof Map<?, ?> nsMap)) {
            problems.add(f + ": 'namespaces' must be a section with users, aliases and rooms below it");
        } else {
            for (Object k : nsMap.keySet()) {
                if (!Set.of("users", "aliases", "rooms").contains(String.valueOf(k))) {
                    problems.add(f + ": unknown namespace kind 'namespaces." + k + "' (known: users, aliases, rooms)");
                }
            }
            users = namespaces(f, nsMap, "users");
            aliases = namespaces(f, nsMap, "aliases");
            rooms = namespaces(f, nsMap, "rooms");
        }
        boolean rateLimited = bool(f, m, "rate_limited", true);
        List<String> protocols = protocols(f, m.get("protocols"));
        boolean ephemeral = bool(f, m, "receive_ephemeral", false) || bool(f, m, "de.sorunome.msc2409.push_ephemeral", false)
                || bool(f, m, "push_ephemeral", false);
        boolean toDevice = bool(f, m, "io.element.msc4203.push_to_device", false)
                || bool(f, m, "org.matrix.msc2409.push_to_device", false) || bool(f, m, "push_to_device", false);
        if (problems.size() > before) return null;
        return new Registration(f, id, url, asToken, hsToken, sender, users, aliases, rooms, rateLimited, protocols,
                ephemeral, toDevice);
    }

    private void checkUrl(Path f, String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                problems.add(f + ": url must be an http:// or https:// address (or null), got '" + url + "'");
            }
        } catch (IllegalArgumentException e) {
            problems.add(f + ": url is not a valid address: '" + url + "'");
        }
    }

    private List<Registration.Namespace> namespaces(Path f, Map<?, ?> ns, String kind) {
        Object v = ns.get(kind);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) {
            problems.add(f + ": namespaces." + kind + " must be a list of {exclusive, regex} entries");
            return List.of();
        }
        List<Registration.Namespace> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = f + ": namespaces." + kind + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> e)) {
                problems.add(where + " must have 'exclusive' and 'regex'");
                continue;
            }
            if (!(e.get("exclusive") instanceof Boolean exclusive)) {
                problems.add(where + ".exclusive must be true or false");
                continue;
            }
            if (!(e.get("regex") instanceof String regex) || regex.isEmpty()) {
                problems.add(where + ".regex must be a regular expression (text)");
                continue;
            }
            try {
                out.add(new Registration.Namespace(Pattern.compile(regex), exclusive));
            } catch (PatternSyntaxException ex) {
                problems.add(where + ".regex '" + regex + "' is not a valid regular expression: "
                        + ex.getDescription() + " near position " + ex.getIndex());
            }
        }
        return List.copyOf(out);
    }

    private List<String> protocols(Path f, Object v) {
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) out.add(s);
                else problems.add(f + ": protocols must be a list of names, got '" + o + "'");
            }
        } else {
            problems.add(f + ": protocols must be a list of names");
        }
        return List.copyOf(out);
    }

    private String requiredText(Path f, Map<?, ?> m, String key) {
        if (m.get(key) == null) {
            problems.add(f + ": '" + key + "' is missing");
            return null;
        }
        return optionalText(f, m, key);
    }

    private String optionalText(Path f, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof String s && !s.isBlank()) return s.trim();
        problems.add(f + ": " + key + " must be non-empty text");
        return null;
    }

    private boolean bool(Path f, Map<?, ?> m, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        problems.add(f + ": " + key + " must be true or false, got '" + v + "'");
        return dflt;
    }

    /** The spec: ids and as_tokens must be unique; we also refuse a token used twice in any role. */
    private void crossCheck(List<Registration> regs) {
        Map<String, Path> ids = new HashMap<>();
        Map<String, String> tokens = new HashMap<>();
        for (Registration r : regs) {
            Path other = ids.putIfAbsent(r.id(), r.file());
            if (other != null) problems.add(r.file() + ": id '" + r.id() + "' is already used by " + other);
            token(tokens, r.asToken(), r.file() + " (as_token)", r.file());
            token(tokens, r.hsToken(), r.file() + " (hs_token)", r.file());
        }
        Map<String, Path> senders = new HashMap<>();
        for (Registration r : regs) {
            Path other = senders.putIfAbsent(r.senderLocalpart(), r.file());
            if (other != null) problems.add(r.file() + ": sender_localpart '" + r.senderLocalpart() + "' is already used by " + other);
        }
    }

    private void token(Map<String, String> tokens, String token, String what, Path file) {
        String other = tokens.putIfAbsent(token, what);
        if (other != null) problems.add(file + ": a token is the same as in " + other + "; every token must be unique");
    }
}
