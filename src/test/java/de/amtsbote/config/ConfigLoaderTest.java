package de.amtsbote.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    @Test
    void defaultFileIsCreatedAndValid() throws Exception {
        Path dir = Files.createTempDirectory("cfg");
        Path file = dir.resolve("amtsbote.yaml");
        assertTrue(ConfigLoader.createDefaultIfMissing(file));
        Config c = ConfigLoader.load(file);
        assertEquals("localhost", c.serverName());
        assertEquals(8008, c.listenPort());
        assertTrue(c.database().isSqlite());
        assertEquals(dir.resolve("data/amtsbote.db"), c.database().path());
        assertTrue(Files.readString(file).contains("# "), "defaults are commented");
    }

    @Test
    void unknownKeysAndBadValuesAreAllReported() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "server_name: 'bad name'\nlisten:\n  port: 99999\n  adress: x\ndatabase:\n  type: mysql\nfoo: 1\n",
                Path.of("/tmp"), "test.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("server_name"), m);
        assertTrue(m.contains("listen.port must be between 0 and 65535"), m);
        assertTrue(m.contains("unknown setting 'listen.adress'"), m);
        assertTrue(m.contains("database.type must be 'sqlite' or 'postgresql'"), m);
        assertTrue(m.contains("unknown setting 'foo'"), m);
    }

    @Test
    void wrongTypesAndBrokenYaml() {
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("limits:\n  max_sync_timeout_ms: soon\n",
                Path.of("/tmp"), "t")).getMessage().contains("must be a whole number"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("listen: [1, 2\n", Path.of("/tmp"), "t"))
                .getMessage().contains("not valid YAML"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("database:\n  type: postgresql\n",
                Path.of("/tmp"), "t")).getMessage().contains("database.url must be set"));
    }

    @Test
    void encryptionPolicy() {
        assertEquals(Config.Encryption.NewRooms.OFF, ConfigLoader.parse("", Path.of("/tmp"), "t").encryption().newRooms());
        // Unquoted off is YAML's boolean false; an admin writes it that way.
        assertEquals(Config.Encryption.NewRooms.OFF,
                ConfigLoader.parse("encryption:\n  new_rooms: off\n", Path.of("/tmp"), "t").encryption().newRooms());
        Config c = ConfigLoader.parse("encryption:\n  new_rooms: private\n  users_may_enable: false\n", Path.of("/tmp"), "t");
        assertEquals(Config.Encryption.NewRooms.PRIVATE, c.encryption().newRooms());
        assertFalse(c.encryption().usersMayEnable());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "encryption:\n  new_rooms: sometimes\n  users_may_enable: maybe\n", Path.of("/tmp"), "t"));
        assertTrue(e.getMessage().contains("encryption.new_rooms must be 'off', 'private' or 'all'"), e.getMessage());
        assertTrue(e.getMessage().contains("encryption.users_may_enable must be true or false"), e.getMessage());
    }

    @Test
    void webhookLimitsAreReadAndChecked() throws Exception {
        Path dir = Files.createTempDirectory("cfg");
        Path file = dir.resolve("amtsbote.yaml");
        ConfigLoader.createDefaultIfMissing(file);
        Config.Webhooks d = ConfigLoader.load(file).webhooks();
        assertEquals(new Config.Webhooks(60, 65_536, 10_000, false), d, "the generated file carries the defaults");
        Config c = ConfigLoader.parse("webhooks:\n  deliveries_per_minute: 5\n  max_body_bytes: 2048\n"
                + "  outgoing_timeout_ms: 2500\n  outgoing_allow_internal_targets: true\n", dir, "t.yaml");
        assertEquals(new Config.Webhooks(5, 2048, 2500, true), c.webhooks());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("webhooks:\n"
                + "  deliveries_per_minute: 0\n  max_body_bytes: 99999999\n  outgoing_timeout_ms: x\n"
                + "  outgoing_allow_internal_targets: 1\n  rate: 3\n", dir, "t.yaml"));
        String m = e.getMessage();
        assertTrue(m.contains("webhooks.deliveries_per_minute must be between 1 and 100000"), m);
        assertTrue(m.contains("webhooks.max_body_bytes must be between 1024 and 1048576"), m);
        assertTrue(m.contains("webhooks.outgoing_timeout_ms must be a whole number"), m);
        assertTrue(m.contains("webhooks.outgoing_allow_internal_targets must be true or false"), m);
        assertTrue(m.contains("unknown setting 'webhooks.rate'"), m);
    }

    @Test
    void serverNotices() {
        Config.ServerNotices d = ConfigLoader.parse("", Path.of("/tmp"), "t").serverNotices();
        assertEquals(new Config.ServerNotices("amtsbote-hinweise", "IT-Hinweise", "Hinweise der IT"), d);
        Config.ServerNotices c = ConfigLoader.parse("server_notices:\n  system_mxid_localpart: it\n  room_name: IT-News\n",
                Path.of("/tmp"), "t").serverNotices();
        assertEquals(new Config.ServerNotices("it", "IT-Hinweise", "IT-News"), c);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "server_notices:\n  system_mxid_localpart: IT Abteilung\n  avatar: x\n", Path.of("/tmp"), "t"));
        assertTrue(e.getMessage().contains("server_notices.system_mxid_localpart may only contain"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown setting 'server_notices.avatar'"), e.getMessage());
    }
}
