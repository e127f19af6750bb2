package de.amtsbote.sync;

import de.amtsbote.http.Session;
import de.amtsbote.rooms.ClientEvents;
import java.util.Map;
import java.util.Set;

/**
 * One pass of a /sync request: who asks, from which token, with which filter, and the positions read at the
 * start of the pass (every stream reads up to these and no further).
 *
 * @param upTo the committed stream position this pass reads up to
 * @param memberships the user's membership per room id, read once at the start of the pass
 * @param ignored users whose events and invites this user does not want to see (m.ignored_user_list)
 */
public record SyncRequest(Session session, SyncToken since, SyncFilter filter, boolean fullState, long upTo,
                          Map<String, String> memberships, Set<String> ignored) {
    public boolean initial() { return since == null; }

    public long sincePos() { return since == null ? 0 : since.pos(); }

    public String userId() { return session.userId(); }

    public ClientEvents.Viewer viewer() { return new ClientEvents.Viewer(session.userId(), session.deviceId()); }

    /** Room ids the user is joined to and the filter lets through. */
    public Iterable<String> joinedRooms() {
        return memberships.entrySet().stream()
                .filter(e -> e.getValue().equals("join") && filter.rooms().matchesRoom(e.getKey()))
                .map(Map.Entry::getKey).toList();
    }
}
