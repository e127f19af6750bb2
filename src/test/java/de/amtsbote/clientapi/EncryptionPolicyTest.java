package de.amtsbote.clientapi;

import static de.amtsbote.testing.TestServer.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.testing.TestServer;
import de.amtsbote.util.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The administrator's encryption policy for new rooms (config section "encryption"). */
class EncryptionPolicyTest {
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static String create(TestServer s, String token, ObjectNode body) throws Exception {
        var r = s.request("POST", "/_matrix/client/v3/createRoom", token, body);
        assertEquals(200, r.status(), r.body());
        return r.json().get("room_id").asText();
    }

    private static int encryptionState(TestServer s, String token, String roomId) throws Exception {
        var r = s.request("GET", "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.encryption", token, null);
        if (r.status() == 200) assertEquals("m.megolm.v1.aes-sha2", r.json().path("algorithm").asText());
        return r.status();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void privateRoomsAreEncryptedAndMembersMayNotSwitchItOn(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, "encryption:\n  new_rooms: private\n  users_may_enable: false\n")) {
            String alice = s.userToken("alice");
            String group = create(s, alice, Json.object().put("preset", "private_chat"));
            String dm = create(s, alice, Json.object().put("preset", "trusted_private_chat").put("is_direct", true));
            String open = create(s, alice, Json.object().put("preset", "public_chat"));
            assertEquals(200, encryptionState(s, alice, group));
            assertEquals(200, encryptionState(s, alice, dm));
            assertEquals(404, encryptionState(s, alice, open));

            ObjectNode megolm = Json.object().put("algorithm", "m.megolm.v1.aes-sha2");
            assertError(s.request("PUT", "/_matrix/client/v3/rooms/" + enc(open) + "/state/m.room.encryption", alice,
                    megolm), 403, "M_FORBIDDEN");
            assertEquals(404, encryptionState(s, alice, open));
            ObjectNode asked = Json.object().put("preset", "public_chat");
            asked.putArray("initial_state").addObject().put("type", "m.room.encryption").set("content", megolm);
            assertError(s.request("POST", "/_matrix/client/v3/createRoom", alice, asked), 403, "M_FORBIDDEN");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void byDefaultNothingIsEncryptedButMembersMaySwitchItOn(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, "encryption:\n  new_rooms: off\n")) {
            String alice = s.userToken("alice");
            String group = create(s, alice, Json.object().put("preset", "private_chat"));
            assertEquals(404, encryptionState(s, alice, group));
            ObjectNode megolm = Json.object().put("algorithm", "m.megolm.v1.aes-sha2");
            assertEquals(200, s.request("PUT", "/_matrix/client/v3/rooms/" + enc(group) + "/state/m.room.encryption",
                    alice, megolm).status());
            assertEquals(200, encryptionState(s, alice, group));
            ObjectNode asked = Json.object();
            asked.putArray("initial_state").addObject().put("type", "m.room.encryption").set("content", megolm);
            assertEquals(200, encryptionState(s, alice, create(s, alice, asked)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Db.class)
    void allRoomsEncrypted(TestServer.Db db) throws Exception {
        try (TestServer s = new TestServer(db, "encryption:\n  new_rooms: all\n")) {
            String alice = s.userToken("alice");
            assertEquals(200, encryptionState(s, alice, create(s, alice, Json.object().put("preset", "public_chat"))));
        }
    }
}
