package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.DirectoryStore;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.util.Map;
import java.util.Optional;

/**
 * What users do to rooms, in the client API's terms: join, invite, leave, kick, ban, state changes,
 * redactions, profile updates. Checks that the API adds on top of the auth rules live here; the auth rules
 * themselves are applied by {@link RoomService} to every event.
 */
public final class RoomActions {
    private final RoomService rooms;
    private final DirectoryStore directory;
    private final Profiles profiles;
    private final RoomAliases aliases;
    private final EncryptionPolicy encryption;

    public RoomActions(RoomService rooms, DirectoryStore directory, Profiles profiles, EncryptionPolicy encryption) {
        this.rooms = rooms;
        this.encryption = encryption;
        this.directory = directory;
        this.profiles = profiles;
        this.aliases = new RoomAliases(rooms.serverName(), directory);
    }

    /** Rooms nobody may join (blocked by an admin); set by the server's wiring. */
    private volatile java.util.function.Predicate<String> joinBlocked = roomId -> false;
    /** Rooms whose invite may not be rejected (the server notices room, as the spec asks). */
    private volatile java.util.function.BiPredicate<String, String> inviteNotRejectable = (userId, roomId) -> false;

    public void refuseJoinsWhen(java.util.function.Predicate<String> blocked) { this.joinBlocked = blocked; }

    /** notRejectable tests (user id, room id). */
    public void refuseRejectingInvitesWhen(java.util.function.BiPredicate<String, String> notRejectable) {
        this.inviteNotRejectable = notRejectable;
    }

    /** The administrator's encryption policy for rooms. */
    public EncryptionPolicy encryption() { return encryption; }

    /** A room id, or an alias (#name:server) resolved to one; 404 if unknown. */
    public String resolve(String roomIdOrAlias) {
        if (roomIdOrAlias.startsWith("#")) {
            return directory.get(roomIdOrAlias).map(DirectoryStore.Alias::roomId)
                    .orElseThrow(() -> MatrixException.notFound("No room with the alias " + roomIdOrAlias));
        }
        if (!roomIdOrAlias.startsWith("!")) throw MatrixException.invalidParam("Not a room id or alias: " + roomIdOrAlias);
        return roomIdOrAlias;
    }

    public String join(String userId, String roomIdOrAlias, String reason) {
        String roomId = resolve(roomIdOrAlias);
        if (joinBlocked.test(roomId)) throw MatrixException.forbidden("This room has been blocked on this server");
        Room room = rooms.room(roomId);
        if (room == null) throw MatrixException.notFound("Room not found");
        if (room.member(userId) == Membership.JOIN) return roomId;
        ObjectNode content = memberContent(Membership.JOIN, userId, reason);
        setMember(userId, room, userId, content);
        return roomId;
    }

    public void invite(String sender, String roomId, String target, String reason, boolean isDirect) {
        Room room = rooms.requireJoined(roomId, sender);
        if (profiles.of(target) == null) throw MatrixException.notFound("Unknown user " + target);
        Membership current = room.member(target);
        if (current == Membership.JOIN) throw MatrixException.forbidden(target + " is already in the room");
        if (current == Membership.BAN) throw MatrixException.forbidden(target + " is banned from the room");
        ObjectNode content = memberContent(Membership.INVITE, target, reason);
        if (isDirect) content.put("is_direct", true);
        setMember(sender, room, target, content);
    }

    public void leave(String userId, String roomId, String reason) {
        Room room = rooms.room(roomId);
        Membership current = room == null ? null : room.member(userId);
        if (current == null || current == Membership.LEAVE) {
            throw MatrixException.forbidden("You are not in this room");
        }
        if (current == Membership.BAN) throw MatrixException.forbidden("You are banned from this room");
        if (current == Membership.INVITE && inviteNotRejectable.test(userId, roomId)) {
            throw new MatrixException(403, "M_CANNOT_LEAVE_SERVER_NOTICE_ROOM", "You cannot reject the invite to the server notices room");
        }
        setMember(userId, room, userId, reasonOnly(Membership.LEAVE, reason));
    }

    public void kick(String sender, String roomId, String target, String reason) {
        Room room = rooms.requireJoined(roomId, sender);
        Membership current = room.member(target);
        if (current == null || current == Membership.LEAVE || current == Membership.BAN) {
            throw MatrixException.forbidden(target + " is not in the room");
        }
        setMember(sender, room, target, reasonOnly(Membership.LEAVE, reason));
    }

    public void ban(String sender, String roomId, String target, String reason) {
        Room room = rooms.requireJoined(roomId, sender);
        setMember(sender, room, target, reasonOnly(Membership.BAN, reason));
    }

    public void unban(String sender, String roomId, String target, String reason) {
        Room room = rooms.requireJoined(roomId, sender);
        if (room.member(target) != Membership.BAN) throw MatrixException.forbidden(target + " is not banned");
        setMember(sender, room, target, reasonOnly(Membership.LEAVE, reason));
    }

    /** Forget: allowed only once the user is no longer in the room. Nothing is deleted (audit). */
    public void forget(String userId, String roomId) {
        Room room = rooms.room(roomId);
        Membership current = room == null ? null : room.member(userId);
        if (current == null) throw MatrixException.notFound("Room not found");
        if (current == Membership.JOIN || current == Membership.INVITE) {
            throw new MatrixException(400, "M_UNKNOWN", "Leave the room before forgetting it");
        }
    }

    public String sendState(String sender, String roomId, String type, String stateKey, ObjectNode content) {
        Room room = rooms.requireJoined(roomId, sender);
        if (type.equals("m.room.member")) checkMemberState(room, stateKey, content);
        if (type.equals("m.room.power_levels")) PowerLevelsShape.check(content);
        if (type.equals("m.room.encryption")) encryption.checkUserMayEnable();
        if (type.equals("m.room.canonical_alias") && stateKey.isEmpty()) aliases.checkCanonical(room.roomId(), content);
        // The same state again (same sender and content) is no change: answer with the existing event. Not
        // for a redacted one: its pruned content may equal what the client sends, which is then a new event.
        Room.StateEntry current = room.state().get(new StateKey(type, stateKey));
        if (current != null && current.pdu().path("sender").asText().equals(sender)
                && current.pdu().path("content").equals(content)
                && rooms.store().event(current.eventId()).map(e -> e.redactedBy() == null).orElse(false)) {
            return current.eventId();
        }
        return rooms.send(sender, room.roomId(), EventDraft.state(type, stateKey, content));
    }

    /**
     * m.room.member through PUT /state: a member's own event with membership "join" sets a per-room display
     * name or avatar; any other membership change is left to the auth rules, as through the dedicated
     * endpoints (an invite still needs a user that exists).
     */
    private void checkMemberState(Room room, String target, ObjectNode content) {
        if (!content.path("membership").isTextual()) throw MatrixException.badJson("'membership' must be a string");
        if (!Identifiers.isValidUserId(target)) throw MatrixException.invalidParam("The state key must be a user id");
        String membership = content.get("membership").textValue();
        if (Membership.INVITE.is(membership) && profiles.of(target) == null) throw MatrixException.notFound("Unknown user " + target);
    }

    public String sendMessage(String sender, String roomId, String type, ObjectNode content, EventDraft.Txn txn) {
        rooms.requireJoined(roomId, sender);
        return rooms.send(sender, roomId, EventDraft.message(type, content, txn));
    }

    public String redact(String sender, String roomId, String targetEventId, String reason, EventDraft.Txn txn) {
        Room room = rooms.requireJoined(roomId, sender);
        Optional<StoredEvent> target = rooms.store().event(targetEventId);
        if (target.isEmpty() || !target.get().roomId().equals(roomId)) throw MatrixException.notFound("Event not found");
        // Who may redact is decided by the EventAuthoriser, as for redactions sent through PUT /send.
        ObjectNode content = Json.object();
        if (room.version().redactsInContent()) content.put("redacts", targetEventId);
        if (reason != null) content.put("reason", reason);
        return rooms.send(sender, roomId, new EventDraft("m.room.redaction", null, content, targetEventId, txn));
    }

    /** New display name or avatar: update the member event in every joined room, as clients expect. */
    public void profileChanged(String userId) {
        for (Map.Entry<String, String> m : rooms.membershipsOf(userId).entrySet()) {
            if (!Membership.JOIN.is(m.getValue())) continue;
            Room room = rooms.room(m.getKey());
            if (room == null) continue;
            try {
                setMember(userId, room, userId, memberContent(Membership.JOIN, userId, null));
            } catch (MatrixException e) {
                // e.g. the room forbids member changes by power level; the profile itself is still updated.
            }
        }
    }

    private void setMember(String sender, Room room, String target, ObjectNode content) {
        rooms.send(sender, room.roomId(), EventDraft.state("m.room.member", target, content));
    }

    private ObjectNode memberContent(Membership membership, String userId, String reason) {
        ObjectNode c = reasonOnly(membership, reason);
        Profiles.Profile p = profiles.of(userId);
        if (p != null) {
            if (p.displayname() != null) c.put("displayname", p.displayname());
            if (p.avatarUrl() != null) c.put("avatar_url", p.avatarUrl());
        }
        return c;
    }

    private static ObjectNode reasonOnly(Membership membership, String reason) {
        ObjectNode c = Json.object();
        c.put("membership", membership.value());
        if (reason != null && !reason.isEmpty()) c.put("reason", reason);
        return c;
    }

    public RoomService rooms() { return rooms; }

    public DirectoryStore directory() { return directory; }

    public Profiles profiles() { return profiles; }

    /** Helper for createRoom: member content with profile. */
    ObjectNode memberContentFor(Membership membership, String userId) { return memberContent(membership, userId, null); }
}
