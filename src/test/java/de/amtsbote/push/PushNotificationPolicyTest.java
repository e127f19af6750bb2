package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomVersion;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.rooms.TestRooms;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.storage.EventStore.Notification;
import de.amtsbote.sync.Notifier;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PushNotificationPolicyTest {
    private static final String ALICE = "@alice:test.local";
    private static final String BOB = "@bob:test.local";
    private static final String CAROL = "@carol:test.local";
    private static final String REMOTE = "@dave:elsewhere.org";
    private static final String ROOM_ID = "!room:test.local";

    /** Account data in memory, counting push rule reads. */
    private static final class MemoryStore implements AccountDataStore {
        final Map<String, ObjectNode> rules = new HashMap<>();
        final Map<String, ObjectNode> data = new HashMap<>();
        final AtomicInteger ruleReads = new AtomicInteger();
        long pos;

        @Override public synchronized long put(String userId, String roomId, String type, ObjectNode content, Runnable afterCommit) {
            data.put(userId + "|" + roomId + "|" + type, content);
            if (afterCommit != null) afterCommit.run();
            return ++pos;
        }
        @Override public Optional<ObjectNode> get(String userId, String roomId, String type) {
            return Optional.ofNullable(data.get(userId + "|" + roomId + "|" + type));
        }
        @Override public List<Item> since(String userId, long after, long upTo) { return List.of(); }
        @Override public String addFilter(String userId, ObjectNode filter) { return "0"; }
        @Override public Optional<ObjectNode> filter(String userId, String filterId) { return Optional.empty(); }
        @Override public Optional<ObjectNode> pushRules(String userId) {
            ruleReads.incrementAndGet();
            return Optional.ofNullable(rules.get(userId));
        }
        @Override public void putPushRules(String userId, ObjectNode r) { rules.put(userId, r); }
    }

    private final MemoryStore store = new MemoryStore();
    private final PushRules rules = new PushRules(store, new Notifier());
    private final PushNotificationPolicy policy = new PushNotificationPolicy(rules, "test.local");
    private final Map<StateKey, Room.StateEntry> state = new HashMap<>();
    private int n;

    private ObjectNode event(String type, String stateKey, String sender, ObjectNode content) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("room_id", ROOM_ID);
        e.put("sender", sender);
        if (stateKey != null) e.put("state_key", stateKey);
        e.set("content", content);
        e.put("origin_server_ts", 1000 + n);
        return e;
    }

    private void setState(ObjectNode e) {
        state.put(new StateKey(e.get("type").asText(), e.get("state_key").asText()), new Room.StateEntry("$s" + n++, e));
    }

    private void join(String user, String displayName) {
        ObjectNode content = Json.object().put("membership", "join");
        if (displayName != null) content.put("displayname", displayName);
        setState(event("m.room.member", user, user, content));
    }

    /** A v10 room created by alice, alice at 100 and the given members joined. */
    private void standardRoom(String... members) {
        setState(event("m.room.create", "", ALICE, Json.object().put("creator", ALICE).put("room_version", "10")));
        ObjectNode pl = Json.object();
        pl.putObject("users").put(ALICE, 100);
        setState(event("m.room.power_levels", "", ALICE, pl));
        join(ALICE, "Alice");
        for (String m : members) join(m, null);
    }

    private List<Notification> notify(ObjectNode event) {
        return notify(event, RoomVersion.V10);
    }

    private List<Notification> notify(ObjectNode event, RoomVersion version) {
        Room room = TestRooms.room(ROOM_ID, version, state);
        Set<String> joined = new LinkedHashSet<>(room.joinedMembers());
        List<Notification> out = new ArrayList<>(policy.notificationsFor(room, state, event, joined));
        out.sort(Comparator.comparing(Notification::userId));
        return out;
    }

    private ObjectNode text(String sender, String body) {
        return event("m.room.message", null, sender, Json.object().put("msgtype", "m.text").put("body", body));
    }

    @Test
    void plainMessageNotifiesEveryOtherLocalMemberWithoutHighlight() {
        standardRoom(BOB, CAROL, REMOTE);
        assertEquals(List.of(new Notification(BOB, false), new Notification(CAROL, false)), notify(text(ALICE, "hi")));
        assertEquals(List.of(new Notification(ALICE, false), new Notification(CAROL, false)), notify(text(BOB, "hi")));
    }

    @Test
    void noticesReactionsAndMembershipDoNotNotify() {
        standardRoom(BOB, CAROL);
        assertEquals(List.of(), notify(event("m.room.message", null, ALICE,
                Json.object().put("msgtype", "m.notice").put("body", "bot says"))));
        assertEquals(List.of(), notify(event("m.reaction", null, ALICE, Json.object())));
        assertEquals(List.of(), notify(event("m.room.member", BOB, BOB, Json.object().put("membership", "join"))));
    }

    @Test
    void userMentionHighlightsOnlyTheMentionedUser() {
        standardRoom(BOB, CAROL);
        ObjectNode msg = text(ALICE, "Bob, look");
        msg.with("content").putObject("m.mentions").putArray("user_ids").add(BOB);
        assertEquals(List.of(new Notification(BOB, true), new Notification(CAROL, false)), notify(msg));
    }

    @Test
    void roomMentionNeedsTheSendersNotificationPowerLevel() {
        standardRoom(BOB, CAROL);
        ObjectNode fromAlice = text(ALICE, "@room lunch");
        fromAlice.with("content").putObject("m.mentions").put("room", true);
        assertEquals(List.of(new Notification(BOB, true), new Notification(CAROL, true)), notify(fromAlice));

        ObjectNode fromBob = text(BOB, "@room lunch");
        fromBob.with("content").putObject("m.mentions").put("room", true);
        // Bob has level 0 < notifications.room (default 50): an ordinary message.
        assertEquals(List.of(new Notification(ALICE, false), new Notification(CAROL, false)), notify(fromBob));

        ObjectNode pl = Json.object();
        pl.putObject("users").put(ALICE, 100);
        pl.putObject("notifications").put("room", 0);
        setState(event("m.room.power_levels", "", ALICE, pl));
        assertEquals(List.of(new Notification(ALICE, true), new Notification(CAROL, true)), notify(fromBob));
    }

    @Test
    void v12CreatorsWithInfinitePowerMayMentionTheRoom() {
        setState(event("m.room.create", "", ALICE, Json.object().put("room_version", "12")));
        join(ALICE, null);
        join(BOB, null);
        join(CAROL, null);
        ObjectNode msg = text(ALICE, "@room");
        msg.with("content").putObject("m.mentions").put("room", true);
        assertEquals(List.of(new Notification(BOB, true), new Notification(CAROL, true)), notify(msg, RoomVersion.V12));
    }

    @Test
    void oneToOneRoomsAndMemberCount() {
        standardRoom(BOB);
        assertEquals(List.of(new Notification(BOB, false)), notify(text(ALICE, "hi")));
        ObjectNode e = event("m.room.encrypted", null, ALICE, Json.object().put("algorithm", "m.megolm.v1.aes-sha2"));
        assertEquals(List.of(new Notification(BOB, false)), notify(e));
    }

    @Test
    void membersOwnRulesApplyAndDisplayNameComesFromTheRoomState() {
        standardRoom(BOB, CAROL);
        join(BOB, "Bobby Tables");
        // Carol mutes the room; Bob highlights on his room display name (a user rule with the legacy condition).
        rules.change(CAROL, set -> set.putRule("global", "room", ROOM_ID, Json.parseObject("{\"actions\": []}"), null, null));
        rules.change(BOB, set -> set.putRule("global", "override", "name", Json.parseObject(
                "{\"conditions\": [{\"kind\": \"contains_display_name\"}],"
                        + " \"actions\": [\"notify\", {\"set_tweak\": \"highlight\"}]}"), null, null));
        assertEquals(List.of(new Notification(BOB, true)), notify(text(ALICE, "ask bobby tables")));
        assertEquals(List.of(new Notification(BOB, false)), notify(text(ALICE, "ask someone")));
        // m.push_rules account data was written for each change.
        assertTrue(store.get(CAROL, "", PushRules.ACCOUNT_DATA_TYPE).isPresent());
    }

    @Test
    void noStoreReadsOnceTheRulesAreCached() {
        standardRoom(BOB, CAROL);
        notify(text(ALICE, "warm up"));
        int reads = store.ruleReads.get();
        for (int i = 0; i < 100; i++) notify(text(ALICE, "hello " + i));
        assertEquals(reads, store.ruleReads.get());
        // A change replaces the cache entry without another read.
        rules.change(BOB, set -> set.setEnabled("global", "override", ".m.rule.master", true));
        int afterChange = store.ruleReads.get();
        assertEquals(List.of(new Notification(CAROL, false)), notify(text(ALICE, "muted for bob")));
        assertEquals(afterChange, store.ruleReads.get());
    }
}
