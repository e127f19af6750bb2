package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.DirectoryStore;
import de.amtsbote.storage.RoomAdminStore;
import de.amtsbote.users.Tokens;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deleting a room (Synapse's delete room API v2): every local member leaves, the room's aliases and its
 * directory entry go, optionally it is blocked, and with purge every trace of it is deleted from the database.
 * Runs in the background; its status is kept in memory for 24 hours (as in Synapse, lost on restart).
 *
 * <p>Purge really deletes: the stored original events that redaction keeps for audits are gone afterwards
 * and only a database backup holds them. Admins who must keep a room's history for records management delete
 * with {@code purge: false} (members removed, room blocked, events kept).
 */
public final class RoomDeletion {
    private static final Logger LOG = Logger.getLogger(RoomDeletion.class.getName());
    private static final long KEEP_STATUS_MS = 24 * 60 * 60 * 1000L;

    private final RoomService rooms;
    private final DirectoryStore directory;
    private final RoomAdminStore store;
    private final RoomBlocks blocks;
    private final LongSupplier clock;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    public RoomDeletion(RoomService rooms, DirectoryStore directory, RoomAdminStore store, RoomBlocks blocks, LongSupplier clock) {
        this.rooms = rooms;
        this.directory = directory;
        this.store = store;
        this.blocks = blocks;
        this.clock = clock;
    }

    public record Request(String roomId, String adminUserId, boolean block, boolean purge, boolean forcePurge) {}

    public enum Status { SCHEDULED, ACTIVE, COMPLETE, FAILED }

    /** One deletion; fields change while it runs, readers see a consistent snapshot through {@link #json()}. */
    public static final class Task {
        private final String deleteId;
        private final String roomId;
        private final long startedTs;
        private volatile Status status = Status.SCHEDULED;
        private volatile String error;
        private volatile long finishedTs;
        private final List<String> kicked = new ArrayList<>();
        private final List<String> failedToKick = new ArrayList<>();
        private final List<String> localAliases = new ArrayList<>();

        Task(String deleteId, String roomId, long startedTs) {
            this.deleteId = deleteId;
            this.roomId = roomId;
            this.startedTs = startedTs;
        }

        public String deleteId() { return deleteId; }

        public String roomId() { return roomId; }

        public Status status() { return status; }

        /** Synapse's task object: delete_id, room_id, status, error (only if failed), shutdown_room. */
        public synchronized ObjectNode json() {
            ObjectNode o = Json.object();
            o.put("delete_id", deleteId);
            o.put("room_id", roomId);
            o.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
            if (status == Status.FAILED) o.put("error", error);
            ObjectNode shutdown = o.putObject("shutdown_room");
            kicked.forEach(shutdown.putArray("kicked_users")::add);
            failedToKick.forEach(shutdown.putArray("failed_to_kick_users")::add);
            localAliases.forEach(shutdown.putArray("local_aliases")::add);
            shutdown.putNull("new_room_id");
            return o;
        }
    }

    /**
     * Checks the request and starts the deletion in the background; returns its task. 400 for a malformed or
     * unknown room id, or while another deletion of the room runs.
     */
    public Task start(Request r) {
        if (!Identifiers.isValidRoomId(r.roomId())) throw MatrixException.invalidParam(r.roomId() + " is not a legal room ID");
        if (rooms.room(r.roomId()) == null) throw MatrixException.unknown("Unknown room " + r.roomId());
        expireOld();
        Task task = new Task(Tokens.random(16), r.roomId(), clock.getAsLong());
        synchronized (tasks) {
            for (Task t : tasks.values()) {
                if (t.roomId.equals(r.roomId()) && (t.status == Status.SCHEDULED || t.status == Status.ACTIVE)) {
                    throw MatrixException.unknown("The room " + r.roomId() + " is already being deleted (delete_id " + t.deleteId + ")");
                }
            }
            tasks.put(task.deleteId, task);
        }
        Thread.ofVirtual().name("room-delete-" + task.deleteId).start(() -> run(task, r));
        return task;
    }

    /**
     * Synapse's v1 delete: the same work, done before answering. A room not known here may be blocked in
     * advance (block: true); then nothing else happens.
     */
    public Task runNow(Request r) {
        if (!Identifiers.isValidRoomId(r.roomId())) throw MatrixException.invalidParam(r.roomId() + " is not a legal room ID");
        Task task = new Task(Tokens.random(16), r.roomId(), clock.getAsLong());
        if (rooms.room(r.roomId()) == null) {
            if (!r.block()) throw MatrixException.unknown("Unknown room " + r.roomId());
            blocks.block(r.roomId(), r.adminUserId());
            task.status = Status.COMPLETE;
            return task;
        }
        synchronized (tasks) {
            for (Task t : tasks.values()) {
                if (t.roomId.equals(r.roomId()) && (t.status == Status.SCHEDULED || t.status == Status.ACTIVE)) {
                    throw MatrixException.unknown("The room " + r.roomId() + " is already being deleted (delete_id " + t.deleteId + ")");
                }
            }
            tasks.put(task.deleteId, task);
        }
        run(task, r);
        if (task.status == Status.FAILED) throw MatrixException.unknown(task.error);
        return task;
    }

    public Optional<Task> task(String deleteId) {
        expireOld();
        return Optional.ofNullable(tasks.get(deleteId));
    }

    /** The room's deletions, active and finished within the last 24 hours, oldest first. */
    public List<Task> tasksOf(String roomId) {
        expireOld();
        return tasks.values().stream().filter(t -> t.roomId.equals(roomId))
                .sorted(Comparator.comparingLong((Task t) -> t.startedTs)).toList();
    }

    private void run(Task task, Request r) {
        task.status = Status.ACTIVE;
        try {
            // Block first, so nobody can join again while the members are removed.
            if (r.block()) blocks.block(r.roomId(), r.adminUserId());
            Room room = rooms.room(r.roomId());
            if (room != null) removeLocalMembers(task, room);
            for (String alias : directory.aliasesOf(r.roomId())) {
                directory.delete(alias);
                synchronized (task) { task.localAliases.add(alias); }
            }
            rooms.store().setPublic(r.roomId(), false);
            if (r.purge()) {
                if (!task.failedToKick.isEmpty() && !r.forcePurge()) {
                    throw new IllegalStateException("Not purged: local users are still in the room " + task.failedToKick
                            + "; retry with force_purge");
                }
                store.purgeRoom(r.roomId());
                rooms.forgetPurgedRoom(r.roomId());
            }
            task.status = Status.COMPLETE;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting room " + r.roomId() + " failed", e);
            task.error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            task.status = Status.FAILED;
        } finally {
            task.finishedTs = clock.getAsLong();
        }
    }

    /** Every local user who is joined, invited or knocking leaves by themselves, as in Synapse without a new room. */
    private void removeLocalMembers(Task task, Room room) {
        for (Map.Entry<String, String> m : room.memberships().entrySet()) {
            String userId = m.getKey();
            Membership membership = Membership.of(m.getValue());
            if (!userId.endsWith(":" + rooms.serverName())) continue;
            if (membership != Membership.JOIN && membership != Membership.INVITE && membership != Membership.KNOCK) continue;
            ObjectNode leave = Json.object().put("membership", Membership.LEAVE.value());
            try {
                rooms.send(userId, room.roomId(), EventDraft.state("m.room.member", userId, leave));
                synchronized (task) { task.kicked.add(userId); }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not remove " + userId + " from " + room.roomId(), e);
                synchronized (task) { task.failedToKick.add(userId); }
            }
        }
    }

    private void expireOld() {
        long cutoff = clock.getAsLong() - KEEP_STATUS_MS;
        tasks.values().removeIf(t -> t.finishedTs != 0 && t.finishedTs < cutoff);
    }
}
