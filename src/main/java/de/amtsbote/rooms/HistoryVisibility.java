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
            String visibility = "shared";
            for (StoredEvent v : visibilityEvents) {
                // The visibility in force when the event was sent (its own change applies from the next one).
                if (v.streamPos() >= e.streamPos()) break;
                visibility = v.pdu().path("content").path("history_visibility").asText("shared");
            }
            if (visibility.equals("world_readable")) return true;
            String membershipAt = null;
            for (StoredEvent m : memberEvents) {
                if (m.streamPos() > e.streamPos()) break;
                membershipAt = m.pdu().path("content").path("membership").asText();
            }
            if ("join".equals(membershipAt)) return true;
            if (visibility.equals("invited") && "invite".equals(membershipAt)) return true;
            if (visibility.equals("shared")) {
                // Visible if the user was joined at some point at or after the event.
                for (StoredEvent m : memberEvents) {
                    if (m.streamPos() >= e.streamPos() && "join".equals(m.pdu().path("content").path("membership").asText())) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The stream position after which the user may no longer read (their leave/ban), or MAX if joined. */
        public long readableUpTo() {
            if (memberEvents.isEmpty()) return Long.MIN_VALUE;
            StoredEvent last = memberEvents.getLast();
            String m = last.pdu().path("content").path("membership").asText();
            return m.equals("join") || m.equals("invite") ? Long.MAX_VALUE : last.streamPos();
        }

        public List<StoredEvent> filter(List<StoredEvent> events) {
            List<StoredEvent> out = new ArrayList<>(events.size());
            for (StoredEvent e : events) if (canSee(e)) out.add(e);
            return out;
        }

        public String userId() { return userId; }
    }

    public Checker forUser(String roomId, String userId) { return new Checker(roomId, userId); }
}
