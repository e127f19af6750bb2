package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.EventStore;
import de.amtsbote.storage.RoomAdminStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What the admin sees of rooms (Synapse's room list and details API): one summary per room from its current
 * state in memory, sorted, filtered and paged as Synapse does.
 */
public final class RoomSummaries {
    private final RoomService rooms;
    private final RoomAdminStore store;

    public RoomSummaries(RoomService rooms, RoomAdminStore store) {
        this.rooms = rooms;
        this.store = store;
    }

    public record Summary(String roomId, String name, String topic, String avatar, String canonicalAlias,
                          int joinedMembers, int joinedLocalMembers, String version, String creator, String encryption,
                          boolean federatable, boolean isPublic, String joinRules, String guestAccess,
                          String historyVisibility, int stateEvents, String roomType) {}

    /** Synapse's order_by values (alphabetical and size are its deprecated names for name and joined_members). */
    public enum Order {
        NAME, CANONICAL_ALIAS, JOINED_MEMBERS, JOINED_LOCAL_MEMBERS, VERSION, CREATOR, ENCRYPTION, FEDERATABLE,
        PUBLIC, JOIN_RULES, GUEST_ACCESS, HISTORY_VISIBILITY, STATE_EVENTS;

        public static Order parse(String s) {
            if (s == null) return NAME;
            return switch (s) {
                case "alphabetical" -> NAME;
                case "size" -> JOINED_MEMBERS;
                default -> {
                    for (Order o : values()) if (o.name().toLowerCase(Locale.ROOT).equals(s)) yield o;
                    throw MatrixException.invalidParam("Unknown value for order_by: " + s);
                }
            };
        }
    }

    public record Page(List<Summary> rooms, int offset, int total, Integer nextBatch, Integer prevBatch) {}

    /** The summary of a room, or null if the room is not known here. */
    public Summary of(String roomId) {
        Room room = rooms.room(roomId);
        if (room == null) return null;
        boolean isPublic = rooms.store().room(roomId).map(EventStore.RoomRow::isPublic).orElse(false);
        return summarise(room, isPublic);
    }

    public Page list(int from, int limit, Order order, boolean backwards, String searchTerm) {
        Set<String> publicIds = new HashSet<>();
        for (EventStore.RoomRow r : rooms.store().publicRooms()) publicIds.add(r.roomId());
        List<Summary> all = new ArrayList<>();
        for (String id : store.allRoomIds()) {
            Room room = rooms.room(id);
            if (room == null) continue;
            Summary s = summarise(room, publicIds.contains(id));
            if (searchTerm == null || matches(s, searchTerm)) all.add(s);
        }
        Comparator<Summary> cmp = comparator(order).thenComparing(Summary::roomId);
        all.sort(backwards ? cmp.reversed() : cmp);
        int start = Math.min(from, all.size());
        int end = Math.min(all.size(), start + limit);
        Integer next = from + limit < all.size() ? from + limit : null;
        Integer prev = from > 0 ? Math.max(0, from - limit) : null;
        return new Page(List.copyOf(all.subList(start, end)), from, all.size(), next, prev);
    }

    /**
     * Synapse's search: the term in the room's name or the local part of its canonical alias (both ignoring
     * case), or in the complete room id (case-sensitive).
     */
    private static boolean matches(Summary s, String term) {
        String lower = term.toLowerCase(Locale.ROOT);
        if (s.name() != null && s.name().toLowerCase(Locale.ROOT).contains(lower)) return true;
        if (s.canonicalAlias() != null) {
            int colon = s.canonicalAlias().indexOf(':');
            String local = s.canonicalAlias().substring(0, colon < 0 ? s.canonicalAlias().length() : colon);
            if (local.toLowerCase(Locale.ROOT).contains(lower)) return true;
        }
        return s.roomId().contains(term);
    }

    /** Forward order as Synapse documents it: texts A to Z (missing ones last), numbers and flags largest first. */
    private static Comparator<Summary> comparator(Order order) {
        return switch (order) {
            case NAME -> text(Summary::name);
            case CANONICAL_ALIAS -> text(Summary::canonicalAlias);
            case JOINED_MEMBERS -> Comparator.comparingInt(Summary::joinedMembers).reversed();
            case JOINED_LOCAL_MEMBERS -> Comparator.comparingInt(Summary::joinedLocalMembers).reversed();
            case VERSION -> Comparator.comparingLong((Summary s) -> versionNumber(s.version())).reversed();
            case CREATOR -> text(Summary::creator);
            case ENCRYPTION -> text(Summary::encryption);
            case FEDERATABLE -> Comparator.comparing(Summary::federatable).reversed();
            case PUBLIC -> Comparator.comparing(Summary::isPublic).reversed();
            case JOIN_RULES -> text(Summary::joinRules);
            case GUEST_ACCESS -> text(Summary::guestAccess);
            case HISTORY_VISIBILITY -> text(Summary::historyVisibility);
            case STATE_EVENTS -> Comparator.comparingInt(Summary::stateEvents).reversed();
        };
    }

    private static Comparator<Summary> text(Function<Summary, String> field) {
        return Comparator.comparing(field, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER));
    }

    private static long versionNumber(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Summary summarise(Room room, boolean isPublic) {
        ObjectNode create = room.stateEvent("m.room.create", "");
        ObjectNode createContent = create == null ? null : (ObjectNode) create.get("content");
        int local = 0;
        for (String u : room.joinedMembers()) if (u.endsWith(":" + rooms.serverName())) local++;
        return new Summary(room.roomId(),
                field(room, "m.room.name", "name"),
                field(room, "m.room.topic", "topic"),
                field(room, "m.room.avatar", "url"),
                field(room, "m.room.canonical_alias", "alias"),
                room.joinedCount(), local, room.version().id(),
                create == null ? null : create.path("sender").asText(null),
                field(room, "m.room.encryption", "algorithm"),
                createContent == null || !createContent.path("m.federate").isBoolean() || createContent.get("m.federate").booleanValue(),
                isPublic,
                field(room, "m.room.join_rules", "join_rule"),
                field(room, "m.room.guest_access", "guest_access"),
                field(room, "m.room.history_visibility", "history_visibility"),
                room.state().size(),
                createContent == null || !createContent.path("type").isTextual() ? null : createContent.get("type").textValue());
    }

    private static String field(Room room, String type, String key) {
        ObjectNode c = room.stateContent(type, "");
        return c == null || !c.path(key).isTextual() ? null : c.get(key).textValue();
    }
}
