package de.amtsbote.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * synadm (Debian's package, the admin CLI Synapse admins know) against the real server: its user commands
 * and version work unchanged. Skipped only where synadm is not installed; CI installs it (.ci/run).
 */
class SynadmTest {
    private record Run(int exit, String out) {
        /** The last line of JSON synadm printed (some commands print the user's details before the result). */
        JsonNode json() {
            String[] lines = out.strip().split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                String l = lines[i].strip();
                if (l.startsWith("{") || l.startsWith("[")) return Json.parse(l);
            }
            throw new AssertionError("no JSON in synadm output:\n" + out);
        }
    }

    private static Path synadm() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "synadm");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static Run run(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(synadm().toString(), "-c", home.resolve("synadm.yaml").toString(),
                "--batch", "-o", "json"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("synadm " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Run ok(Path home, String... args) throws Exception {
        Run r = run(home, args);
        assertEquals(0, r.exit(), "synadm " + String.join(" ", args) + ":\n" + r.out());
        return r;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void synadmUserCommands(TestServer.Db db) throws Exception {
        Assumptions.assumeTrue(synadm() != null, "synadm is not installed (apt-get install synadm)");
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String karlToken = s.userToken("karl");
            String lenaOld = s.userToken("lena");
            s.login("lena");
            Path home = Files.createTempDirectory("synadm-home");
            // synadm's YAML config (what `synadm config` writes); the homeserver name is given, not discovered.
            Files.writeString(home.resolve("synadm.yaml"), "user: admin\ntoken: " + admin + "\nbase_url: " + s.baseUrl
                    + "\nadmin_path: /_synapse/admin\nmatrix_path: /_matrix\ntimeout: 30\nserver_discovery: well-known\n"
                    + "homeserver: test.local\nformat: json\nssl_verify: true\n");

            assertTrue(ok(home, "version").json().get("server_version").asText().startsWith("Amtsbote"));

            JsonNode list = ok(home, "user", "list").json();
            assertEquals(3, list.get("total").asInt());
            assertEquals(s.userId("admin"), list.get("users").get(0).get("name").asText());
            assertEquals(List.of(s.userId("karl")), names(ok(home, "user", "list", "-n", "kar").json()));

            JsonNode details = ok(home, "user", "details", "karl").json();
            assertEquals(s.userId("karl"), details.get("name").asText());
            assertFalse(details.get("deactivated").asBoolean());

            // modify: an existing user gets a new display name; an unknown one is created.
            JsonNode modified = ok(home, "user", "modify", "@karl:test.local", "--display-name", "Karl Kommune").json();
            assertEquals("Karl Kommune", modified.get("displayname").asText());
            assertEquals("Karl Kommune", s.request("GET", "/_matrix/client/v3/profile/%40karl%3Atest.local", karlToken, null)
                    .json().get("displayname").asText());
            JsonNode created = ok(home, "user", "modify", "mia", "-P", "mias-passwort-1", "-n", "Mia Neu", "--admin").json();
            assertEquals(s.userId("mia"), created.get("name").asText());
            assertTrue(created.get("admin").asBoolean());
            SynapseUserAdminTest.login(s, "mia", "mias-passwort-1");

            // whois shows karl's session; password signs him out unless -n.
            JsonNode whois = ok(home, "user", "whois", "karl").json();
            assertEquals(s.userId("karl"), whois.get("user_id").asText());
            assertEquals(1, whois.get("devices").size());
            assertEquals("{}", ok(home, "user", "password", "karl", "-p", "karls-neues-pw", "-n").json().toString());
            assertEquals(200, s.request("GET", "/_matrix/client/v3/account/whoami", karlToken, null).status());
            ok(home, "user", "password", "karl", "-p", "karls-zweites-pw");
            assertEquals(401, s.request("GET", "/_matrix/client/v3/account/whoami", karlToken, null).status());
            SynapseUserAdminTest.login(s, "karl", "karls-zweites-pw");

            // membership and prune-devices (devices list + delete_devices; synadm sends the argument as given
            // to delete_devices, so it needs the full user id there).
            assertEquals(0, ok(home, "user", "membership", "karl").json().get("total").asInt());
            String lenaOldDevice = s.request("GET", "/_matrix/client/v3/account/whoami", lenaOld, null).json()
                    .get("device_id").asText();
            ok(home, "user", "prune-devices", "@lena:test.local", "-i", lenaOldDevice);
            assertEquals(401, s.request("GET", "/_matrix/client/v3/account/whoami", lenaOld, null).status());
            assertEquals(1, s.request("GET", "/_synapse/admin/v2/users/%40lena%3Atest.local/devices", admin, null)
                    .json().get("total").asInt());

            // deactivate: karl is gone from the default list, shown with -d.
            JsonNode deactivated = ok(home, "user", "deactivate", "karl").json();
            assertEquals("success", deactivated.get("id_server_unbind_result").asText());
            assertFalse(names(ok(home, "user", "list").json()).contains(s.userId("karl")));
            assertTrue(names(ok(home, "user", "list", "-d").json()).contains(s.userId("karl")));
            assertTrue(ok(home, "user", "details", "karl").json().get("deactivated").asBoolean());

            // A non-admin token gets Synapse's refusal, which synadm prints.
            Files.writeString(home.resolve("synadm.yaml"), Files.readString(home.resolve("synadm.yaml"))
                    .replace(admin, s.login("lena")));
            assertEquals("M_FORBIDDEN", run(home, "user", "details", "admin").json().get("errcode").asText());
        }
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("users").forEach(u -> out.add(u.get("name").asText()));
        return out;
    }
}
