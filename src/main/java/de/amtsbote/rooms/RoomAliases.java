package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.DirectoryStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules for room aliases (#name:server): local users create aliases only in this server's namespace, and
 * an m.room.canonical_alias event may only name aliases that exist and point to its room.
 */
public final class RoomAliases {
    private final String serverName;
    private final DirectoryStore directory;

    public RoomAliases(String serverName, DirectoryStore directory) {
        this.serverName = serverName;
        this.directory = directory;
    }

    /** 400 M_INVALID_PARAM unless the alias is well formed and belongs to this server. */
    public void requireLocal(String alias) {
        if (!isWellFormed(alias)) throw MatrixException.invalidParam("Room aliases look like #name:server");
        if (!serverName.equals(Identifiers.domainOf(alias))) {
            throw MatrixException.invalidParam("Aliases of " + Identifiers.domainOf(alias) + " cannot be created here");
        }
    }

    /** PUT /directory/room/{alias}: the user must be joined to the room; 409 if the alias is taken. */
    public void create(String userId, String alias, Room room) {
        requireLocal(alias);
        if (room == null) throw MatrixException.notFound("Room not found");
        if (room.member(userId) != Membership.JOIN) throw MatrixException.forbidden("You are not in this room");
        if (!directory.create(alias, room.roomId(), userId)) {
            throw new MatrixException(409, "M_UNKNOWN", "The alias " + alias + " already exists");
        }
    }

    /**
     * Checks the content of a new m.room.canonical_alias event: alias and alt_aliases must be well formed
     * (400 M_INVALID_PARAM) and each must point to this room (400 M_BAD_ALIAS).
     */
    public void checkCanonical(String roomId, ObjectNode content) {
        List<String> named = new ArrayList<>();
        JsonNode alias = content.get("alias");
        if (alias != null && !alias.isNull()) {
            if (!alias.isTextual() || !isWellFormed(alias.textValue())) throw MatrixException.invalidParam("'alias' is not a room alias");
            named.add(alias.textValue());
        }
        JsonNode alt = content.get("alt_aliases");
        if (alt != null && !alt.isNull()) {
            if (!alt.isArray()) throw MatrixException.invalidParam("'alt_aliases' must be a list of room aliases");
            for (JsonNode a : alt) {
                if (!a.isTextual() || !isWellFormed(a.textValue())) throw MatrixException.invalidParam("'alt_aliases' contains " + a);
                named.add(a.textValue());
            }
        }
        for (String a : named) {
            boolean pointsHere = directory.get(a).map(d -> d.roomId().equals(roomId)).orElse(false);
            if (!pointsHere) throw new MatrixException(400, "M_BAD_ALIAS", "The alias " + a + " does not point to this room");
        }
    }

    private static boolean isWellFormed(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        return alias != null && alias.startsWith("#") && colon > 1 && alias.length() <= 255
                && Identifiers.isValidServerName(alias.substring(colon + 1));
    }
}
