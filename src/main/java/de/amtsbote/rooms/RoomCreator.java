package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * POST /createRoom: turns the request into the room's first events, in the order the spec gives
 * (create, creator joins, power levels, alias, preset events, initial_state, name, topic, invites).
 */
public final class RoomCreator {
    private final RoomActions actions;

    public RoomCreator(RoomActions actions) { this.actions = actions; }

    public String create(String creator, ObjectNode body) {
        RoomService rooms = actions.rooms();
        String versionId = text(body, "room_version");
        RoomVersion version = versionId == null ? RoomVersion.DEFAULT : RoomVersion.of(versionId);
        if (version == null) {
            throw new MatrixException(400, "M_UNSUPPORTED_ROOM_VERSION", "Room version " + versionId + " is not supported");
        }
        String visibility = text(body, "visibility");
        if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
            throw MatrixException.badJson("'visibility' must be 'public' or 'private'");
        }
        String preset = text(body, "preset");
        if (preset == null) preset = "public".equals(visibility) ? "public_chat" : "private_chat";
        if (!Set.of("private_chat", "public_chat", "trusted_private_chat").contains(preset)) {
            throw MatrixException.badJson("Unknown preset " + preset);
        }
        boolean isDirect = Boolean.TRUE.equals(bool(body, "is_direct"));
        Set<String> invites = new LinkedHashSet<>();
        JsonNode inv = body.get("invite");
        if (inv != null && !inv.isNull()) {
            if (!inv.isArray()) throw MatrixException.badJson("'invite' must be a list of user ids");
            for (JsonNode u : inv) {
                if (!u.isTextual() || !Identifiers.isValidUserId(u.asText())) {
                    throw MatrixException.badJson("'invite' must contain user ids like @name:server");
                }
                if (actions.profiles().of(u.asText()) == null) throw MatrixException.notFound("Unknown user " + u.asText());
                if (!u.asText().equals(creator)) invites.add(u.asText());
            }
        }
        JsonNode threePid = body.get("invite_3pid");
        if (threePid != null && threePid.isArray() && !threePid.isEmpty()) {
            throw new MatrixException(400, "M_UNKNOWN", "Invitations by e-mail or phone are not supported");
        }
        String alias = null;
        String aliasName = text(body, "room_alias_name");
        if (aliasName != null) {
            if (aliasName.isEmpty() || aliasName.contains(":") || aliasName.contains("#") || aliasName.length() > 200
                    || aliasName.chars().anyMatch(Character::isWhitespace)) {
                throw new MatrixException(400, "M_INVALID_PARAM", "Invalid room alias name");
            }
            alias = "#" + aliasName + ":" + rooms.serverName();
            if (actions.directory().get(alias).isPresent()) {
                throw new MatrixException(400, "M_ROOM_IN_USE", "The alias " + alias + " is already taken");
            }
        }

        List<EventDraft> drafts = new ArrayList<>();
        ObjectNode create = Json.object();
        ObjectNode creationContent = object(body, "creation_content");
        if (creationContent != null) create.setAll(creationContent);
        create.put("room_version", version.id());
        if (version.createRequiresCreator()) create.put("creator", creator);
        else create.remove("creator");
        if (version.creatorsHaveInfinitePower() && preset.equals("trusted_private_chat") && !invites.isEmpty()) {
            ArrayNode extra = create.putArray("additional_creators");
            invites.forEach(extra::add);
        }
        drafts.add(EventDraft.state("m.room.create", "", create));
        drafts.add(EventDraft.state("m.room.member", creator, actions.memberContentFor(Membership.JOIN, creator)));
        drafts.add(EventDraft.state("m.room.power_levels", "", powerLevels(version, creator, preset, invites,
                object(body, "power_level_content_override"))));
        if (alias != null) {
            ObjectNode a = Json.object();
            a.put("alias", alias);
            drafts.add(EventDraft.state("m.room.canonical_alias", "", a));
        }
        ObjectNode joinRules = Json.object();
        joinRules.put("join_rule", preset.equals("public_chat") ? "public" : "invite");
        drafts.add(EventDraft.state("m.room.join_rules", "", joinRules));
        ObjectNode hv = Json.object();
        hv.put("history_visibility", "shared");
        drafts.add(EventDraft.state("m.room.history_visibility", "", hv));
        if (!preset.equals("public_chat")) {
            ObjectNode ga = Json.object();
            ga.put("guest_access", "can_join");
            drafts.add(EventDraft.state("m.room.guest_access", "", ga));
        }
        boolean encrypt = actions.encryption().encryptAtCreation(preset.equals("public_chat"));
        if (encrypt) drafts.add(EventDraft.state("m.room.encryption", "", EncryptionPolicy.megolmContent()));
        JsonNode initial = body.get("initial_state");
        if (initial != null && !initial.isNull()) {
            if (!initial.isArray()) throw MatrixException.badJson("'initial_state' must be a list of state events");
            for (JsonNode s : initial) {
                if (!(s instanceof ObjectNode so) || !so.path("type").isTextual() || !(so.get("content") instanceof ObjectNode)) {
                    throw MatrixException.badJson("Each initial_state entry needs 'type' and an object 'content'");
                }
                String stateKey = so.path("state_key").asText("");
                String type = so.get("type").asText();
                if (type.equals("m.room.member") || type.equals("m.room.create")) {
                    throw MatrixException.badJson("initial_state may not contain " + type);
                }
                if (type.equals("m.room.power_levels")) PowerLevelsShape.check((ObjectNode) so.get("content"));
                if (type.equals("m.room.encryption") && !encrypt) actions.encryption().checkUserMayEnable();
                drafts.removeIf(d -> d.type().equals(type) && stateKey.equals(d.stateKey())
                        && !type.equals("m.room.power_levels"));
                drafts.add(EventDraft.state(type, stateKey, (ObjectNode) so.get("content")));
            }
        }
        String name = text(body, "name");
        if (name != null) {
            ObjectNode n = Json.object();
            n.put("name", name);
            drafts.add(EventDraft.state("m.room.name", "", n));
        }
        String topic = text(body, "topic");
        if (topic != null) {
            ObjectNode t = Json.object();
            t.put("topic", topic);
            t.putArray("m.topic").addObject().put("body", topic).put("mimetype", "text/plain");
            drafts.add(EventDraft.state("m.room.topic", "", t));
        }
        for (String invitee : invites) {
            ObjectNode c = actions.memberContentFor(Membership.INVITE, invitee);
            if (isDirect) c.put("is_direct", true);
            drafts.add(EventDraft.state("m.room.member", invitee, c));
        }
        final String finalAlias = alias;
        final boolean isPublic = "public".equals(visibility);
        // Alias and directory listing are stored in the same transaction as the room's events.
        return rooms.createRoom(creator, version, drafts, (ctx, roomId) -> {
            if (finalAlias != null && !actions.directory().insert(ctx, finalAlias, roomId, creator)) {
                throw new MatrixException(400, "M_ROOM_IN_USE", "The alias " + finalAlias + " is already taken");
            }
            if (isPublic) rooms.store().setPublic(ctx, roomId, true);
        });
    }

    private static ObjectNode powerLevels(RoomVersion version, String creator, String preset, Set<String> invites,
                                          ObjectNode override) {
        ObjectNode pl = Json.object();
        ObjectNode users = pl.putObject("users");
        // In v12 the creators' power is implicit (unlimited) and they must not be listed.
        if (!version.creatorsHaveInfinitePower()) users.put(creator, 100);
        if (preset.equals("trusted_private_chat") && !version.creatorsHaveInfinitePower()) {
            for (String u : invites) users.put(u, 100);
        }
        pl.put("users_default", 0);
        ObjectNode events = pl.putObject("events");
        events.put("m.room.name", 50);
        events.put("m.room.power_levels", 100);
        events.put("m.room.history_visibility", 100);
        events.put("m.room.canonical_alias", 50);
        events.put("m.room.avatar", 50);
        events.put("m.room.tombstone", 100);
        events.put("m.room.server_acl", 100);
        events.put("m.room.encryption", 100);
        events.put("m.room.topic", 50);
        pl.put("events_default", 0);
        pl.put("state_default", 50);
        pl.put("ban", 50);
        pl.put("kick", 50);
        pl.put("redact", 50);
        pl.put("invite", 0);
        pl.putObject("notifications").put("room", 50);
        if (override != null) {
            PowerLevelsShape.check(override);
            pl.setAll(override);
        }
        return pl;
    }

    private static String text(ObjectNode o, String f) {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw MatrixException.badJson("'" + f + "' must be a string");
        return n.asText();
    }

    private static Boolean bool(ObjectNode o, String f) {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw MatrixException.badJson("'" + f + "' must be true or false");
        return n.asBoolean();
    }

    private static ObjectNode object(ObjectNode o, String f) {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) return null;
        if (!(n instanceof ObjectNode obj)) throw MatrixException.badJson("'" + f + "' must be an object");
        return obj;
    }
}
