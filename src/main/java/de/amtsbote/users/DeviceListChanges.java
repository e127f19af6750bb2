package de.amtsbote.users;

import de.amtsbote.rooms.Membership;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.storage.KeyStore;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whose device lists a user must re-fetch between two stream positions (/keys/changes, later /sync
 * device_lists): {@code changed} are users sharing a joined room with them now whose devices or cross-signing
 * keys changed, or who started sharing a room; {@code left} are users who shared a room and no longer do.
 */
public final class DeviceListChanges {
    public record Changes(Set<String> changed, Set<String> left) {}

    private final KeyStore store;
    private final RoomService rooms;

    public DeviceListChanges(KeyStore store, RoomService rooms) {
        this.store = store;
        this.rooms = rooms;
    }

    /** Users with a device-list change in (from, to], whoever they share rooms with. */
    public Set<String> changedUsersBetween(long from, long to) {
        return store.changedUsersBetween(from, to);
    }

    public Changes between(String userId, long from, long to) {
        to = Math.min(to, rooms.streamPos());
        Set<String> changed = new TreeSet<>();
        Set<String> left = new TreeSet<>();
        if (to <= from) return new Changes(changed, left);
        Map<String, String> mine = rooms.membershipsOf(userId);
        Set<String> keyChanges = store.changedUsersBetween(from, to);
        // Rooms with no event after 'from' had no membership change in the window: most of them, usually.
        Map<Room, String> active = new java.util.HashMap<>();
        for (Map.Entry<String, String> m : mine.entrySet()) {
            Room room = rooms.room(m.getKey());
            if (room != null && room.lastStreamPos() > from) active.put(room, m.getValue());
        }
        if (keyChanges.isEmpty() && active.isEmpty()) return new Changes(changed, left);
        Set<String> sharing = new HashSet<>();
        for (Map.Entry<String, String> m : mine.entrySet()) {
            if (!Membership.JOIN.is(m.getValue())) continue;
            Room room = rooms.room(m.getKey());
            if (room != null) sharing.addAll(room.joinedMembers());
        }
        for (String u : keyChanges) {
            if (u.equals(userId) || sharing.contains(u)) changed.add(u);
        }
        for (Map.Entry<Room, String> m : active.entrySet()) {
            Room room = m.getKey();
            boolean iJoined = Membership.JOIN.is(m.getValue());
            boolean iLeft = gone(m.getValue());
            boolean iMovedInWindow = inWindow(rooms.membershipPos(userId, room.roomId()), from, to);
            if (!iJoined && !(iLeft && iMovedInWindow)) continue;
            for (Map.Entry<String, String> other : room.memberships().entrySet()) {
                String u = other.getKey();
                if (u.equals(userId)) continue;
                boolean theyJoined = Membership.JOIN.is(other.getValue());
                boolean theyMoved = inWindow(rooms.membershipPos(u, room.roomId()), from, to);
                if (iJoined && theyJoined && (iMovedInWindow || theyMoved)) changed.add(u);
                // Left: they left a room I am in, or I left a room they are in; and no other room is shared.
                boolean parted = iJoined ? gone(other.getValue()) && theyMoved : theyJoined;
                if (parted && !sharing.contains(u)) left.add(u);
            }
        }
        left.removeAll(changed);
        return new Changes(changed, left);
    }

    private static boolean gone(String membership) {
        return Membership.LEAVE.is(membership) || Membership.BAN.is(membership);
    }

    private static boolean inWindow(long pos, long from, long to) { return pos > from && pos <= to; }
}
