package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The authorisation rules of room versions 10, 11 and 12 (content/rooms/v10.md, v11.md, v12.md) and the
 * server-server "auth events selection". Rule numbers in comments follow v12; v10/v11 lack its rule 2, so
 * their numbers are one lower from there on.
 */
public final class AuthRules {
    /** Whether an event carries a valid signature of a server; needed for join_authorised_via_users_server. */
    @FunctionalInterface
    public interface SignatureVerifier {
        boolean isValidlySignedBy(ObjectNode event, String serverName);
    }

    /**
     * Only looks for the presence of a signature by the server. Callers that have not verified all signatures
     * on the event themselves must pass a real verifier to the four-argument check.
     */
    public static final SignatureVerifier SIGNATURE_PRESENT = (event, server) ->
            event.path("signatures").path(server).isObject() && !event.path("signatures").path(server).isEmpty();

    private static final List<String> PL_SCALARS =
            List.of("users_default", "events_default", "state_default", "ban", "redact", "kick", "invite");

    private AuthRules() {}

    public static void check(RoomVersion v, ObjectNode event, StateLookup authState) throws AuthException {
        check(v, event, authState, SIGNATURE_PRESENT);
    }

    public static void check(RoomVersion v, ObjectNode event, StateLookup authState, SignatureVerifier signatures)
            throws AuthException {
        String type = text(event, "type");
        String sender = text(event, "sender");
        if (type == null) throw new AuthException("event has no type");
        if (sender == null) throw new AuthException("event has no sender");

        // 1. m.room.create
        if (type.equals("m.room.create")) {
            checkCreate(v, event);
            return;
        }
        ObjectNode create = authState.get("m.room.create", "");
        if (create == null) throw new AuthException("the room has no m.room.create event");
        // 2. (v12) the room ID is the create event's ID.
        if (v.roomIdIsCreateEventHash()) {
            String expected = "!" + createEventId(v, create).substring(1);
            if (!expected.equals(text(event, "room_id"))) {
                throw new AuthException("room_id does not match the room's m.room.create event");
            }
        }
        // 4. m.federate
        if (create.path("content").path("m.federate").isBoolean() && !create.path("content").get("m.federate").booleanValue()
                && !sameDomain(sender, text(create, "sender"))) {
            throw new AuthException("the room does not allow users from other servers");
        }
        PowerLevels pl = PowerLevels.fromState(v, authState);
        // 5. m.room.member
        if (type.equals("m.room.member")) {
            checkMember(v, event, authState, signatures, create, pl);
            return;
        }
        // 6.
        if (!"join".equals(membership(authState, sender))) throw new AuthException(sender + " is not joined to the room");
        long senderLevel = pl.userLevel(sender);
        // 7.
        if (type.equals("m.room.third_party_invite")) {
            if (senderLevel >= pl.inviteLevel()) return;
            throw new AuthException(sender + " may not invite (power level " + senderLevel + " < " + pl.inviteLevel() + ")");
        }
        // 8.
        boolean isState = event.has("state_key");
        long required = pl.eventLevel(type, isState);
        if (required > senderLevel) {
            throw new AuthException(sender + " needs power level " + required + " to send " + type + ", has " + senderLevel);
        }
        // 9.
        String stateKey = text(event, "state_key");
        if (stateKey != null && stateKey.startsWith("@") && !stateKey.equals(sender)) {
            throw new AuthException("state_key " + stateKey + " belongs to another user");
        }
        // 10.
        if (type.equals("m.room.power_levels")) checkPowerLevels(v, event, authState, create, pl, sender, senderLevel);
    }

    private static void checkCreate(RoomVersion v, ObjectNode event) throws AuthException {
        JsonNode prev = event.get("prev_events");
        if (prev != null && !(prev.isArray() && prev.isEmpty())) throw new AuthException("m.room.create must have no prev_events");
        if (v.roomIdIsCreateEventHash()) {
            if (event.has("room_id")) throw new AuthException("m.room.create must not have a room_id in room version " + v);
        } else {
            String roomDomain = Identifiers.domainOf(text(event, "room_id"));
            if (roomDomain == null || !roomDomain.equals(Identifiers.domainOf(text(event, "sender")))) {
                throw new AuthException("room_id domain does not match the sender's domain");
            }
        }
        JsonNode content = event.path("content");
        if (content.has("room_version")) {
            JsonNode rv = content.get("room_version");
            if (!rv.isTextual() || RoomVersion.of(rv.textValue()) == null) {
                throw new AuthException("unrecognised room_version " + rv);
            }
        }
        if (v.creatorsHaveInfinitePower() && content.has("additional_creators")) {
            JsonNode extra = content.get("additional_creators");
            if (!extra.isArray()) throw new AuthException("additional_creators must be an array");
            for (JsonNode c : extra) {
                if (!c.isTextual() || !Identifiers.isValidUserId(c.textValue())) {
                    throw new AuthException("additional_creators contains an invalid user ID: " + c);
                }
            }
        }
        if (v.createRequiresCreator() && !content.has("creator")) throw new AuthException("m.room.create has no creator");
    }

    private static void checkMember(RoomVersion v, ObjectNode event, StateLookup state, SignatureVerifier signatures,
            ObjectNode create, PowerLevels pl) throws AuthException {
        String sender = text(event, "sender");
        String target = text(event, "state_key");
        JsonNode content = event.path("content");
        String membership = content.path("membership").isTextual() ? content.get("membership").textValue() : null;
        // 5.1
        if (target == null || membership == null) throw new AuthException("m.room.member needs a state_key and content.membership");
        // 5.2
        JsonNode via = content.get("join_authorised_via_users_server");
        if (via != null) {
            String server = via.isTextual() ? Identifiers.domainOf(via.textValue()) : null;
            if (server == null || !signatures.isValidlySignedBy(event, server)) {
                throw new AuthException("event is not signed by the server of join_authorised_via_users_server");
            }
        }
        String senderMembership = membership(state, sender);
        String targetMembership = membership(state, target);
        String joinRule = joinRule(state);
        long senderLevel = pl.userLevel(sender);
        long targetLevel = pl.userLevel(target);
        switch (membership) {
            case "join" -> {
                // 5.3.1: the creator's own first join, directly after the create event.
                JsonNode prev = event.path("prev_events");
                if (prev.size() == 1 && createEventId(v, create).equals(prev.get(0).asText())
                        && target.equals(firstJoinCreator(v, create))) {
                    return;
                }
                if (!sender.equals(target)) throw new AuthException("a user can only join for themselves");
                if ("ban".equals(senderMembership)) throw new AuthException(sender + " is banned from the room");
                boolean invitedOrJoined = "invite".equals(senderMembership) || "join".equals(senderMembership);
                switch (joinRule) {
                    case "invite", "knock" -> {
                        if (invitedOrJoined) return;
                        throw new AuthException("the room is invite-only and " + sender + " is not invited");
                    }
                    case "restricted", "knock_restricted" -> {
                        if (invitedOrJoined) return;
                        String authoriser = via != null && via.isTextual() ? via.textValue() : null;
                        if (authoriser == null || !"join".equals(membership(state, authoriser))
                                || pl.userLevel(authoriser) < pl.inviteLevel()) {
                            throw new AuthException("restricted join is not authorised by a joined member who may invite");
                        }
                        return;
                    }
                    case "public" -> { return; }
                    default -> throw new AuthException("join rule " + joinRule + " does not allow joining");
                }
            }
            case "invite" -> {
                if (content.has("third_party_invite")) {
                    checkThirdPartyInvite(event, state, targetMembership);
                    return;
                }
                if (!"join".equals(senderMembership)) throw new AuthException(sender + " is not joined to the room");
                if ("join".equals(targetMembership) || "ban".equals(targetMembership)) {
                    throw new AuthException(target + " is already " + (targetMembership.equals("join") ? "joined" : "banned"));
                }
                if (senderLevel >= pl.inviteLevel()) return;
                throw new AuthException(sender + " may not invite (power level " + senderLevel + " < " + pl.inviteLevel() + ")");
            }
            case "leave" -> {
                if (sender.equals(target)) {
                    if (Set.of("invite", "join", "knock").contains(String.valueOf(senderMembership))) return;
                    throw new AuthException(sender + " cannot leave a room they are not in");
                }
                if (!"join".equals(senderMembership)) throw new AuthException(sender + " is not joined to the room");
                if ("ban".equals(targetMembership) && senderLevel < pl.banLevel()) {
                    throw new AuthException(sender + " may not unban (power level " + senderLevel + " < " + pl.banLevel() + ")");
                }
                if (senderLevel >= pl.kickLevel() && targetLevel < senderLevel) return;
                throw new AuthException(sender + " may not kick " + target);
            }
            case "ban" -> {
                if (!"join".equals(senderMembership)) throw new AuthException(sender + " is not joined to the room");
                if (senderLevel >= pl.banLevel() && targetLevel < senderLevel) return;
                throw new AuthException(sender + " may not ban " + target);
            }
            case "knock" -> {
                if (!joinRule.equals("knock") && !joinRule.equals("knock_restricted")) {
                    throw new AuthException("the room does not allow knocking");
                }
                if (!sender.equals(target)) throw new AuthException("a user can only knock for themselves");
                if (!Set.of("ban", "invite", "join").contains(String.valueOf(senderMembership))) return;
                throw new AuthException(sender + " cannot knock while " + senderMembership);
            }
            default -> throw new AuthException("unknown membership " + membership);
        }
    }

    /** 5.4.1: the invite must carry a signature by one of the keys in the matching m.room.third_party_invite. */
    private static void checkThirdPartyInvite(ObjectNode event, StateLookup state, String targetMembership)
            throws AuthException {
        if ("ban".equals(targetMembership)) throw new AuthException(text(event, "state_key") + " is banned");
        if (!(event.path("content").path("third_party_invite").get("signed") instanceof ObjectNode signed)) {
            throw new AuthException("third_party_invite has no signed object");
        }
        String mxid = text(signed, "mxid");
        String token = text(signed, "token");
        if (mxid == null || token == null) throw new AuthException("third_party_invite.signed needs mxid and token");
        if (!mxid.equals(text(event, "state_key"))) throw new AuthException("third_party_invite mxid does not match state_key");
        ObjectNode invite = state.get("m.room.third_party_invite", token);
        if (invite == null) throw new AuthException("no m.room.third_party_invite with this token");
        if (!text(event, "sender").equals(text(invite, "sender"))) {
            throw new AuthException("sender did not send the m.room.third_party_invite");
        }
        List<byte[]> keys = new ArrayList<>();
        JsonNode inviteContent = invite.path("content");
        addKey(keys, inviteContent.get("public_key"));
        for (JsonNode k : inviteContent.path("public_keys")) addKey(keys, k.get("public_key"));
        for (var server : signed.path("signatures").properties()) {
            for (var sig : server.getValue().properties()) {
                for (byte[] key : keys) {
                    if (ServerSigningKey.verifyJson(signed, server.getKey(), sig.getKey(), key)) return;
                }
            }
        }
        throw new AuthException("third_party_invite is not signed by a key of the m.room.third_party_invite");
    }

    private static void addKey(List<byte[]> keys, JsonNode key) {
        if (key == null || !key.isTextual()) return;
        try {
            keys.add(UnpaddedBase64.decode(key.textValue()));
        } catch (IllegalArgumentException ignored) {
            // A malformed key can never match a signature.
        }
    }

    private static void checkPowerLevels(RoomVersion v, ObjectNode event, StateLookup state, ObjectNode create,
            PowerLevels current, String sender, long senderLevel) throws AuthException {
        if (!(event.get("content") instanceof ObjectNode content)) throw new AuthException("power levels content is not an object");
        // 10.1 - 10.3: shape.
        for (String key : PL_SCALARS) {
            if (content.has(key) && !isLevel(content.get(key))) throw new AuthException(key + " must be an integer");
        }
        for (String key : List.of("events", "notifications")) {
            if (!content.has(key)) continue;
            JsonNode map = content.get(key);
            if (!map.isObject()) throw new AuthException(key + " must be an object");
            for (var e : map.properties()) {
                if (!isLevel(e.getValue())) throw new AuthException(key + "." + e.getKey() + " must be an integer");
            }
        }
        JsonNode users = content.get("users");
        if (users != null) {
            if (!users.isObject()) throw new AuthException("users must be an object");
            for (var e : users.properties()) {
                if (!Identifiers.isValidUserId(e.getKey())) throw new AuthException("users contains an invalid user ID " + e.getKey());
                if (!isLevel(e.getValue())) throw new AuthException("users." + e.getKey() + " must be an integer");
            }
            // 10.4 (v12): creators' power is fixed and may not be written down.
            if (v.creatorsHaveInfinitePower()) {
                for (String creator : PowerLevels.creators(v, create)) {
                    if (users.has(creator)) throw new AuthException("room creator " + creator + " may not be listed in users");
                }
            }
        }
        // 10.5
        if (current.content() == null) return;
        ObjectNode old = current.content();
        // 10.6
        for (String key : PL_SCALARS) {
            checkChange(key, old.get(key), content.get(key), senderLevel, false);
        }
        // 10.7, 10.8
        for (String map : List.of("events", "notifications")) {
            for (String key : unionKeys(old.get(map), content.get(map))) {
                checkChange(map + "." + key, old.path(map).get(key), content.path(map).get(key), senderLevel, false);
            }
        }
        // 10.9, 10.10: lowering or removing someone else requires outranking their current level.
        for (String user : unionKeys(old.get("users"), content.get("users"))) {
            JsonNode before = old.path("users").get(user);
            JsonNode after = content.path("users").get(user);
            if (!user.equals(sender)) {
                checkChange("users." + user, before, after, senderLevel, true);
            } else if (changed(before, after) && after != null && after.longValue() > senderLevel) {
                // The sender may lower or drop their own entry, but not raise it above their level.
                throw new AuthException("cannot raise own power level above " + senderLevel);
            }
        }
    }

    /**
     * One power level alteration: the old value (if altered) must not exceed the sender's level (or reach
     * it, for other users' levels), and neither may the new value.
     */
    private static void checkChange(String what, JsonNode before, JsonNode after, long senderLevel, boolean strictOld)
            throws AuthException {
        if (!changed(before, after)) return;
        if (before != null && before.isIntegralNumber()) {
            long old = before.longValue();
            if (strictOld ? old >= senderLevel : old > senderLevel) {
                throw new AuthException("cannot change " + what + " from " + old + " with power level " + senderLevel);
            }
        }
        if (after != null && after.longValue() > senderLevel) {
            throw new AuthException("cannot set " + what + " to " + after.longValue() + " with power level " + senderLevel);
        }
    }

    private static boolean changed(JsonNode before, JsonNode after) {
        if (before == null && after == null) return false;
        if (before == null || after == null) return true;
        // Compare numerically: IntNode(5) and LongNode(5) are the same level.
        if (before.isIntegralNumber() && after.isIntegralNumber()) return before.bigIntegerValue().compareTo(after.bigIntegerValue()) != 0;
        return !before.equals(after);
    }

    private static Set<String> unionKeys(JsonNode a, JsonNode b) {
        Set<String> keys = new LinkedHashSet<>();
        if (a != null && a.isObject()) a.fieldNames().forEachRemaining(keys::add);
        if (b != null && b.isObject()) b.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static boolean isLevel(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong()
                && Math.abs(n.longValue()) <= CanonicalJson.MAX_SAFE_INTEGER;
    }

    /**
     * Checks an event's auth_events against the selection rules (v10/v11 rule 2, v12 rule 3): no duplicate
     * (type, state_key), nothing outside the selection, a create event present where the version requires it,
     * and every auth event in the same room. Whether an auth event was itself rejected is up to the caller.
     */
    public static void checkAuthEvents(RoomVersion v, ObjectNode event, List<ObjectNode> authEvents) throws AuthException {
        Set<StateKey> allowed = new HashSet<>(authEventSelection(v, event));
        Set<StateKey> seen = new HashSet<>();
        boolean hasCreate = false;
        String roomId = text(event, "room_id");
        for (ObjectNode auth : authEvents) {
            String type = text(auth, "type");
            String stateKey = text(auth, "state_key");
            if (type == null || stateKey == null) throw new AuthException("auth event is not a state event");
            StateKey key = new StateKey(type, stateKey);
            if (!seen.add(key)) throw new AuthException("duplicate auth event for " + type + " / " + stateKey);
            if (!allowed.contains(key)) throw new AuthException("auth event " + type + " / " + stateKey + " is not needed to authorise this event");
            hasCreate |= type.equals("m.room.create");
            // v12 create events have no room_id; they are not allowed here anyway.
            if (roomId == null || !roomId.equals(text(auth, "room_id"))) throw new AuthException("auth event from another room");
        }
        if (v.createEventInAuthEvents() && !hasCreate) throw new AuthException("auth_events lack the m.room.create event");
    }

    /** The state entries that belong in an event's auth_events (server-server API "Auth events selection"). */
    public static List<StateKey> authEventSelection(RoomVersion v, ObjectNode event) {
        String type = text(event, "type");
        if ("m.room.create".equals(type)) return List.of();
        Set<StateKey> keys = new LinkedHashSet<>();
        if (v.createEventInAuthEvents()) keys.add(new StateKey("m.room.create", ""));
        keys.add(new StateKey("m.room.power_levels", ""));
        String sender = text(event, "sender");
        if (sender != null) keys.add(new StateKey("m.room.member", sender));
        String target = text(event, "state_key");
        if ("m.room.member".equals(type) && target != null) {
            keys.add(new StateKey("m.room.member", target));
            JsonNode content = event.path("content");
            String membership = content.path("membership").asText("");
            if (membership.equals("join") || membership.equals("invite") || membership.equals("knock")) {
                keys.add(new StateKey("m.room.join_rules", ""));
            }
            JsonNode token = content.path("third_party_invite").path("signed").path("token");
            if (membership.equals("invite") && token.isTextual()) {
                keys.add(new StateKey("m.room.third_party_invite", token.textValue()));
            }
            JsonNode via = content.path("join_authorised_via_users_server");
            if (membership.equals("join") && via.isTextual()) keys.add(new StateKey("m.room.member", via.textValue()));
        }
        return List.copyOf(keys);
    }

    /** The create event's ID: the stored event_id if the JSON carries one, else computed from the event. */
    static String createEventId(RoomVersion v, ObjectNode create) {
        String stored = text(create, "event_id");
        return stored != null ? stored : EventHashing.eventId(v, create);
    }

    /** Rule 5.3.1 names "the creator" (v10: content.creator) or "the sender of the m.room.create" (v11+). */
    private static String firstJoinCreator(RoomVersion v, ObjectNode create) {
        return v.createRequiresCreator() ? create.path("content").path("creator").asText(null) : text(create, "sender");
    }

    private static String membership(StateLookup state, String userId) {
        ObjectNode member = state.get("m.room.member", userId);
        if (member == null) return null;
        JsonNode m = member.path("content").path("membership");
        return m.isTextual() ? m.textValue() : null;
    }

    /**
     * The spec gives no default for a room without m.room.join_rules; like existing servers we treat it as
     * "invite", the most restrictive rule that still lets invited users in.
     */
    private static String joinRule(StateLookup state) {
        ObjectNode rules = state.get("m.room.join_rules", "");
        JsonNode rule = rules == null ? null : rules.path("content").get("join_rule");
        return rule != null && rule.isTextual() ? rule.textValue() : "invite";
    }

    private static boolean sameDomain(String a, String b) {
        String da = Identifiers.domainOf(a);
        return da != null && da.equals(Identifiers.domainOf(b));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
