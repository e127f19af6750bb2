package de.amtsbote.admin;

import static de.amtsbote.admin.AdminTestSupport.createRoom;
import static de.amtsbote.admin.AdminTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * synadm (the Debian package of Synapse's admin CLI) against Amtsbote: rooms, registration tokens and server
 * notices, as an admin would use them. Skipped where synadm is not installed.
 */
class SynadmRoomsTest {
    private static final Path SYNADM = Path.of("/usr/bin/synadm");

    private static JsonNode synadm(Path config, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SYNADM.toString(), "-c", config.toString(), "--non-interactive"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "synadm " + String.join(" ", args) + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        // synadm prints the JSON answer last (after log lines, if any).
        String last = out.substring(Math.max(out.lastIndexOf("\n{"), out.lastIndexOf("\n[")) + 1);
        return Json.parse(last.startsWith("{") || last.startsWith("[") ? last : out);
    }

    @Test
    void roomsTokensAndNotices() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SYNADM), "synadm is not installed");
        try (TestServer s = new TestServer(TestServer.Db.SQLITE)) {
            String admin = s.userToken("admin", true);
            String alice = s.userToken("alice");
            String room = createRoom(s, alice, Json.object().put("name", "Stadtrat").put("room_alias_name", "rat"));
            Path config = Files.createTempFile("synadm", ".yaml");
            Files.writeString(config, "user: admin\ntoken: " + admin + "\nbase_url: " + s.baseUrl + "\nadmin_path: /_synapse/admin\n"
                    + "matrix_path: /_matrix\ntimeout: 30\nserver_discovery: well-known\nhomeserver: test.local\n"
                    + "ssl_verify: true\nformat: json\n");
            try {
                JsonNode list = synadm(config, "room", "list");
                assertEquals(1, list.get("total_rooms").asInt(), list.toString());
                assertEquals("Stadtrat", list.get("rooms").get(0).get("name").asText());
                assertEquals("#rat:test.local", synadm(config, "room", "details", room).get("canonical_alias").asText());
                assertEquals(1, synadm(config, "room", "members", room).get("total").asInt());

                assertEquals(2, synadm(config, "regtok", "new", "-n", "einladung", "-u", "2").get("uses_allowed").asInt());
                assertEquals(5, synadm(config, "regtok", "update", "einladung", "-u", "5").get("uses_allowed").asInt());
                assertEquals("einladung", synadm(config, "regtok", "details", "einladung").get("token").asText());
                assertEquals(1, synadm(config, "regtok", "list").get("registration_tokens").size());

                JsonNode sent = synadm(config, "notice", "send", "alice", "Wartung heute Abend");
                assertTrue(sent.toString().contains("event_id"), sent.toString());

                // synadm deletes with Synapse's synchronous v1 endpoint.
                JsonNode deleted = synadm(config, "room", "delete", "-b", room);
                assertEquals(Json.parse("[\"" + s.userId("alice") + "\"]"), deleted.get("kicked_users"), deleted.toString());
                assertTrue(ok(s.request("GET", "/_synapse/admin/v1/rooms/" + AdminTestSupport.enc(room) + "/block", admin, null))
                        .get("block").asBoolean());
            } finally {
                Files.deleteIfExists(config);
            }
        }
    }
}
