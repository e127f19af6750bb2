package de.amtsbote.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import de.amtsbote.storage.EventStore.StoredEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which events a service is interested in (spec: registration): events sent by or about (member state key)
 * its users, and every event in a room whose id matches its rooms namespace, that has one of its users
 * joined, or has an alias (directory or canonical) in its aliases namespace. One instance per batch: the
 * per-room answer is computed once.
 */
final class EventInterest {
    private final Registration as;
    private final String serverName;
    private final Function<String, Set<String>> joinedMembers;
    private final Function<String, List<String>> aliasesOf;
    private final Map<String, Boolean> roomInterest = new HashMap<>();

    EventInterest(Registration as, String serverName, Function<String, Set<String>> joinedMembers,
                  Function<String, List<String>> aliasesOf) {
        this.as = as;
        this.serverName = serverName;
        this.joinedMembers = joinedMembers;
        this.aliasesOf = aliasesOf;
    }

    boolean interested(StoredEvent e) {
        if (as.isInterestedInUser(e.sender(), serverName)) return true;
        if (e.type().equals("m.room.member") && e.stateKey() != null && as.isInterestedInUser(e.stateKey(), serverName)) {
            return true;
        }
        if (e.type().equals("m.room.canonical_alias") && canonicalMatches(e.pdu().path("content"))) return true;
        return room(e.roomId());
    }

    boolean room(String roomId) {
        return roomInterest.computeIfAbsent(roomId, id -> {
            if (as.isInterestedInRoom(id)) return true;
            for (String u : joinedMembers.apply(id)) if (as.isInterestedInUser(u, serverName)) return true;
            for (String a : aliasesOf.apply(id)) if (as.isInterestedInAlias(a)) return true;
            return false;
        });
    }

    private boolean canonicalMatches(JsonNode content) {
        if (content.path("alias").isTextual() && as.isInterestedInAlias(content.path("alias").asText())) return true;
        for (JsonNode a : content.path("alt_aliases")) if (a.isTextual() && as.isInterestedInAlias(a.asText())) return true;
        return false;
    }
}
