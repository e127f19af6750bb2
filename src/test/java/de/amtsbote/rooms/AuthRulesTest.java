package de.amtsbote.rooms;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuthRulesTest {
    static final String ALICE = "@alice:a.example", BOB = "@bob:b.example", CAROL = "@carol:a.example",
            DAVE = "@dave:b.example";

    static ObjectNode pl(String json) {
        return Json.parseObject(json);
    }

    /** Alice creates; in v10/v11 she is listed with 100, in v12 creators must not be listed. */
    static TestRoom room(RoomVersion v, String joinRule, String extraUsers) throws AuthException {
        String users = (v.creatorsHaveInfinitePower() ? "" : "\"" + ALICE + "\":100") + extraUsers;
        if (users.startsWith(",")) users = users.substring(1);
        return TestRoom.standard(v, ALICE, joinRule, pl("{\"users\":{" + users + "}}"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void creatorCreatesAndJoins(RoomVersion v) throws Exception {
        TestRoom room = room(v, "invite", "");
        assertEquals("join", room.get("m.room.member", ALICE).path("content").path("membership").asText());
        // Nobody else gets the "first join after create" shortcut.
        TestRoom fresh = new TestRoom(v, ALICE);
        ObjectNode bobJoin = fresh.member(BOB, BOB, "join");
        bobJoin.putArray("prev_events").add(fresh.createId);
        fresh.reject(bobJoin);
    }

    @Test
    void createEventRules() {
        ObjectNode ok = Json.parseObject("""
                {"type":"m.room.create","state_key":"","sender":"@a:x.org","room_id":"!r:x.org",
                 "content":{"creator":"@a:x.org","room_version":"10"},"prev_events":[]}""");
        assertDoesNotThrow(() -> AuthRules.check(RoomVersion.V10, ok, (t, k) -> null));
        ObjectNode noCreator = ok.deepCopy();
        noCreator.with("content").remove("creator");
        assertThrows(AuthException.class, () -> AuthRules.check(RoomVersion.V10, noCreator, (t, k) -> null));
        assertDoesNotThrow(() -> AuthRules.check(RoomVersion.V11, noCreator, (t, k) -> null));
        ObjectNode otherDomain = ok.deepCopy().put("room_id", "!r:evil.org");
        assertThrows(AuthException.class, () -> AuthRules.check(RoomVersion.V10, otherDomain, (t, k) -> null));
        ObjectNode withPrev = ok.deepCopy();
        withPrev.putArray("prev_events").add("$x");
        assertThrows(AuthException.class, () -> AuthRules.check(RoomVersion.V10, withPrev, (t, k) -> null));
        ObjectNode badVersion = ok.deepCopy();
        badVersion.with("content").put("room_version", "99");
        assertThrows(AuthException.class, () -> AuthRules.check(RoomVersion.V10, badVersion, (t, k) -> null));
        // v12: no room_id at all, additional_creators must be user IDs.
        assertThrows(AuthException.class, () -> AuthRules.check(RoomVersion.V12, ok, (t, k) -> null));
        ObjectNode v12 = ok.deepCopy();
        v12.remove("room_id");
        assertDoesNotThrow(() -> AuthRules.check(RoomVersion.V12, v12, (t, k) -> null));
        v12.with("content").putArray("additional_creators").add("@b:y.org").add("not-a-user");
        assertThrows(AuthException.class, () -> AuthRules.check(RoomVersion.V12, v12, (t, k) -> null));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void publicRoomJoins(RoomVersion v) throws Exception {
        TestRoom room = room(v, "public", "");
        room.accept(room.member(BOB, BOB, "join"));
        room.reject(room.member(BOB, CAROL, "join")); // cannot join on someone else's behalf
        room.accept(room.member(CAROL, CAROL, "join"));
        room.accept(room.member(CAROL, CAROL, "leave"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void inviteOnlyRoom(RoomVersion v) throws Exception {
        TestRoom room = room(v, "invite", "");
        room.reject(room.member(BOB, BOB, "join"));
        room.accept(room.member(ALICE, BOB, "invite"));
        room.accept(room.member(BOB, BOB, "join"));
        // A non-member cannot invite; nor can anyone invite a joined user.
        room.reject(room.member(CAROL, DAVE, "invite"));
        room.reject(room.member(ALICE, BOB, "invite"));
        // Rejecting an invite is a leave by the invitee.
        room.accept(room.member(ALICE, CAROL, "invite"));
        room.accept(room.member(CAROL, CAROL, "leave"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void inviteNeedsInviteLevel(RoomVersion v) throws Exception {
        TestRoom room = room(v, "public", "");
        room.accept(room.event("m.room.power_levels", "", ALICE,
                pl(v.creatorsHaveInfinitePower() ? "{\"invite\":50}" : "{\"invite\":50,\"users\":{\"" + ALICE + "\":100}}")));
        room.accept(room.member(BOB, BOB, "join"));
        room.reject(room.member(BOB, CAROL, "invite"));
        room.accept(room.member(ALICE, CAROL, "invite"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void kicksAndBansByPowerLevel(RoomVersion v) throws Exception {
        TestRoom room = room(v, "public", ",\"" + CAROL + "\":50,\"" + DAVE + "\":50");
        for (String u : List.of(BOB, CAROL, DAVE)) room.accept(room.member(u, u, "join"));
        room.reject(room.member(BOB, CAROL, "leave"));   // 0 < kick level
        room.reject(room.member(CAROL, DAVE, "leave"));  // equal levels
        room.reject(room.member(CAROL, ALICE, "ban"));   // target outranks
        room.accept(room.member(CAROL, BOB, "leave"));   // kick
        room.accept(room.member(BOB, BOB, "join"));
        room.accept(room.member(CAROL, BOB, "ban"));
        assertTrue(room.reject(room.member(BOB, BOB, "join")).getMessage().contains("banned"));
        room.reject(room.member(BOB, BOB, "leave"));     // nor leave the ban
        room.reject(room.member(BOB, BOB, "knock"));
        room.accept(room.member(ALICE, BOB, "leave"));   // unban
        room.accept(room.member(BOB, BOB, "join"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void unbanNeedsBanLevel(RoomVersion v) throws Exception {
        String users = (v.creatorsHaveInfinitePower() ? "" : "\"" + ALICE + "\":100,") + "\"" + CAROL + "\":60";
        TestRoom room = TestRoom.standard(v, ALICE, "public", pl("{\"kick\":50,\"ban\":70,\"users\":{" + users + "}}"));
        room.accept(room.member(CAROL, CAROL, "join"));
        room.accept(room.member(ALICE, BOB, "ban"));
        room.reject(room.member(CAROL, BOB, "leave"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void leaveByNonMemberRejected(RoomVersion v) throws Exception {
        TestRoom room = room(v, "public", "");
        assertTrue(room.reject(room.member(BOB, BOB, "leave")).getMessage().contains("not in"));
        assertTrue(room.reject(room.member(BOB, ALICE, "leave")).getMessage().contains("not joined"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void stateEventsNeedStateDefault(RoomVersion v) throws Exception {
        TestRoom room = room(v, "public", "");
        room.accept(room.member(BOB, BOB, "join"));
        room.reject(room.event("m.room.topic", "", BOB, Json.object().put("topic", "t")));
        room.accept(room.event("m.room.topic", "", ALICE, Json.object().put("topic", "t")));
        room.accept(room.event("m.room.message", null, BOB, Json.object().put("body", "hi")));
        room.reject(room.event("m.room.message", null, CAROL, Json.object().put("body", "not joined")));
        // events overrides the defaults in both directions.
        room.accept(room.event("m.room.power_levels", "", ALICE, pl("{\"events\":{\"m.room.topic\":0,\"m.room.message\":10}"
                + (v.creatorsHaveInfinitePower() ? "" : ",\"users\":{\"" + ALICE + "\":100}") + "}")));
        room.accept(room.event("m.room.topic", "", BOB, Json.object().put("topic", "t2")));
        room.reject(room.event("m.room.message", null, BOB, Json.object().put("body", "hi")));
        // A state key naming another user is reserved for that user.
        room.reject(room.event("m.room.topic", ALICE, BOB, Json.object()));
        room.accept(room.event("m.room.topic", BOB, BOB, Json.object()));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void powerLevelChanges(RoomVersion v) throws Exception {
        String alice = v.creatorsHaveInfinitePower() ? "" : "\"" + ALICE + "\":100,";
        TestRoom room = room(v, "public", ",\"" + CAROL + "\":50,\"" + DAVE + "\":50");
        for (String u : List.of(BOB, CAROL, DAVE)) room.accept(room.member(u, u, "join"));
        String base = alice + "\"" + CAROL + "\":50,\"" + DAVE + "\":50";
        // Cannot raise anyone (or oneself) above one's own level.
        room.reject(room.event("m.room.power_levels", "", CAROL, pl("{\"users\":{" + base + ",\"" + BOB + "\":60}}")));
        room.reject(room.event("m.room.power_levels", "", CAROL, pl("{\"users\":{" + alice + "\"" + CAROL + "\":51,\"" + DAVE + "\":50}}")));
        // Cannot change a user with equal or higher level.
        assertTrue(room.reject(room.event("m.room.power_levels", "", CAROL, pl("{\"users\":{" + alice + "\"" + CAROL + "\":50,\"" + DAVE + "\":0}}")))
                .getMessage().contains("cannot change users." + DAVE));
        // Cannot touch a threshold above one's own level (kick defaults to 50; state_default raise to 60 is too high).
        room.reject(room.event("m.room.power_levels", "", CAROL, pl("{\"state_default\":60,\"users\":{" + base + "}}")));
        // Needs state_default (50) to send power levels at all.
        assertTrue(room.reject(room.event("m.room.power_levels", "", BOB, pl("{\"users\":{" + base + "}}")))
                .getMessage().contains("needs power level 50"));
        // Can raise others up to one's own level, and demote oneself.
        room.accept(room.event("m.room.power_levels", "", CAROL, pl("{\"users\":{" + base + ",\"" + BOB + "\":50}}")));
        room.accept(room.event("m.room.power_levels", "", CAROL, pl("{\"users\":{" + alice + "\"" + CAROL + "\":10,\""
                + DAVE + "\":50,\"" + BOB + "\":50}}")));
        room.reject(room.event("m.room.topic", "", CAROL, Json.object()));
        // Malformed power levels are rejected outright.
        room.reject(room.event("m.room.power_levels", "", ALICE, pl("{\"ban\":\"50\"}")));
        room.reject(room.event("m.room.power_levels", "", ALICE, pl("{\"events\":{\"m.room.name\":1.5}}")));
        room.reject(room.event("m.room.power_levels", "", ALICE, pl("{\"users\":{\"notauser\":1}}")));
    }

    @Test
    void v10And11CreatorLevelWithoutPowerLevelsEvent() throws Exception {
        for (RoomVersion v : List.of(RoomVersion.V10, RoomVersion.V11)) {
            TestRoom room = new TestRoom(v, ALICE);
            ObjectNode join = room.member(ALICE, ALICE, "join");
            join.putArray("prev_events").add(room.createId);
            room.accept(join);
            PowerLevels levels = PowerLevels.fromState(v, room);
            assertEquals(100, levels.userLevel(ALICE));
            assertEquals(0, levels.userLevel(BOB));
            assertEquals(50, levels.eventLevel("m.room.name", true));
            assertEquals(0, levels.eventLevel("m.room.message", false));
            assertEquals(0, levels.inviteLevel());
            assertEquals(50, levels.kickLevel());
            assertEquals(50, levels.banLevel());
            assertEquals(50, levels.redactLevel());
            assertEquals(50, levels.notificationLevel("room"));
            room.accept(room.event("m.room.name", "", ALICE, Json.object().put("name", "n")));
        }
    }

    @Test
    void v12CreatorsHaveUnlimitedPower() throws Exception {
        RoomVersion v = RoomVersion.V12;
        TestRoom room = new TestRoom(v, ALICE, CAROL);
        ObjectNode join = room.member(ALICE, ALICE, "join");
        join.putArray("prev_events").add(room.createId);
        room.accept(join);
        PowerLevels levels = PowerLevels.fromState(v, room);
        assertEquals(PowerLevels.CREATOR_LEVEL, levels.userLevel(ALICE));
        assertEquals(PowerLevels.CREATOR_LEVEL, levels.userLevel(CAROL));
        assertTrue(levels.isCreator(CAROL));
        // Creators may not appear in users, whoever they are.
        room.reject(room.event("m.room.power_levels", "", ALICE, pl("{\"users\":{\"" + ALICE + "\":100}}")));
        assertTrue(room.reject(room.event("m.room.power_levels", "", ALICE, pl("{\"users\":{\"" + CAROL + "\":100}}")))
                .getMessage().contains("creator"));
        // Any level is below a creator's, even the maximum.
        room.accept(room.event("m.room.power_levels", "", ALICE,
                pl("{\"ban\":9007199254740991,\"users\":{\"" + DAVE + "\":9007199254740991}}")));
        room.accept(room.event("m.room.join_rules", "", ALICE, Json.object().put("join_rule", "public")));
        for (String u : List.of(BOB, CAROL, DAVE)) room.accept(room.member(u, u, "join"));
        // Dave has the highest possible level but still cannot touch a creator.
        room.reject(room.member(DAVE, ALICE, "ban"));
        room.reject(room.member(DAVE, CAROL, "leave"));
        // Creators cannot kick each other (equal, infinite level), but can ban others.
        room.reject(room.member(ALICE, CAROL, "leave"));
        room.accept(room.member(CAROL, DAVE, "ban"));
    }

    @Test
    void v12RoomIdMustBeCreateEventId() throws Exception {
        TestRoom room = room(RoomVersion.V12, "public", "");
        room.reject(room.member(BOB, BOB, "join").put("room_id", "!other"));
        room.accept(room.member(BOB, BOB, "join"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void nonFederatingRoom(RoomVersion v) throws Exception {
        TestRoom room = room(v, "public", "");
        room.get("m.room.create", "").with("content").put("m.federate", false);
        room.get("m.room.create", "").put("event_id", room.createId); // keep the ID stable after editing
        room.reject(room.member(BOB, BOB, "join"));
        room.accept(room.member(CAROL, CAROL, "join"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void knocking(RoomVersion v) throws Exception {
        TestRoom room = room(v, "public", "");
        room.reject(room.member(BOB, BOB, "knock"));
        room.accept(room.event("m.room.join_rules", "", ALICE, Json.object().put("join_rule", "knock")));
        room.reject(room.member(BOB, CAROL, "knock"));
        room.accept(room.member(BOB, BOB, "knock"));
        room.reject(room.member(BOB, BOB, "join"));
        room.accept(room.member(ALICE, BOB, "invite"));
        room.reject(room.member(BOB, BOB, "knock"));
        room.accept(room.member(BOB, BOB, "join"));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void restrictedJoins(RoomVersion v) throws Exception {
        TestRoom room = room(v, "restricted", "");
        room.reject(room.member(BOB, BOB, "join"));
        ObjectNode viaAlice = room.member(BOB, BOB, "join");
        viaAlice.with("content").put("join_authorised_via_users_server", ALICE);
        room.reject(viaAlice); // not signed by a.example
        viaAlice.putObject("signatures").putObject("a.example").put("ed25519:1", "sig");
        room.accept(viaAlice);
        ObjectNode viaNonMember = room.member(CAROL, CAROL, "join");
        viaNonMember.with("content").put("join_authorised_via_users_server", DAVE);
        viaNonMember.putObject("signatures").putObject("b.example").put("ed25519:1", "sig");
        room.reject(viaNonMember);
        // A caller-supplied verifier decides about the signature.
        assertThrows(AuthException.class, () -> AuthRules.check(v, viaAlice, room, (e, s) -> false));
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void thirdPartyInvites(RoomVersion v) throws Exception {
        TestRoom room = room(v, "invite", "");
        ServerSigningKey idServer = ServerSigningKey.generate("0");
        room.accept(room.event("m.room.third_party_invite", "tok", ALICE, Json.object()
                .put("display_name", "b...").put("public_key", idServer.publicKeyBase64())));
        ObjectNode invite = room.member(ALICE, BOB, "invite");
        ObjectNode signed = invite.with("content").putObject("third_party_invite").put("display_name", "b...")
                .putObject("signed").put("mxid", BOB).put("token", "tok");
        room.reject(invite);
        idServer.signJson(signed, "id.example");
        room.accept(invite);
        ObjectNode wrongMxid = room.member(ALICE, CAROL, "invite");
        wrongMxid.with("content").set("third_party_invite", invite.path("content").path("third_party_invite").deepCopy());
        room.reject(wrongMxid);
        assertEquals(List.of(new StateKey("m.room.power_levels", ""), new StateKey("m.room.member", ALICE),
                        new StateKey("m.room.member", BOB), new StateKey("m.room.join_rules", ""),
                        new StateKey("m.room.third_party_invite", "tok")),
                AuthRules.authEventSelection(v, invite).stream().filter(k -> !k.type().equals("m.room.create")).toList());
    }

    @Test
    void authEventSelection() {
        ObjectNode join = Json.parseObject("""
                {"type":"m.room.member","state_key":"@b:x","sender":"@b:x",
                 "content":{"membership":"join","join_authorised_via_users_server":"@a:x"}}""");
        assertEquals(List.of(new StateKey("m.room.create", ""), new StateKey("m.room.power_levels", ""),
                new StateKey("m.room.member", "@b:x"), new StateKey("m.room.join_rules", ""),
                new StateKey("m.room.member", "@a:x")), AuthRules.authEventSelection(RoomVersion.V11, join));
        assertEquals(List.of(new StateKey("m.room.power_levels", ""), new StateKey("m.room.member", "@b:x"),
                new StateKey("m.room.join_rules", ""), new StateKey("m.room.member", "@a:x")),
                AuthRules.authEventSelection(RoomVersion.V12, join));
        ObjectNode msg = Json.parseObject("{\"type\":\"m.room.message\",\"sender\":\"@b:x\",\"content\":{}}");
        assertEquals(List.of(new StateKey("m.room.power_levels", ""), new StateKey("m.room.member", "@b:x")),
                AuthRules.authEventSelection(RoomVersion.V12, msg));
        assertEquals(List.of(), AuthRules.authEventSelection(RoomVersion.V12, Json.parseObject("{\"type\":\"m.room.create\"}")));
    }

    @Test
    void checkAuthEvents() {
        ObjectNode msg = Json.parseObject("{\"type\":\"m.room.message\",\"room_id\":\"!r:x\",\"sender\":\"@b:x\",\"content\":{}}");
        ObjectNode create = Json.parseObject("{\"type\":\"m.room.create\",\"state_key\":\"\",\"room_id\":\"!r:x\"}");
        ObjectNode member = Json.parseObject("{\"type\":\"m.room.member\",\"state_key\":\"@b:x\",\"room_id\":\"!r:x\"}");
        ObjectNode topic = Json.parseObject("{\"type\":\"m.room.topic\",\"state_key\":\"\",\"room_id\":\"!r:x\"}");
        assertDoesNotThrow(() -> AuthRules.checkAuthEvents(RoomVersion.V11, msg, List.of(create, member)));
        assertThrows(AuthException.class, () -> AuthRules.checkAuthEvents(RoomVersion.V11, msg, List.of(member)));
        assertThrows(AuthException.class, () -> AuthRules.checkAuthEvents(RoomVersion.V11, msg, List.of(create, member, member)));
        assertThrows(AuthException.class, () -> AuthRules.checkAuthEvents(RoomVersion.V11, msg, List.of(create, topic)));
        assertThrows(AuthException.class, () -> AuthRules.checkAuthEvents(RoomVersion.V12, msg, List.of(create, member)));
        assertDoesNotThrow(() -> AuthRules.checkAuthEvents(RoomVersion.V12, msg, List.of(member)));
        ObjectNode foreign = member.deepCopy().put("room_id", "!other:x");
        assertThrows(AuthException.class, () -> AuthRules.checkAuthEvents(RoomVersion.V12, msg, List.of(foreign)));
    }
}
