package de.amtsbote.appservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.amtsbote.config.ConfigException;
import de.amtsbote.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration files: what is read, and every mistake refused at start with the file named. */
class RegistrationLoaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    private static String reg(String id, String as, String hs, String sender) {
        return "id: " + id + "\nurl: http://127.0.0.1:9000\nas_token: " + as + "\nhs_token: " + hs
                + "\nsender_localpart: " + sender + "\nnamespaces:\n  users:\n    - exclusive: true\n      regex: '@_"
                + id + "_.*'\n  aliases: []\n  rooms: []\n";
    }

    @Test
    void readsAllFields() throws Exception {
        Path f = file("irc.yaml", """
                id: "IRC Bridge"
                url: null
                as_token: "30c05ae90a248a4188e620216fa72e349803310ec83e2a77b34fe90be6081f46"
                hs_token: "312df522183efd404ec1cd22d2ffa4bbc76a8c1ccf541dd692eef281356bb74e"
                sender_localpart: "_irc_bot"
                rate_limited: false
                protocols: ["irc"]
                de.sorunome.msc2409.push_ephemeral: true
                io.element.msc4203.push_to_device: true
                some.vendor.extension: 42
                namespaces:
                  users:
                    - exclusive: true
                      regex: "@_irc_bridge_.*"
                  aliases:
                    - exclusive: false
                      regex: "#_irc_bridge_.*"
                  rooms: []
                """);
        Registration r = RegistrationLoader.load(List.of(f)).getFirst();
        assertEquals("IRC Bridge", r.id());
        assertEquals(null, r.url());
        assertEquals("_irc_bot", r.senderLocalpart());
        assertFalse(r.rateLimited());
        assertEquals(List.of("irc"), r.protocols());
        assertTrue(r.receiveEphemeral());
        assertTrue(r.pushToDevice());
        assertTrue(r.isExclusiveUser("@_irc_bridge_alice:example.org"));
        assertTrue(r.isInterestedInUser("@_irc_bridge_alice:example.org", "example.org"));
        assertFalse(r.isInterestedInUser("@_irc_bridge_alice:other.org", "example.org"), "only local users");
        assertTrue(r.isInterestedInAlias("#_irc_bridge_x:example.org"));
        assertFalse(r.isExclusiveAlias("#_irc_bridge_x:example.org"));
        assertTrue(r.isInterestedInUser("@_irc_bot:example.org", "example.org"), "the sender");
    }

    @Test
    void duplicateIdsAndTokensAreRefusedNamingTheFiles() throws Exception {
        Path a = file("a.yaml", reg("one", "tokA", "tokB", "_one"));
        Path b = file("b.yaml", reg("one", "tokC", "tokD", "_two"));
        Path c = file("c.yaml", reg("three", "tokA", "tokE", "_three"));
        Path d = file("d.yaml", reg("four", "tokF", "tokF", "_four"));
        ConfigException e = assertThrows(ConfigException.class, () -> RegistrationLoader.load(List.of(a, b, c, d)));
        String m = e.getMessage();
        assertTrue(m.contains(b + ": id 'one' is already used by " + a), m);
        assertTrue(m.contains(c + ": a token is the same as in " + a + " (as_token)"), m);
        assertTrue(m.contains(d + ": as_token and hs_token must differ"), m);
    }

    @Test
    void badRegexesMissingFieldsAndBadValuesAreRefused() throws Exception {
        Path f = file("bad.yaml", """
                id: broken
                as_token: x1
                sender_localpart: "Not Valid"
                rate_limited: "yes"
                namespaces:
                  users:
                    - exclusive: true
                      regex: "@_broken_(.*"
                    - regex: "@_other_.*"
                  rooms: "all"
                """);
        String m = assertThrows(ConfigException.class, () -> RegistrationLoader.load(List.of(f))).getMessage();
        assertTrue(m.contains(f + ": 'url' is missing"), m);
        assertTrue(m.contains(f + ": 'hs_token' is missing"), m);
        assertTrue(m.contains(f + ": sender_localpart 'Not Valid' may only contain"), m);
        assertTrue(m.contains(f + ": rate_limited must be true or false"), m);
        assertTrue(m.contains(f + ": namespaces.users[0].regex '@_broken_(.*' is not a valid regular expression"), m);
        assertTrue(m.contains(f + ": namespaces.users[1].exclusive must be true or false"), m);
        assertTrue(m.contains(f + ": namespaces.rooms must be a list"), m);
        Path missing = dir.resolve("nope.yaml");
        String m2 = assertThrows(ConfigException.class, () -> RegistrationLoader.load(List.of(missing))).getMessage();
        assertTrue(m2.contains(missing + ": cannot read the registration file"), m2);
        Path notYaml = file("x.yaml", "id: [unclosed");
        assertTrue(assertThrows(ConfigException.class, () -> RegistrationLoader.load(List.of(notYaml))).getMessage()
                .contains(notYaml + ": not valid YAML"));
    }

    @Test
    void configListsRegistrationFilesRelativeToItself() {
        var c = ConfigLoader.parse("appservices:\n  - bridges/irc.yaml\n  - /etc/x.yaml\n", dir, "t");
        assertEquals(List.of(dir.resolve("bridges/irc.yaml"), Path.of("/etc/x.yaml")), c.appservices());
        String m = assertThrows(ConfigException.class, () -> ConfigLoader.parse("appservices: irc.yaml\n", dir, "t")).getMessage();
        assertTrue(m.contains("appservices must be a list of registration file paths"), m);
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("appservices: [a.yaml, a.yaml]\n", dir, "t"))
                .getMessage().contains("twice"));
    }
}
