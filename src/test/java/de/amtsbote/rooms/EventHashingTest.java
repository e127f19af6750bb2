package de.amtsbote.rooms;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventHashingTest {
    // The appendix vectors keep "origin" in the signed form, i.e. they use the pre-v11 redaction rules.
    @Test
    void minimalEventMatchesSpecVector() {
        ObjectNode event = Json.parseObject("""
                {"room_id": "!x:domain", "sender": "@a:domain", "origin": "domain", "origin_server_ts": 1000000,
                 "signatures": {}, "hashes": {}, "type": "X", "content": {}, "prev_events": [], "auth_events": [],
                 "depth": 3, "unsigned": {"age_ts": 1000000}}""");
        EventHashing.hashAndSign(RoomVersion.V10, event, ServerSigningKeyTest.specKey(), "domain");
        assertEquals(Json.parse("""
                {"auth_events": [], "content": {}, "depth": 3,
                 "hashes": {"sha256": "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},
                 "origin": "domain", "origin_server_ts": 1000000, "prev_events": [], "room_id": "!x:domain",
                 "sender": "@a:domain",
                 "signatures": {"domain": {"ed25519:1": "KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg"}},
                 "type": "X", "unsigned": {"age_ts": 1000000}}"""), event);
        assertTrue(EventHashing.contentHashMatches(event));
    }

    @Test
    void redactableEventMatchesSpecVector() {
        ObjectNode event = Json.parseObject("""
                {"content": {"body": "Here is the message content"}, "event_id": "$0:domain", "origin": "domain",
                 "origin_server_ts": 1000000, "type": "m.room.message", "room_id": "!r:domain",
                 "sender": "@u:domain", "signatures": {}, "unsigned": {"age_ts": 1000000}}""");
        EventHashing.hashAndSign(RoomVersion.V10, event, ServerSigningKeyTest.specKey(), "domain");
        assertEquals("onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g", event.path("hashes").path("sha256").asText());
        assertEquals("Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA",
                event.path("signatures").path("domain").path("ed25519:1").asText());
        assertEquals("Here is the message content", event.path("content").path("body").asText());
        // The signature covers the redacted form, so it still verifies after redaction.
        ObjectNode redacted = Redaction.redact(RoomVersion.V10, event);
        assertTrue(ServerSigningKey.verifyJson(redacted, "domain", "ed25519:1", ServerSigningKeyTest.specKey().publicKey()));
        event.with("content").put("body", "tampered");
        assertFalse(EventHashing.contentHashMatches(event));
    }

    @Test
    void eventIdIsUrlSafeHashOfRedactedCanonicalForm() {
        ObjectNode event = Json.parseObject("""
                {"type": "m.room.message", "room_id": "!r:d", "sender": "@u:d", "content": {"body": "hi"},
                 "hashes": {"sha256": "abc"}, "origin_server_ts": 5, "depth": 2, "prev_events": [],
                 "auth_events": [], "signatures": {"d": {"ed25519:1": "x"}}, "unsigned": {"age": 1}}""");
        // By hand: v11 redaction drops content.body, then signatures and unsigned go.
        String expectedCanonical = "{\"auth_events\":[],\"content\":{},\"depth\":2,\"hashes\":{\"sha256\":\"abc\"},"
                + "\"origin_server_ts\":5,\"prev_events\":[],\"room_id\":\"!r:d\",\"sender\":\"@u:d\",\"type\":\"m.room.message\"}";
        byte[] hash = EventHashing.sha256(expectedCanonical.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(hash, EventHashing.referenceHash(RoomVersion.V11, event));
        String id = EventHashing.eventId(RoomVersion.V11, event);
        assertEquals("$" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash), id);
        assertEquals(44, id.length());
        assertFalse(id.contains("+") || id.contains("/") || id.contains("="));
    }

    @Test
    void v12RoomIdIsCreateEventIdWithBang() {
        ObjectNode create = Json.parseObject("""
                {"type": "m.room.create", "state_key": "", "sender": "@alice:d", "origin_server_ts": 1,
                 "content": {"room_version": "12"}, "depth": 1, "prev_events": [], "auth_events": []}""");
        EventHashing.contentHash(create);
        String roomId = EventHashing.roomIdFromCreateEvent(create);
        assertTrue(roomId.startsWith("!"));
        assertEquals(EventHashing.eventId(RoomVersion.V12, create).substring(1), roomId.substring(1));
    }

    @Test
    void v9RedactionRules() {
        ObjectNode member = Json.parseObject("""
                {"type": "m.room.member", "state_key": "@u:d", "origin": "d", "membership": "join", "prev_state": [],
                 "unsigned": {"a": 1}, "foo": 1,
                 "content": {"membership": "join", "displayname": "U", "join_authorised_via_users_server": "@x:d",
                             "third_party_invite": {"signed": {"mxid": "@u:d"}, "display_name": "u"}}}""");
        assertEquals(Json.parse("""
                {"type": "m.room.member", "state_key": "@u:d", "origin": "d", "membership": "join", "prev_state": [],
                 "content": {"membership": "join", "join_authorised_via_users_server": "@x:d"}}"""),
                Redaction.redact(RoomVersion.V10, member));
        ObjectNode create = Json.parseObject("{\"type\":\"m.room.create\",\"content\":{\"creator\":\"@u:d\",\"room_version\":\"10\"}}");
        assertEquals(Json.parse("{\"type\":\"m.room.create\",\"content\":{\"creator\":\"@u:d\"}}"), Redaction.redact(RoomVersion.V10, create));
        ObjectNode pl = Json.parseObject("{\"type\":\"m.room.power_levels\",\"content\":{\"invite\":0,\"ban\":50,\"notifications\":{\"room\":1}}}");
        assertEquals(Json.parse("{\"type\":\"m.room.power_levels\",\"content\":{\"ban\":50}}"), Redaction.redact(RoomVersion.V10, pl));
        ObjectNode red = Json.parseObject("{\"type\":\"m.room.redaction\",\"redacts\":\"$x\",\"content\":{\"redacts\":\"$x\",\"reason\":\"r\"}}");
        assertEquals(Json.parse("{\"type\":\"m.room.redaction\",\"content\":{}}"), Redaction.redact(RoomVersion.V10, red));
    }

    @Test
    void v11RedactionRules() {
        ObjectNode member = Json.parseObject("""
                {"type": "m.room.member", "state_key": "@u:d", "origin": "d", "membership": "join", "prev_state": [],
                 "content": {"membership": "invite", "displayname": "U",
                             "third_party_invite": {"signed": {"mxid": "@u:d"}, "display_name": "u"}}}""");
        assertEquals(Json.parse("""
                {"type": "m.room.member", "state_key": "@u:d",
                 "content": {"membership": "invite", "third_party_invite": {"signed": {"mxid": "@u:d"}}}}"""),
                Redaction.redact(RoomVersion.V11, member));
        ObjectNode create = Json.parseObject("{\"type\":\"m.room.create\",\"content\":{\"room_version\":\"12\",\"additional_creators\":[\"@b:d\"]}}");
        assertEquals(create, Redaction.redact(RoomVersion.V12, create));
        ObjectNode pl = Json.parseObject("{\"type\":\"m.room.power_levels\",\"content\":{\"invite\":0,\"ban\":50,\"notifications\":{\"room\":1}}}");
        assertEquals(Json.parse("{\"type\":\"m.room.power_levels\",\"content\":{\"invite\":0,\"ban\":50}}"), Redaction.redact(RoomVersion.V11, pl));
        ObjectNode red = Json.parseObject("{\"type\":\"m.room.redaction\",\"content\":{\"redacts\":\"$x\",\"reason\":\"r\"}}");
        assertEquals(Json.parse("{\"type\":\"m.room.redaction\",\"content\":{\"redacts\":\"$x\"}}"), Redaction.redact(RoomVersion.V11, red));
        ObjectNode jr = Json.parseObject("{\"type\":\"m.room.join_rules\",\"content\":{\"join_rule\":\"restricted\",\"allow\":[],\"x\":1}}");
        assertEquals(Json.parse("{\"type\":\"m.room.join_rules\",\"content\":{\"join_rule\":\"restricted\",\"allow\":[]}}"), Redaction.redact(RoomVersion.V11, jr));
        ObjectNode hv = Json.parseObject("{\"type\":\"m.room.history_visibility\",\"content\":{\"history_visibility\":\"shared\",\"x\":1}}");
        assertEquals(Json.parse("{\"type\":\"m.room.history_visibility\",\"content\":{\"history_visibility\":\"shared\"}}"), Redaction.redact(RoomVersion.V11, hv));
    }

    @Test
    void roomVersionLookup() {
        assertSame(RoomVersion.V12, RoomVersion.DEFAULT);
        assertSame(RoomVersion.V11, RoomVersion.of("11"));
        assertNull(RoomVersion.of("9"));
        assertNull(RoomVersion.of(null));
        assertEquals(3, RoomVersion.supported().size());
    }
}
