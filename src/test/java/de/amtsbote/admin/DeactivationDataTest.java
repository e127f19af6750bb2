package de.amtsbote.admin;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.KeyBackupStore;
import de.amtsbote.storage.KeyStore;
import de.amtsbote.storage.Stores;
import de.amtsbote.storage.jdbc.JdbcKeyBackupStore;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deactivation deletes the account's personal data (Synapse's list: account data incl. push rules, cross-signing
 * keys, key backups, pending to-device messages, filters; invites rejected), keeps the rooms' messages, and a
 * reactivated account starts empty. Checked in the database through the stores, on both databases and for
 * both admin ways to deactivate.
 */
class DeactivationDataTest {
    private static final String V1 = "/_synapse/admin/v1";
    private static final String V2 = "/_synapse/admin/v2";
    private static final String CLIENT = "/_matrix/client/v3";

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static void ok(TestServer.Response r) { assertEquals(200, r.status(), r.body()); }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deactivateDeletesPersonalDataAndReactivationStartsEmpty(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            check(s, true);
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void deactivateThroughV2UsersDoesTheSame(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db)) {
            check(s, false);
        }
    }

    private static void check(TestServer s, boolean throughV1) throws Exception {
        String admin = s.userToken("admin", true);
        String gina = s.userToken("gina");
        String hans = s.userToken("hans");
        String ginaId = s.userId("gina");
        String hansId = s.userId("hans");
        String ginaDevice = s.request("GET", CLIENT + "/account/whoami", gina, null).json().get("device_id").asText();
        String hansDevice = s.request("GET", CLIENT + "/account/whoami", hans, null).json().get("device_id").asText();
        Stores stores = s.server().stores();
        KeyBackupStore backups = new JdbcKeyBackupStore(stores.db());

        // Gina's room with a message (stays; the admin is in it to read it afterwards), and an invite from Hans into his room (must be rejected).
        String ginasRoom = s.request("POST", CLIENT + "/createRoom", gina, Json.object()).json().get("room_id").asText();
        ok(s.request("PUT", CLIENT + "/rooms/" + enc(ginasRoom) + "/send/m.room.message/t1", gina,
                Json.object().put("msgtype", "m.text").put("body", "Protokoll der Sitzung")));
        ok(s.request("POST", CLIENT + "/rooms/" + enc(ginasRoom) + "/invite", gina, Json.object().put("user_id", s.userId("admin"))));
        ok(s.request("POST", CLIENT + "/rooms/" + enc(ginasRoom) + "/join", admin, Json.object()));
        String hansRoom = s.request("POST", CLIENT + "/createRoom", hans, Json.object()).json().get("room_id").asText();
        ok(s.request("POST", CLIENT + "/rooms/" + enc(hansRoom) + "/invite", hans, Json.object().put("user_id", ginaId)));
        assertEquals("invite", s.server().rooms().membershipsOf(ginaId).get(hansRoom));

        // Account data (global, per room), the ignore list, a push rule, a filter.
        ok(s.request("PUT", CLIENT + "/user/" + enc(ginaId) + "/account_data/de.test.settings", gina,
                Json.object().put("theme", "dunkel")));
        ok(s.request("PUT", CLIENT + "/user/" + enc(ginaId) + "/rooms/" + enc(ginasRoom) + "/account_data/de.test.room", gina,
                Json.object().put("note", "privat")));
        ObjectNode ignore = Json.object();
        ignore.putObject("ignored_users").putObject(hansId);
        ok(s.request("PUT", CLIENT + "/user/" + enc(ginaId) + "/account_data/m.ignored_user_list", gina, ignore));
        ObjectNode rule = Json.object().put("pattern", "Amtsblatt");
        rule.putArray("actions").add("notify");
        ok(s.request("PUT", CLIENT + "/pushrules/global/content/amtsblatt", gina, rule));
        String filterId = s.request("POST", CLIENT + "/user/" + enc(ginaId) + "/filter", gina, Json.object())
                .json().get("filter_id").asText();

        // A key backup with one session key.
        ObjectNode version = Json.object().put("algorithm", "m.megolm_backup.v1.curve25519-aes-sha2");
        version.putObject("auth_data").put("public_key", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
        ok(s.request("POST", CLIENT + "/room_keys/version", gina, version));
        ObjectNode key = Json.object().put("first_message_index", 0).put("forwarded_count", 0).put("is_verified", false);
        key.putObject("session_data").put("ciphertext", "geheim");
        ok(s.request("PUT", CLIENT + "/room_keys/keys/" + enc(ginasRoom) + "/sess1?version=1", gina, key));
        assertEquals(1, backups.keys(ginaId, 1, null, null).size());

        // Cross-signing keys and signatures by and for Gina (stored directly: real uploads need real signatures),
        // and one signature between others that must stay.
        stores.keys().setCrossSigningKeys(ginaId, List.of(new KeyStore.CrossSigningKey("master", "GINAMASTER",
                Json.object().put("user_id", ginaId))), Set.of(), null);
        stores.keys().addSignatures(List.of(
                new KeyStore.Signature(ginaId, "ed25519:GINAUSK", hansId, hansDevice, "sig-by-gina"),
                new KeyStore.Signature(hansId, "ed25519:HANSUSK", ginaId, "GINAMASTER", "sig-for-gina"),
                new KeyStore.Signature(hansId, "ed25519:HANSSSK", hansId, hansDevice, "sig-by-hans")), Set.of());

        // A pending to-device message for Gina's device.
        ObjectNode toDevice = Json.object();
        toDevice.putObject("messages").putObject(ginaId).putObject(ginaDevice).put("hallo", "gina");
        ok(s.request("PUT", CLIENT + "/sendToDevice/m.test/txn1", hans, toDevice));
        assertEquals(1, stores.toDevice().pending(ginaId, ginaDevice, 0, Long.MAX_VALUE, 100).size());

        // Deactivate.
        if (throughV1) {
            ok(s.request("POST", V1 + "/deactivate/" + enc(ginaId), admin, Json.object()));
        } else {
            ok(s.request("PUT", V2 + "/users/" + enc(ginaId), admin, Json.object().put("deactivated", true)));
        }
        assertPersonalDataGone(s, ginaId, ginaDevice, ginasRoom, filterId, backups);
        assertTrue(stores.accounts().devices(ginaId).isEmpty(), "devices");
        assertEquals(List.of("sig-by-hans"), stores.keys().signaturesOn(hansId).stream().map(KeyStore.Signature::signature).toList());
        assertEquals("leave", s.server().rooms().membershipsOf(ginaId).get(hansRoom), "the invite is rejected");
        assertEquals("leave", s.server().rooms().membershipsOf(ginaId).get(ginasRoom));
        // The room keeps Gina's message.
        var messages = s.request("GET", CLIENT + "/rooms/" + enc(ginasRoom) + "/messages?dir=b&limit=50", admin, null);
        ok(messages);
        assertTrue(messages.body().contains("Protokoll der Sitzung"), messages.body());

        // Reactivate: the account signs in and starts empty (default push rules, no backup, no account data).
        ok(s.request("PUT", V2 + "/users/" + enc(ginaId), admin,
                Json.object().put("deactivated", false).put("password", "neu-und-leer-123")));
        String again = SynapseUserAdminTest.login(s, "gina", "neu-und-leer-123");
        assertPersonalDataGone(s, ginaId, ginaDevice, ginasRoom, filterId, backups);
        assertError(s.request("GET", CLIENT + "/user/" + enc(ginaId) + "/account_data/de.test.settings", again, null),
                404, "M_NOT_FOUND");
        assertError(s.request("GET", CLIENT + "/pushrules/global/content/amtsblatt", again, null), 404, "M_NOT_FOUND");
        assertError(s.request("GET", CLIENT + "/room_keys/version", again, null), 404, "M_NOT_FOUND");
        assertError(s.request("GET", CLIENT + "/user/" + enc(ginaId) + "/filter/" + filterId, again, null), 404, "M_NOT_FOUND");
        JsonNode sync = s.request("GET", CLIENT + "/sync?timeout=0", again, null).json();
        for (JsonNode ev : sync.path("account_data").path("events")) {
            assertFalse(ev.get("type").asText().startsWith("de.test"), sync.toString());
            assertFalse(ev.get("type").asText().equals("m.ignored_user_list"), sync.toString());
        }
        // A new backup is numbered after the old one: a version number never means two different backups.
        var created = s.request("POST", CLIENT + "/room_keys/version", again, version);
        ok(created);
        assertEquals("2", created.json().get("version").asText());
    }

    private static void assertPersonalDataGone(TestServer s, String userId, String deviceId, String roomId,
                                               String filterId, KeyBackupStore backups) {
        Stores stores = s.server().stores();
        assertTrue(stores.accountData().get(userId, "", "de.test.settings").isEmpty(), "global account data");
        assertTrue(stores.accountData().get(userId, "", "m.ignored_user_list").isEmpty(), "ignore list");
        assertTrue(stores.accountData().get(userId, "", "m.push_rules").isEmpty(), "push rules as account data");
        assertTrue(stores.accountData().get(userId, roomId, "de.test.room").isEmpty(), "room account data");
        assertTrue(stores.accountData().since(userId, 0, Long.MAX_VALUE).isEmpty(), "no account data at all");
        assertTrue(stores.accountData().pushRules(userId).isEmpty(), "push rules");
        assertTrue(stores.accountData().filter(userId, filterId).isEmpty(), "filter");
        assertTrue(stores.keys().crossSigningKeys(userId).isEmpty(), "cross-signing keys");
        assertTrue(stores.keys().signaturesOn(userId).isEmpty(), "signatures for the user's keys");
        assertTrue(backups.current(userId).isEmpty(), "key backup version");
        assertTrue(backups.version(userId, 1).isEmpty(), "key backup version 1");
        assertTrue(stores.toDevice().pending(userId, deviceId, 0, Long.MAX_VALUE, 100).isEmpty(), "to-device messages");
    }
}
