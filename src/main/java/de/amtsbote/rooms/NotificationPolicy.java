package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.EventStore;
import java.util.List;
import java.util.Map;

/**
 * Decides which members an event notifies (and highlights), from their push rules. Implemented by the push
 * component; called while the event is created so unread counts are ready when it is stored.
 */
@FunctionalInterface
public interface NotificationPolicy {
    List<EventStore.Notification> notificationsFor(Room room, Map<StateKey, Room.StateEntry> state, ObjectNode event,
                                                   java.util.Set<String> joinedMembers);
}
