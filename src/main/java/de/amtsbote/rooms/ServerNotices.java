package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.RoomAdminStore;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.Tokens;
import de.amtsbote.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Server notices (client-server spec, "Server Notices" module): messages from the IT to users, sent by a
 * system user into exactly one notices room per user. The room is created on the first notice with the
 * configured name, the user is invited (not joined, as the spec recommends) and it carries the user's
 * {@code m.server_notice} tag. Only the system user may send there (events_default 100), and the invite cannot
 * be rejected (M_CANNOT_LEAVE_SERVER_NOTICE_ROOM); a user who left after joining is invited again.
 */
public final class ServerNotices {
    public static final String TAG = "m.server_notice";

    private final RoomService rooms;
    private final RoomActions actions;
    private final Accounts accounts;
    private final RoomAdminStore store;
    private final AccountDataStore accountData;
    private final Consumer<String> wake;
    private final Predicate<String> isBot;
    private final String systemUserId;
    private final String systemDisplayName;
    private final String roomName;
    private final ConcurrentHashMap<String, ReentrantLock> roomLocks = new ConcurrentHashMap<>();
    /** Bulk notice transactions: striped, so the same (admin, txnId) never runs twice at once. */
    private final ReentrantLock[] bulkLocks = new ReentrantLock[32];

    public ServerNotices(RoomActions actions, Accounts accounts, RoomAdminStore store, AccountDataStore accountData,
                         Consumer<String> wake, Predicate<String> isBot, String localpart, String displayName, String roomName) {
        this.rooms = actions.rooms();
        this.actions = actions;
        this.accounts = accounts;
        this.store = store;
        this.accountData = accountData;
        this.wake = wake;
        this.isBot = isBot;
        this.systemUserId = accounts.userId(localpart);
        // Nobody may sign up (or be created) under the notices user's name and then post "notices from the IT".
        accounts.reserveUserId(systemUserId);
        this.systemDisplayName = displayName;
        this.roomName = roomName;
        for (int i = 0; i < bulkLocks.length; i++) bulkLocks[i] = new ReentrantLock();
    }

    public String systemUserId() { return systemUserId; }

    /** Whether the room is the user's server notices room (whose invite cannot be rejected). */
    public boolean isNoticeRoomOf(String userId, String roomId) {
        return store.serverNoticeRoom(userId).map(roomId::equals).orElse(false);
    }

    /**
     * Idempotency of Synapse's PUT /send_server_notice/{txnId}: scoped to the admin's device, as a client's
     * transaction ids are.
     */
    public record Txn(String adminUserId, String adminDeviceId, String txnId) {}

    /** Sends one event (a message, or state if stateKey is not null) into the user's notices room; its event id. */
    public String send(String userId, String type, String stateKey, ObjectNode content, Txn txn) {
        requireRecipient(userId);
        String roomId = noticeRoomFor(userId);
        EventDraft.Txn draftTxn = txn == null ? null
                : new EventDraft.Txn(systemUserId, txn.adminUserId() + "|" + txn.adminDeviceId(), "/send_server_notice", txn.txnId());
        return rooms.send(systemUserId, roomId, new EventDraft(type, stateKey, content, null, draftTxn));
    }

    /** Amtsbote's notice to many users: a plain text message to each; returns how many got it. */
    public int sendText(List<String> userIds, String body) {
        ObjectNode content = Json.object().put("msgtype", "m.text").put("body", body);
        for (String u : userIds) requireRecipient(u);
        int sent = 0;
        for (String u : userIds) {
            send(u, "m.room.message", null, content, null);
            sent++;
        }
        return sent;
    }

    /** The answer of a bulk notice transaction: how many got it, and whether an earlier request already sent it. */
    public record BulkResult(int sent, boolean repeated) {}

    /**
     * A bulk notice with a transaction id (PUT /_amtsbote/admin/v1/server_notices/{txnId}), at most once per admin
     * and txnId: a finished transaction is answered from the store without sending. Two layers, because a
     * request may die half-way: each recipient's message carries its own event transaction id (the event
     * store's unique index), so a retry after a crash sends only to those still missing; the stored answer
     * makes later retries cheap. Requests with the same key wait for each other (one lock stripe).
     */
    public BulkResult sendTextOnce(String adminUserId, String txnId, Supplier<List<String>> recipients, String body) {
        ReentrantLock lock = bulkLocks[Math.floorMod((adminUserId + "\u0000" + txnId).hashCode(), bulkLocks.length)];
        lock.lock();
        try {
            var done = store.noticeTxnSent(adminUserId, txnId);
            if (done.isPresent()) return new BulkResult(done.get(), true);
            List<String> userIds = recipients.get();
            ObjectNode content = Json.object().put("msgtype", "m.text").put("body", body);
            for (String u : userIds) requireRecipient(u);
            int sent = 0;
            for (String u : userIds) {
                String roomId = noticeRoomFor(u);
                // Scoped to the admin (not a device: the console may sign in again) and to the recipient.
                EventDraft.Txn txn = new EventDraft.Txn(systemUserId, "bulk|" + adminUserId, "/_amtsbote/server_notices/" + u, txnId);
                rooms.send(systemUserId, roomId, new EventDraft("m.room.message", null, content, null, txn));
                sent++;
            }
            store.saveNoticeTxn(adminUserId, txnId, sent, System.currentTimeMillis());
            return new BulkResult(sent, false);
        } finally {
            lock.unlock();
        }
    }

    /** Every user a notice "to all" reaches: active people, not bots and not the system user. */
    public List<String> allRecipients() {
        List<String> out = new ArrayList<>();
        for (AccountStore.User u : accounts.store().allUsers()) {
            if (!u.deactivated() && !u.userId().equals(systemUserId) && !isBot.test(u.userId())) out.add(u.userId());
        }
        return out;
    }

    private void requireRecipient(String userId) {
        if (userId == null || !Identifiers.isValidUserId(userId)) throw MatrixException.invalidParam("Not a user id: " + userId);
        if (!accounts.isLocal(userId)) throw MatrixException.unknown("Server notices can only be sent to local users");
        if (userId.equals(systemUserId)) throw MatrixException.invalidParam("The server notices user cannot receive notices");
        boolean active = accounts.user(userId).map(u -> !u.deactivated()).orElse(false);
        if (!active) throw MatrixException.notFound("User not found (or deactivated): " + userId);
    }

    /** The user's notices room, created or re-invited to as needed; one at a time per user. */
    private String noticeRoomFor(String userId) {
        ReentrantLock lock = roomLocks.computeIfAbsent(userId, k -> new ReentrantLock());
        lock.lock();
        try {
            String roomId = store.serverNoticeRoom(userId).orElse(null);
            Room room = roomId == null ? null : rooms.room(roomId);
            if (room == null || !room.joinedMembers().contains(systemUserId)) return createRoom(userId);
            Membership m = room.member(userId);
            if (m != Membership.JOIN && m != Membership.INVITE) {
                rooms.send(systemUserId, roomId, EventDraft.state("m.room.member", userId,
                        actions.memberContentFor(Membership.INVITE, userId)));
            }
            return roomId;
        } finally {
            lock.unlock();
        }
    }

    private String createRoom(String userId) {
        ensureSystemUser();
        RoomVersion version = RoomVersion.DEFAULT;
        List<EventDraft> drafts = new ArrayList<>();
        ObjectNode create = Json.object().put("room_version", version.id());
        if (version.createRequiresCreator()) create.put("creator", systemUserId);
        drafts.add(EventDraft.state("m.room.create", "", create));
        drafts.add(EventDraft.state("m.room.member", systemUserId, actions.memberContentFor(Membership.JOIN, systemUserId)));
        drafts.add(EventDraft.state("m.room.power_levels", "", readOnlyPowerLevels(version)));
        drafts.add(EventDraft.state("m.room.join_rules", "", Json.object().put("join_rule", "invite")));
        drafts.add(EventDraft.state("m.room.history_visibility", "", Json.object().put("history_visibility", "shared")));
        drafts.add(EventDraft.state("m.room.guest_access", "", Json.object().put("guest_access", "forbidden")));
        drafts.add(EventDraft.state("m.room.name", "", Json.object().put("name", roomName)));
        drafts.add(EventDraft.state("m.room.member", userId, actions.memberContentFor(Membership.INVITE, userId)));
        String roomId = rooms.createRoom(systemUserId, version, drafts,
                (ctx, id) -> store.setServerNoticeRoom(ctx, userId, id));
        // The tag is how clients recognise the room; a new room has no tags yet, so nothing is overwritten.
        ObjectNode tags = Json.object();
        tags.putObject("tags").putObject(TAG);
        accountData.put(userId, roomId, "m.tag", tags, () -> wake.accept(userId));
        return roomId;
    }

    /** Everything needs power 100, which only the system user has: the user reads but cannot send or change. */
    private ObjectNode readOnlyPowerLevels(RoomVersion version) {
        ObjectNode pl = Json.object();
        ObjectNode users = pl.putObject("users");
        // In v12 the creator's power is implicit (unlimited) and must not be listed.
        if (!version.creatorsHaveInfinitePower()) users.put(systemUserId, 100);
        pl.put("users_default", 0);
        pl.putObject("events");
        for (String key : List.of("events_default", "state_default", "invite", "kick", "ban", "redact")) pl.put(key, 100);
        pl.putObject("notifications").put("room", 100);
        return pl;
    }

    private void ensureSystemUser() {
        if (accounts.user(systemUserId).isPresent()) return;
        try {
            // Nobody knows the password: the system user never signs in.
            // Unguarded: the name is reserved (see the constructor) exactly so that only this code creates it.
            accounts.createUnguarded(Identifiers.localpartOf(systemUserId), Tokens.random(40), false, systemDisplayName);
        } catch (MatrixException e) {
            if (!"M_USER_IN_USE".equals(e.errcode())) throw e;
        }
    }
}
