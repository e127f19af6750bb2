package de.amtsbote.ldap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.admin.AdminAudit;
import de.amtsbote.config.LdapConfig;
import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.Membership;
import de.amtsbote.rooms.PowerLevels;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.LdapStore;
import de.amtsbote.util.Json;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * ldap.group_rooms: members of a directory group are invited (by the room member with the most power) and
 * joined on their behalf; when they leave the group they are kicked, but only if the sync put them in the
 * room (tracked in ldap_room_members), so people who joined by themselves are never removed.
 */
final class GroupRooms {
    private final List<LdapConfig.GroupRoom> mappings;
    private final RoomActions actions;
    private final LdapStore store;
    private final AdminAudit audit;
    private final LongSupplier clock;

    GroupRooms(List<LdapConfig.GroupRoom> mappings, RoomActions actions, LdapStore store, AdminAudit audit, LongSupplier clock) {
        this.mappings = mappings;
        this.actions = actions;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** enabledByDn: normalised DN of each enabled directory user with an active local account → user id. */
    void sync(LdapDirectory.Snapshot snap, Map<String, String> enabledByDn, ArrayNode joined, ArrayNode kicked,
              ArrayNode errors) {
        // room id → wanted user → the group that wants them; null when a group of the room could not be read.
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        Set<String> unreadable = new HashSet<>();
        for (LdapConfig.GroupRoom m : mappings) {
            String roomId;
            try {
                roomId = actions.resolve(m.room());
            } catch (MatrixException e) {
                errors.add("room " + m.room() + " (group " + m.groupDn() + "): " + e.getMessage());
                continue;
            }
            if (actions.rooms().room(roomId) == null) {
                errors.add("room " + m.room() + " (group " + m.groupDn() + ") does not exist on this server");
                continue;
            }
            Map<String, String> users = wanted.computeIfAbsent(roomId, k -> new LinkedHashMap<>());
            Set<String> members = snap.groupMembers().get(LdapDirectory.normalize(m.groupDn()));
            if (members == null) {
                unreadable.add(roomId); // never kick on the strength of a group we could not read
                continue;
            }
            for (String dn : members) {
                String userId = enabledByDn.get(dn);
                if (userId != null) users.putIfAbsent(userId, m.groupDn());
            }
        }
        List<LdapStore.RoomMember> tracked = store.roomMembers();
        for (Map.Entry<String, Map<String, String>> e : wanted.entrySet()) {
            String roomId = e.getKey();
            Set<String> already = new HashSet<>();
            for (LdapStore.RoomMember t : tracked) if (t.roomId().equals(roomId)) already.add(t.userId());
            for (Map.Entry<String, String> w : e.getValue().entrySet()) {
                if (already.contains(w.getKey())) continue;
                try {
                    if (join(roomId, w.getKey(), w.getValue())) {
                        joined.add(entry(w.getKey(), roomId));
                    }
                } catch (MatrixException ex) {
                    errors.add("adding " + w.getKey() + " to " + roomId + ": " + ex.getMessage());
                }
            }
            if (unreadable.contains(roomId)) continue;
            for (String userId : already) {
                if (e.getValue().containsKey(userId)) continue;
                try {
                    if (kick(roomId, userId)) kicked.add(entry(userId, roomId));
                } catch (MatrixException ex) {
                    errors.add("removing " + userId + " from " + roomId + ": " + ex.getMessage());
                }
            }
        }
    }

    /** True if the sync put the user in the room (and now tracks it); false if they already were in it. */
    private boolean join(String roomId, String userId, String groupDn) {
        Room room = actions.rooms().room(roomId);
        Membership current = room.member(userId);
        if (current == Membership.JOIN) return false; // joined by themselves: not ours to remove later
        if (current == Membership.BAN) throw MatrixException.forbidden(userId + " is banned from the room");
        String reason = "Directory group " + groupDn;
        if (current != Membership.INVITE) {
            PowerLevels pl = PowerLevels.fromState(room.version(), room::stateEvent);
            String inviter = mostPowerful(room, pl, userId, pl.inviteLevel());
            if (inviter == null) throw MatrixException.forbidden("no member of the room may invite");
            actions.invite(inviter, roomId, userId, reason, false);
        }
        actions.join(userId, roomId, reason);
        store.addRoomMember(new LdapStore.RoomMember(roomId, userId, groupDn), clock.getAsLong());
        ObjectNode d = Json.object();
        d.put("room_id", roomId);
        d.put("group", groupDn);
        audit.recordSystem(LdapSync.ACTOR, "room.join", userId, d);
        return true;
    }

    private boolean kick(String roomId, String userId) {
        Room room = actions.rooms().room(roomId);
        Membership current = room == null ? null : room.member(userId);
        boolean inRoom = current == Membership.JOIN || current == Membership.INVITE;
        if (inRoom) {
            PowerLevels pl = PowerLevels.fromState(room.version(), room::stateEvent);
            String kicker = mostPowerful(room, pl, userId, Math.max(pl.kickLevel(), pl.userLevel(userId) + 1));
            if (kicker == null) throw MatrixException.forbidden("no member of the room may remove them");
            actions.kick(kicker, roomId, userId, "No longer in the directory group");
            ObjectNode d = Json.object();
            d.put("room_id", roomId);
            audit.recordSystem(LdapSync.ACTOR, "room.kick", userId, d);
        }
        store.removeRoomMember(roomId, userId);
        return inRoom;
    }

    /** The joined local member with the highest power level, if it reaches minLevel. */
    private String mostPowerful(Room room, PowerLevels pl, String except, long minLevel) {
        String best = null;
        long bestLevel = Long.MIN_VALUE;
        for (String m : room.joinedMembers()) {
            if (m.equals(except) || !m.endsWith(":" + actions.rooms().serverName())) continue;
            long level = pl.userLevel(m);
            if (level > bestLevel || (level == bestLevel && m.compareTo(best) < 0)) {
                best = m;
                bestLevel = level;
            }
        }
        return best != null && bestLevel >= minLevel ? best : null;
    }

    private static ObjectNode entry(String userId, String roomId) {
        ObjectNode o = Json.object();
        o.put("user_id", userId);
        o.put("room_id", roomId);
        return o;
    }
}
