package de.amtsbote.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GET /_amtsbote/admin/v1/status: its shape, the counts, and the LDAP part plugged in by the directory sync. */
class StatusHttpTest {
    private static final String STATUS = "/_amtsbote/admin/v1/status";

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void statusShowsServerDatabaseCountsAndLdap(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            String admin = s.userToken("admin", true);
            String bob = s.userToken("bob");
            s.userToken("gone");
            // No deactivation API on this branch yet: set the flag as the Synapse-style API will.
            s.server().stores().db().write(ctx -> {
                try (var st = ctx.connection().prepareStatement("UPDATE users SET deactivated = 1 WHERE user_id = ?")) {
                    st.setString(1, s.userId("gone"));
                    return st.executeUpdate();
                }
            });
            for (String name : List.of("Bauamt", "Kämmerei")) {
                var r = s.request("POST", "/_matrix/client/v3/createRoom", bob, Json.object().put("name", name));
                assertEquals(200, r.status(), r.body());
            }
            var r = s.request("GET", STATUS, admin, null);
            assertEquals(200, r.status(), r.body());
            JsonNode st = r.json();
            assertEquals(List.of("server_name", "version", "uptime_ms", "database", "users", "rooms", "ldap"),
                    iterable(st.fieldNames()));
            assertEquals("test.local", st.get("server_name").asText());
            assertTrue(st.get("version").isTextual() && !st.get("version").asText().isEmpty());
            assertTrue(st.get("uptime_ms").asLong() >= 0 && st.get("uptime_ms").asLong() < 600_000);
            assertEquals(db == TestServer.Db.SQLITE ? "sqlite" : "postgresql", st.get("database").asText());
            assertEquals(2, st.get("users").asLong(), "deactivated accounts are not counted");
            assertEquals(2, st.get("rooms").asLong());
            assertTrue(st.get("ldap").isNull());

            s.server().adminStatus().ldapStatus(() -> Json.object().put("enabled", true).put("last_sync_ts", 1234L)
                    .set("last_result", Json.object().put("created", 3)));
            JsonNode ldap = s.request("GET", STATUS, admin, null).json().get("ldap");
            assertEquals(Json.parse("{\"enabled\":true,\"last_sync_ts\":1234,\"last_result\":{\"created\":3}}"), ldap);
            // Looking at the status is not an admin act.
            assertEquals(0, s.server().auditLog().verify().entries());
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
