package de.amtsbote.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.NotificationPolicy;
import de.amtsbote.rooms.PowerLevels;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.StateKey;
import de.amtsbote.storage.EventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Decides whom an event notifies by running each joined local member's push rules (from the {@link PushRules}
 * cache) against it. Runs for every event and every member, so it only reads memory: the room state it is
 * given and the cached rules.
 */
public final class PushNotificationPolicy implements NotificationPolicy {
    private final PushRules rules;
    private final String serverName;

    /** serverName: only users of this server are evaluated; remote users' rules live on their servers. */
    public PushNotificationPolicy(PushRules rules, String serverName) {
        this.rules = rules;
        this.serverName = serverName;
    }

    @Override
    public List<EventStore.Notification> notificationsFor(Room room, Map<StateKey, Room.StateEntry> state,
                                                          ObjectNode event, Set<String> joinedMembers) {
        String sender = event.path("sender").asText(null);
        Levels levels = levels(room, state, sender);
        int memberCount = joinedMembers.size();
        String localSuffix = ":" + serverName;

        List<EventStore.Notification> out = new ArrayList<>();
        for (String member : joinedMembers) {
            if (member.equals(sender) || !member.endsWith(localSuffix)) continue;
            var ctx = new PushRuleEvaluator.EvalContext(member, displayName(state, member), memberCount,
                    levels.sender(), levels.notification());
            PushRuleEvaluator.Result r = rules.evaluate(member, event, ctx);
            if (r.shouldNotify()) out.add(new EventStore.Notification(member, r.highlight()));
        }
        return out;
    }

    /**
     * The member's rule result for an event against the room's current state: for push delivery, which needs
     * the tweaks (sound) that the stored notification does not keep. Evaluated again, later, and only for
     * members with a pusher, so the send path does not pay for it.
     */
    public PushRuleEvaluator.Result evaluate(Room room, ObjectNode event, String member) {
        Map<StateKey, Room.StateEntry> state = room.state();
        Levels levels = levels(room, state, event.path("sender").asText(null));
        var ctx = new PushRuleEvaluator.EvalContext(member, displayName(state, member), room.joinedCount(),
                levels.sender(), levels.notification());
        return rules.evaluate(member, event, ctx);
    }

    private record Levels(int sender, ToIntFunction<String> notification) {}

    private static Levels levels(Room room, Map<StateKey, Room.StateEntry> state, String sender) {
        PowerLevels levels = PowerLevels.fromState(room.version(), (type, stateKey) -> {
            Room.StateEntry e = state.get(new StateKey(type, stateKey));
            return e == null ? null : e.pdu();
        });
        int senderLevel = sender == null ? 0 : clamp(levels.userLevel(sender));
        return new Levels(senderLevel, key -> clamp(levels.notificationLevel(key)));
    }

    private static String displayName(Map<StateKey, Room.StateEntry> state, String userId) {
        Room.StateEntry e = state.get(new StateKey("m.room.member", userId));
        if (e == null) return null;
        JsonNode name = e.pdu().path("content").get("displayname");
        return name != null && name.isTextual() ? name.textValue() : null;
    }

    /** Power levels are 64-bit (v12 creators even "infinite"); the evaluator compares ints. */
    private static int clamp(long level) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, level));
    }
}
