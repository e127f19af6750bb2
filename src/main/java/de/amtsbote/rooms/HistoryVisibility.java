package de.amtsbote.rooms;

import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Which events of a room a user may read, per m.room.history_visibility and the user's membership at the
 * time of each event. A user who left cannot read what came after; "shared" history is readable by anyone
 * who was joined at some point after the event.
 */
public final class HistoryVisibility {
    private final EventStore store;

    public HistoryVisibility(EventStore store) { this.store = store; }

    /** The membership and visibility timelines of one user in one room, read once per request. */
    public final class Checker {
        private final List<StoredEvent> memberEvents;
        private final List<StoredEvent> visibilityEvents;
        private final String userId;

        Checker(String roomId, String userId) {
            this.userId = userId;
            this.memberEvents = store.stateHistory(roomId, "m.room.member", userId);
            this.visibilityEvents = store.stateHistory(roomId, "m.room.history_visibility", "");
        }

        public boolean canSee(StoredEvent e) {
            // Users always see their own membership changes (an invite, their leave, a kick or ban).
            if (e.type().equals("m.room.member") && userId.equals(e.stateKey())) return true;
            // The visibility in force when the event was sent (its own change applies from the next one).
            String visibility = visibilityAt(e.streamPos() - 1);
            if (visibility.equals("world_readable")) return true;
            String membershipAt = membershipAt(e.streamPos());
            if ("join".equals(membershipAt)) return true;
            if (visibility.equals("invited") && "invite".equals(membershipAt)) return true;
            if (visibility.equals("shared")) {
                // Visible if the user was joined at some point at or after the event.
                for (StoredEvent m : memberEvents) {
                    if (m.streamPos() >= e.streamPos() && "join".equals(membership(m))) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * The stream position after which the user may no longer read (their leave/ban), or MAX if joined,
         * invited, or the room is world_readable now (anyone may read it; {@link #canSee} still hides events
         * sent while it was not).
         */
        public long readableUpTo() {
            if (currentVisibility().equals("world_readable")) return Long.MAX_VALUE;
            if (memberEvents.isEmpty()) return Long.MIN_VALUE;
            StoredEvent last = memberEvents.getLast();
            String m = membership(last);
            return m.equals("join") || m.equals("invite") ? Long.MAX_VALUE : last.streamPos();
        }

        /**
         * The newest stream position whose room state the user may see: MAX while joined or when the room is
         * world_readable; the position of their leave, kick or ban if they were joined before; for an invite,
         * only if the room's history visibility was "invited" when they were invited. MIN if none at all.
         */
        public long stateVisibleUpTo() {
            if (currentVisibility().equals("world_readable")) return Long.MAX_VALUE;
            long upTo = Long.MIN_VALUE;
            for (int i = 0; i < memberEvents.size(); i++) {
                StoredEvent m = memberEvents.get(i);
                String membership = membership(m);
                boolean allowed = membership.equals("join")
                        || (membership.equals("invite") && visibilityAt(m.streamPos()).equals("invited"));
                if (allowed) upTo = i == memberEvents.size() - 1 ? Long.MAX_VALUE : memberEvents.get(i + 1).streamPos();
            }
            return upTo;
        }

        /** True if the user may read the room at all: they have a membership in it, or it is world_readable. */
        public boolean mayRead() {
            return !memberEvents.isEmpty() || currentVisibility().equals("world_readable");
        }

        /** The room's history visibility now. */
        public String currentVisibility() {
            return visibilityEvents.isEmpty() ? "shared" : visibilityOf(visibilityEvents.getLast());
        }

        /** The history visibility as of a position (including a change at exactly that position). */
        private String visibilityAt(long pos) {
            StoredEvent v = lastAtOrBefore(visibilityEvents, pos);
            return v == null ? "shared" : visibilityOf(v);
        }

        /** The user's membership as of a position (including a change at exactly that position), or null. */
        private String membershipAt(long pos) {
            StoredEvent m = lastAtOrBefore(memberEvents, pos);
            return m == null ? null : membership(m);
        }

        public List<StoredEvent> filter(List<StoredEvent> events) {
            List<StoredEvent> out = new ArrayList<>(events.size());
            for (StoredEvent e : events) if (canSee(e)) out.add(e);
            return out;
        }

        public String userId() { return userId; }
    }

    public Checker forUser(String roomId, String userId) { return new Checker(roomId, userId); }

    /**
     * The one fold over a state key's history: its newest event at or before pos (histories are oldest first).
     * The same answer as {@link RoomStates} for that key; reading just the two keys this class needs keeps
     * paging cheap (two indexed reads per request instead of a state query per event).
     */
    private static StoredEvent lastAtOrBefore(List<StoredEvent> history, long pos) {
        StoredEvent found = null;
        for (StoredEvent e : history) {
            if (e.streamPos() > pos) break;
            found = e;
        }
        return found;
    }

    private static String membership(StoredEvent member) {
        return member.pdu().path("content").path("membership").asText();
    }

    private static String visibilityOf(StoredEvent v) {
        return v.pdu().path("content").path("history_visibility").asText("shared");
    }
}
