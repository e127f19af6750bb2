package de.amtsbote.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.admin.AdminAudit;
import de.amtsbote.config.LdapConfig;
import de.amtsbote.http.Req;
import de.amtsbote.rooms.EncryptionPolicy;
import de.amtsbote.rooms.Membership;
import de.amtsbote.rooms.Profiles;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.jdbc.JdbcLdapStore;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The directory sync against an in-memory directory, on the real server's accounts and rooms. */
class LdapSyncTest {
    /** Records "actor action target" per audited act. */
    static final class RecordingAudit implements AdminAudit {
        final List<String> acts = new CopyOnWriteArrayList<>();

        @Override
        public void record(Req req, String action, String target, ObjectNode details) {
            acts.add(req.userId() + " " + action + " " + target);
        }

        @Override
        public void recordSystem(String actor, String action, String target, ObjectNode details) {
            acts.add(actor + " " + action + " " + target);
        }
    }

    /** The server with the directory configured, and a sync wired to a recording audit. */
    private record Setup(TestServer server, LdapSync sync, RecordingAudit audit, RoomActions actions) {}

    private static Setup setup(TestServer.Db db, TestDirectory dir, String extraLdapYaml) throws Exception {
        TestServer s = new TestServer(db, dir.yaml(extraLdapYaml));
        var srv = s.server();
        LdapConfig config = srv.config().ldap();
        Profiles profiles = userId -> srv.stores().accounts().user(userId).filter(u -> !u.deactivated())
                .map(u -> new Profiles.Profile(u.displayname(), u.avatarUrl())).orElse(null);
        RoomActions actions = new RoomActions(srv.rooms(), srv.stores().directory(), profiles,
                EncryptionPolicy.of(srv.config().encryption()));
        RecordingAudit audit = new RecordingAudit();
        JdbcLdapStore store = new JdbcLdapStore(srv.stores().db());
        LdapAccounts accounts = new LdapAccounts(srv.accounts(), srv.moderation(), store, actions, audit,
                System::currentTimeMillis);
        LdapSync sync = new LdapSync(config, new LdapDirectory(config), accounts,
                new GroupRooms(config.groupRooms(), actions, store, audit, System::currentTimeMillis), audit,
                System::currentTimeMillis);
        return new Setup(s, sync, audit, actions);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.get("user_id").asText()));
        java.util.Collections.sort(out);
        return out;
    }

    private static String id(String localpart) { return "@" + localpart + ":test.local"; }

    /** Locked (the spec's account lock), never deactivated: the sync's locks destroy nothing. */
    private static boolean locked(Setup t, String localpart) {
        assertFalse(t.server().server().accounts().user(id(localpart)).orElseThrow().deactivated());
        boolean locked = t.server().server().moderation().isLocked(id(localpart));
        assertEquals(locked, t.server().server().moderation().store().lockedUsers().contains(id(localpart)), "stored too");
        return locked;
    }

    private static ObjectNode login(String user, String password) {
        ObjectNode body = Json.object();
        body.put("type", "m.login.password");
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        body.put("password", password);
        return body;
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void createsUpdatesLocksAndUnlocks(TestServer.Db db) throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            for (String n : List.of("anna", "bernd", "carla", "dora", "erik")) dir.addUser(n, "Frau/Herr " + n, n + "-Pass1");
            dir.addUser("Jörg", "Jörg Umlaut", "x-Pass1");
            Setup t = setup(db, dir, "");
            try (TestServer s = t.server()) {
                // erik exists as an account made in Amtsbote: the sync must not take it over.
                s.server().accounts().createUser("erik", "local-password", false, "Erik lokal");
                ObjectNode r = t.sync().run();
                assertTrue(r.get("ok").asBoolean(), r.toString());
                assertEquals(List.of(id("anna"), id("bernd"), id("carla"), id("dora")), texts(r.get("created")));
                assertEquals(2, r.get("skipped").size(), r.toString());
                assertTrue(t.audit().acts.contains("ldap-sync user.create " + id("anna")));
                assertFalse(t.audit().acts.contains("ldap-sync user.create " + id("erik")));
                assertEquals("Frau/Herr anna", s.server().accounts().user(id("anna")).orElseThrow().displayname());
                assertEquals(200, s.request("POST", "/_matrix/client/v3/login", null, login("erik", "local-password")).status());

                var signedIn = s.request("POST", "/_matrix/client/v3/login", null, login("bernd", "bernd-Pass1"));
                assertEquals(200, signedIn.status(), signedIn.body());
                String berndToken = signedIn.json().get("access_token").asText();

                // Again with nothing changed: nothing to do (a retry never duplicates).
                ObjectNode again = t.sync().run();
                assertEquals(0, again.get("created").size() + again.get("updated").size() + again.get("locked").size(), again.toString());

                dir.set(TestDirectory.userDn("anna"), "displayName", "Anna Amtsleiterin");
                r = t.sync().run();
                assertEquals(List.of(id("anna")), texts(r.get("updated")));
                assertEquals("Anna Amtsleiterin", s.server().accounts().user(id("anna")).orElseThrow().displayname());
                assertTrue(t.audit().acts.contains("ldap-sync user.update " + id("anna")));

                // 2 of 4 directory accounts = 50%: allowed at the default limit of 50%.
                dir.delete("bernd");
                dir.disable("carla");
                r = t.sync().run();
                assertTrue(r.get("ok").asBoolean(), r.toString());
                assertEquals(List.of(id("bernd"), id("carla")), texts(r.get("locked")));
                assertTrue(locked(t, "bernd") && locked(t, "carla"));
                assertFalse(locked(t, "anna") || locked(t, "erik"));
                // Locked, not signed out: the session answers M_USER_LOCKED (soft logout) and sign-in is refused.
                var whoami = s.request("GET", "/_matrix/client/v3/account/whoami", berndToken, null);
                TestServer.assertError(whoami, 401, "M_USER_LOCKED");
                assertTrue(whoami.json().get("soft_logout").asBoolean(), whoami.body());
                TestServer.assertError(s.request("POST", "/_matrix/client/v3/login", null, login("carla", "carla-Pass1")),
                        401, "M_USER_LOCKED");
                TestServer.assertError(s.request("POST", "/_matrix/client/v3/login", null, login("carla", "wrong")),
                        403, "M_FORBIDDEN");
                TestServer.assertError(s.request("POST", "/_matrix/client/v3/login", null, login("bernd", "bernd-Pass1")),
                        403, "M_FORBIDDEN");
                assertTrue(t.audit().acts.contains("ldap-sync user.lock " + id("bernd")));
                assertTrue(t.audit().acts.contains("ldap-sync user.lock " + id("carla")));
                assertEquals(0, t.sync().run().get("locked").size(), "already locked: not again");

                dir.enable("carla");
                r = t.sync().run();
                assertEquals(List.of(id("carla")), texts(r.get("unlocked")));
                assertFalse(locked(t, "carla"));
                assertTrue(locked(t, "bernd"));
                assertTrue(t.audit().acts.contains("ldap-sync user.unlock " + id("carla")));
                assertEquals(200, s.request("POST", "/_matrix/client/v3/login", null, login("carla", "carla-Pass1")).status());

                // An admin's lock is the admin's: the sync never lifts it, however the directory looks.
                String admin = s.userToken("admin", true);
                assertEquals(200, s.request("PUT", "/_matrix/client/v1/admin/lock/" + id("anna"), admin,
                        Json.object().put("locked", true)).status());
                dir.disable("anna");
                r = t.sync().run();
                assertEquals(0, r.get("locked").size(), r.toString());
                dir.enable("anna");
                r = t.sync().run();
                assertEquals(0, r.get("unlocked").size(), r.toString());
                assertTrue(locked(t, "anna"));
                // Nor does it lift a lock an admin took over: unlocked by hand, then locked by hand again.
                dir.disable("carla");
                assertEquals(List.of(id("carla")), texts(t.sync().run().get("locked")));
                for (boolean lock : new boolean[] {false, true}) {
                    assertEquals(200, s.request("PUT", "/_matrix/client/v1/admin/lock/" + id("carla"), admin,
                            Json.object().put("locked", lock)).status());
                }
                dir.enable("carla");
                assertEquals(0, t.sync().run().get("unlocked").size());
                assertTrue(locked(t, "carla"));

                // An entry moved or renamed in the directory stays the same account.
                dir.server.modifyDN(TestDirectory.userDn("dora"), "CN=Dora Neumann", true);
                r = t.sync().run();
                assertEquals(0, r.get("locked").size() + r.get("created").size(), r.toString());
                assertEquals(LdapDirectory.normalize("CN=Dora Neumann," + TestDirectory.STAFF),
                        new JdbcLdapStore(s.server().stores().db()).linked(id("dora")).orElseThrow().dn());
                assertEquals(200, s.request("POST", "/_matrix/client/v3/login", null, login("dora", "dora-Pass1")).status());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void refusesToLockTooManyAndChangesNothingWhenTheDirectoryIsDown(TestServer.Db db) throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            for (String n : List.of("anna", "bernd", "carla")) dir.addUser(n, n, n + "-Pass1");
            Setup t = setup(db, dir, "  max_lock_percent: 50\n");
            try (TestServer s = t.server()) {
                assertEquals(3, t.sync().run().get("created").size());
                dir.delete("anna");
                dir.delete("bernd");
                ObjectNode r = t.sync().run();
                assertFalse(r.get("ok").asBoolean());
                assertTrue(r.get("refused").asBoolean());
                assertEquals(2, r.get("would_lock").asInt());
                assertTrue(r.get("error").asText().contains("max_lock_percent"), r.toString());
                assertFalse(locked(t, "anna") || locked(t, "bernd"), "nothing locked");
                assertEquals(r, t.sync().lastResult());

                // A directory that returns nobody never locks everyone.
                dir.delete("carla");
                r = t.sync().run();
                assertTrue(r.get("refused").asBoolean(), r.toString());
                assertFalse(locked(t, "carla"));
                assertTrue(t.audit().acts.stream().noneMatch(a -> a.contains("user.lock")), t.audit().acts.toString());

                dir.addUser("dora", "dora", "dora-Pass1");
                dir.stop();
                r = t.sync().run();
                assertFalse(r.get("ok").asBoolean());
                assertTrue(r.get("error").asText().startsWith("Directory not readable, nothing was changed"), r.toString());
                assertFalse(r.has("created"));
                assertTrue(s.server().accounts().user(id("dora")).isEmpty());
                assertFalse(r.toString().contains(TestDirectory.SERVICE_PASSWORD));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void refusesEvenAtHundredPercentWhenTheDirectoryReturnsNobody(TestServer.Db db) throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            dir.addUser("anna", "anna", "anna-Pass1");
            Setup t = setup(db, dir, "  max_lock_percent: 100\n");
            try (TestServer s = t.server()) {
                t.sync().run();
                dir.delete("anna");
                ObjectNode r = t.sync().run();
                assertTrue(r.get("refused").asBoolean(), r.toString());
                assertFalse(locked(t, "anna"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void groupsMapToRoomsAndTheAdminGroupToTheAdminFlag(TestServer.Db db) throws Exception {
        try (TestDirectory dir = new TestDirectory()) {
            for (String n : List.of("anna", "bernd", "carla", "dora")) dir.addUser(n, n, n + "-Pass1");
            dir.addGroup("Bauamt", "anna", "bernd");
            dir.addGroup("Admins", "dora");
            String extra = "  admin_group_dn: \"" + TestDirectory.groupDn("Admins") + "\"\n  group_rooms:\n"
                    + "    - group_dn: \"" + TestDirectory.groupDn("Bauamt") + "\"\n      room: \"#bauamt:test.local\"\n"
                    + "    - group_dn: \"" + TestDirectory.groupDn("Bauamt") + "\"\n      room: \"#missing:test.local\"\n";
            Setup t = setup(db, dir, extra);
            try (TestServer s = t.server()) {
                String admin = s.userToken("admin", true);
                var created = s.request("POST", "/_matrix/client/v3/createRoom", admin,
                        Json.object().put("preset", "private_chat").put("room_alias_name", "bauamt").put("name", "Bauamt"));
                assertEquals(200, created.status(), created.body());
                String roomId = created.json().get("room_id").asText();

                ObjectNode r = t.sync().run();
                assertEquals(List.of(id("anna"), id("bernd")), texts(r.get("joined")), r.toString());
                assertEquals(1, r.get("errors").size(), "the missing room is reported: " + r);
                assertFalse(r.get("ok").asBoolean());
                var room = s.server().rooms().room(roomId);
                assertEquals(Membership.JOIN, room.member(id("anna")));
                assertEquals(Membership.JOIN, room.member(id("bernd")));
                assertTrue(t.audit().acts.contains("ldap-sync room.join " + id("anna")));
                assertTrue(s.server().accounts().user(id("dora")).orElseThrow().admin());
                assertFalse(s.server().accounts().user(id("anna")).orElseThrow().admin());

                // carla joined by herself before her group membership: never kicked by the sync.
                t.actions().invite(id("admin"), roomId, id("carla"), null, false);
                t.actions().join(id("carla"), roomId, null);
                dir.addMember("Bauamt", "carla");
                r = t.sync().run();
                assertEquals(0, r.get("joined").size(), r.toString());

                dir.removeMember("Bauamt", "bernd");
                dir.removeMember("Bauamt", "carla");
                dir.removeMember("Admins", "dora");
                r = t.sync().run();
                assertEquals(List.of(id("bernd")), texts(r.get("kicked")), r.toString());
                room = s.server().rooms().room(roomId);
                assertEquals(Membership.LEAVE, room.member(id("bernd")));
                assertEquals(Membership.JOIN, room.member(id("carla")));
                assertEquals(Membership.JOIN, room.member(id("anna")));
                assertTrue(t.audit().acts.contains("ldap-sync room.kick " + id("bernd")));
                assertFalse(s.server().accounts().user(id("dora")).orElseThrow().admin(), "admin flag taken back");
                assertTrue(t.audit().acts.contains("ldap-sync user.admin.revoke " + id("dora")));
                assertTrue(s.server().accounts().user(id("admin")).orElseThrow().admin(), "hand-made admin untouched");

                // Back in the group: joined again.
                dir.addMember("Bauamt", "bernd");
                r = t.sync().run();
                assertEquals(List.of(id("bernd")), texts(r.get("joined")), r.toString());
                assertEquals(Membership.JOIN, s.server().rooms().room(roomId).member(id("bernd")));

                // A disabled account is locked and leaves the rooms the sync put it in.
                dir.disable("anna");
                r = t.sync().run();
                assertEquals(List.of(id("anna")), texts(r.get("locked")), r.toString());
                assertEquals(List.of(id("anna")), texts(r.get("kicked")), r.toString());
            }
        }
    }
}
