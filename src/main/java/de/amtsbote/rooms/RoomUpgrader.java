package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.DirectoryStore;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /rooms/{roomId}/upgrade (client-server spec, "Room Upgrades"): a new room of the new version that
 * points back to the old one (predecessor), with the old room's important state, the local aliases moved
 * over, and a tombstone in the old room pointing forward.
 */
public final class RoomUpgrader {
    /** The state the spec recommends to transfer (membership is never transferred). */
    private static final List<String> TRANSFERRED = List.of("m.room.server_acl", "m.room.encryption", "m.room.name",
            "m.room.avatar", "m.room.topic", "m.room.guest_access", "m.room.history_visibility", "m.room.join_rules");

    private final RoomActions actions;

    public RoomUpgrader(RoomActions actions) { this.actions = actions; }

    /** Returns the replacement room's id. */
    public String upgrade(String userId, String roomId, String newVersionId) {
        RoomService rooms = actions.rooms();
        RoomVersion version = RoomVersion.of(newVersionId);
        if (version == null) {
            throw new MatrixException(400, "M_UNSUPPORTED_ROOM_VERSION", "Room version " + newVersionId + " is not supported");
        }
        Room old = rooms.requireJoined(roomId, userId);
        PowerLevels oldPl = PowerLevels.fromState(old.version(), old::stateEvent);
        long level = oldPl.userLevel(userId);
        if (level < oldPl.eventLevel("m.room.tombstone", true)) {
            throw MatrixException.forbidden("You need the power to send m.room.tombstone to upgrade this room");
        }

        List<EventDraft> drafts = new ArrayList<>();
        ObjectNode create = Json.object();
        ObjectNode oldCreate = old.stateContent("m.room.create", "");
        for (String keep : List.of("type", "m.federate")) {
            if (oldCreate != null && oldCreate.has(keep)) create.set(keep, oldCreate.get(keep).deepCopy());
        }
        create.put("room_version", version.id());
        if (version.createRequiresCreator()) create.put("creator", userId);
        ObjectNode predecessor = create.putObject("predecessor").put("room_id", old.roomId());
        String lastEvent = old.headEventId;
        if (lastEvent != null) predecessor.put("event_id", lastEvent);
        drafts.add(EventDraft.state("m.room.create", "", create));
        drafts.add(EventDraft.state("m.room.member", userId, actions.memberContentFor(Membership.JOIN, userId)));
        // The old power levels, except that the upgrading user must be able to send the copied state; if that
        // needs more than they had, their old level is restored once the state is in.
        ObjectNode oldPlContent = old.stateContent("m.room.power_levels", "");
        ObjectNode pl = oldPlContent == null ? Json.object() : oldPlContent.deepCopy();
        ObjectNode users = pl.has("users") && pl.get("users").isObject() ? (ObjectNode) pl.get("users") : pl.putObject("users");
        long ownLevel = Math.min(level, 100);
        if (version.creatorsHaveInfinitePower()) {
            users.remove(userId);
        } else {
            users.put(userId, 100);
        }
        drafts.add(EventDraft.state("m.room.power_levels", "", pl));
        for (String type : TRANSFERRED) {
            ObjectNode content = old.stateContent(type, "");
            if (content != null && !content.isEmpty()) drafts.add(EventDraft.state(type, "", content.deepCopy()));
        }
        if (!version.creatorsHaveInfinitePower() && ownLevel < 100) {
            ObjectNode restored = pl.deepCopy();
            ((ObjectNode) restored.get("users")).put(userId, ownLevel);
            drafts.add(EventDraft.state("m.room.power_levels", "", restored));
        }
        String newRoomId = rooms.createRoom(userId, version, drafts, (ctx, id) -> { });

        moveAliases(old, newRoomId, userId);
        ObjectNode tombstone = Json.object();
        tombstone.put("body", "This room has been replaced");
        tombstone.put("replacement_room", newRoomId);
        rooms.send(userId, old.roomId(), EventDraft.state("m.room.tombstone", "", tombstone));
        restrictOldRoom(old, userId);
        return newRoomId;
    }

    /** Local aliases point to the new room; the canonical alias moves with them. */
    private void moveAliases(Room old, String newRoomId, String userId) {
        RoomService rooms = actions.rooms();
        DirectoryStore directory = actions.directory();
        for (String alias : directory.aliasesOf(old.roomId())) {
            directory.get(alias).ifPresent(a -> {
                if (directory.delete(alias)) directory.create(alias, newRoomId, a.creator());
            });
        }
        ObjectNode canonical = old.stateContent("m.room.canonical_alias", "");
        if (canonical == null || canonical.isEmpty()) return;
        rooms.send(userId, newRoomId, EventDraft.state("m.room.canonical_alias", "", canonical.deepCopy()));
        try {
            rooms.send(userId, old.roomId(), EventDraft.state("m.room.canonical_alias", "", Json.object()));
        } catch (MatrixException e) {
            // Not allowed to change it in the old room: the aliases point to the new room anyway.
        }
    }

    /** As the spec suggests: members of the old room may no longer talk or invite there. */
    private void restrictOldRoom(Room old, String userId) {
        ObjectNode current = old.stateContent("m.room.power_levels", "");
        if (current == null) return;
        ObjectNode pl = current.deepCopy();
        long usersDefault = pl.path("users_default").asLong(0);
        long restricted = Math.max(50, usersDefault + 1);
        pl.put("events_default", restricted);
        pl.put("invite", restricted);
        try {
            actions.rooms().send(userId, old.roomId(), EventDraft.state("m.room.power_levels", "", pl));
        } catch (MatrixException e) {
            // Without the power to change the power levels, the tombstone alone has to do.
        }
    }
}
