package de.amtsbote.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ldap section: off by default, every mistake named for the admin, the password never shown. */
class LdapConfigTest {
    private static final String GOOD = """
            ldap:
              enabled: true
              urls: [ldaps://dc1.musterstadt.local:636, ldaps://dc2.musterstadt.local]
              bind_dn: CN=svc-amtsbote,OU=Service,DC=musterstadt,DC=local
              bind_password: "Geheim-4711"
              base_dn: OU=Staff,DC=musterstadt,DC=local
              user_filter: (&(objectClass=user)(memberOf=CN=Amtsbote,OU=Groups,DC=musterstadt,DC=local))
              attributes:
                localpart: sAMAccountName
              admin_group_dn: CN=IT,OU=Groups,DC=musterstadt,DC=local
              group_rooms:
                - group_dn: CN=Bauamt,OU=Groups,DC=musterstadt,DC=local
                  room: "#bauamt:musterstadt.de"
              sync_interval_minutes: 30
            """;

    private static String problems(String yaml, Path dir) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, dir, "amtsbote.yaml")).getMessage();
    }

    @Test
    void offByDefaultAlsoInTheGeneratedFile() throws Exception {
        assertFalse(ConfigLoader.parse("", Path.of("/tmp"), "t").ldap().enabled());
        Path dir = Files.createTempDirectory("cfg");
        Path file = dir.resolve("amtsbote.yaml");
        ConfigLoader.createDefaultIfMissing(file);
        assertFalse(ConfigLoader.load(file).ldap().enabled());
        String text = Files.readString(file);
        assertTrue(text.contains("ldap:\n") && text.contains("# bind_password_file:") && text.contains("max_lock_percent"));
        // Switched off, the rest of the section is not required.
        assertFalse(ConfigLoader.parse("ldap:\n  enabled: false\n", dir, "t").ldap().enabled());
    }

    @Test
    void aCompleteSectionIsRead() {
        LdapConfig c = ConfigLoader.parse(GOOD, Path.of("/tmp"), "t").ldap();
        assertTrue(c.enabled());
        assertEquals(2, c.urls().size());
        assertEquals("Geheim-4711", c.bindPassword());
        assertEquals("sAMAccountName", c.localpartAttribute());
        assertEquals("displayName", c.displaynameAttribute());
        assertEquals("#bauamt:musterstadt.de", c.groupRooms().getFirst().room());
        assertEquals(30, c.syncIntervalMinutes());
        assertEquals(50, c.maxLockPercent());
        assertNull(c.caFile());
        assertFalse(c.toString().contains("Geheim-4711"), "the password is never printed");
    }

    @Test
    void passwordFromAFile() throws Exception {
        Path dir = Files.createTempDirectory("cfg");
        Files.writeString(dir.resolve("ldap-password"), "Aus-Datei-1\n");
        String yaml = GOOD.replace("bind_password: \"Geheim-4711\"", "bind_password_file: ldap-password");
        assertEquals("Aus-Datei-1", ConfigLoader.parse(yaml, dir, "t").ldap().bindPassword());
        String m = problems(GOOD.replace("bind_password: \"Geheim-4711\"", "bind_password_file: missing"), dir);
        assertTrue(m.contains("ldap.bind_password_file " + dir.resolve("missing") + " cannot be read"), m);
        String env = problems(GOOD.replace("bind_password: \"Geheim-4711\"", "bind_password_env: AMTSBOTE_NO_SUCH_VARIABLE_42"), dir);
        assertTrue(env.contains("environment variable AMTSBOTE_NO_SUCH_VARIABLE_42 is not set"), env);
        String two = problems(GOOD.replace("bind_password: \"Geheim-4711\"", "bind_password: a\n  bind_password_file: ldap-password"), dir);
        assertTrue(two.contains("exactly one of bind_password"), two);
    }

    @Test
    void everyMistakeIsNamedAndThePasswordNever() {
        String yaml = """
                ldap:
                  enabled: true
                  urls: [http://dc1, ldaps://dc2]
                  start_tls: true
                  bind_dn: not a dn
                  bind_password: "Geheim-4711"
                  user_filter: (objectClass=user
                  attributes:
                    localpart: "s A M"
                    phone: x
                  group_rooms:
                    - group_dn: CN=Bauamt,DC=x
                      room: bauamt
                  sync_interval_minutes: -1
                  max_lock_percent: 150
                  colour: blue
                """;
        String m = problems(yaml, Path.of("/tmp"));
        assertTrue(m.contains("ldap.urls: 'http://dc1' is not an ldap://"), m);
        assertTrue(m.contains("ldap.start_tls is for ldap:// URLs"), m);
        assertTrue(m.contains("ldap.bind_dn is not a valid distinguished name"), m);
        assertTrue(m.contains("ldap.base_dn is required"), m);
        assertTrue(m.contains("ldap.user_filter is not a valid LDAP filter"), m);
        assertTrue(m.contains("ldap.attributes.localpart must be an attribute name"), m);
        assertTrue(m.contains("unknown setting 'ldap.attributes.phone'"), m);
        assertTrue(m.contains("room 'bauamt' must be a room id"), m);
        assertTrue(m.contains("ldap.sync_interval_minutes must be a whole number between 0 and 10080"), m);
        assertTrue(m.contains("ldap.max_lock_percent must be a whole number between 0 and 100"), m);
        assertTrue(m.contains("unknown setting 'ldap.colour'"), m);
        assertFalse(m.contains("Geheim-4711"), m);
        assertTrue(problems("ldap:\n  enabled: yes please\n", Path.of("/tmp")).contains("ldap.enabled must be true or false"));
        assertTrue(problems("ldap:\n  enabled: true\n", Path.of("/tmp")).contains("ldap.urls is required"));
    }
}
