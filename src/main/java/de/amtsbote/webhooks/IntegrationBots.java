package de.amtsbote.webhooks;

import de.amtsbote.http.MatrixException;
import de.amtsbote.rooms.Membership;
import de.amtsbote.rooms.Room;
import de.amtsbote.rooms.RoomActions;
import de.amtsbote.storage.AccountStore;
import de.amtsbote.storage.OutgoingRuleStore;
import de.amtsbote.storage.WebhookStore;
import de.amtsbote.users.Accounts;
import de.amtsbote.users.Tokens;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bot users that webhooks and outgoing rules post as: created on demand (no usable password), brought into
 * the room, and taken out of it again when the last hook or rule of that bot in that room is deleted.
 */
public final class IntegrationBots {
    private static final Logger LOG = Logger.getLogger(IntegrationBots.class.getName());
    private final Accounts accounts;
    private final RoomActions actions;
    private final WebhookStore hooks;
    private final OutgoingRuleStore rules;
    private final LongSupplier clock;

    public IntegrationBots(Accounts accounts, RoomActions actions, WebhookStore hooks, OutgoingRuleStore rules,
                           LongSupplier clock) {
        this.accounts = accounts;
        this.actions = actions;
        this.hooks = hooks;
        this.rules = rules;
        this.clock = clock;
    }

    RoomActions actions() { return actions; }

    /** The room id of a room id or alias; 404 if the room does not exist here. */
    String existingRoom(String roomIdOrAlias) {
        String roomId = actions.resolve(roomIdOrAlias);
        if (actions.rooms().room(roomId) == null) throw MatrixException.notFound("Room not found");
        return roomId;
    }

    /**
     * Makes sure the bot exists and is joined to the room; returns its user id. An existing user is only used
     * if the server created it as a bot, so no human's account can be made to post. The admin invites the bot
     * if the admin is in the room; otherwise the room must let it join (public room or earlier invitation).
     */
    String ensureInRoom(String adminUserId, String roomId, String botLocalpart, String displayname, String reason) {
        String botUserId = accounts.userId(botLocalpart);
        Optional<AccountStore.User> existing = accounts.user(botUserId);
        if (existing.isEmpty()) {
            // Nobody knows the password: the bot only posts through its hooks and rules.
            accounts.createUser(botLocalpart, Tokens.random(40), false, displayname);
        } else if (existing.get().deactivated() || !hooks.isBot(botUserId)) {
            throw new MatrixException(400, "M_USER_IN_USE", "User " + botUserId + " exists and is not a webhook bot");
        }
        hooks.markBot(botUserId, clock.getAsLong());
        Room room = actions.rooms().room(roomId);
        if (room.member(botUserId) != Membership.JOIN) {
            if (room.member(adminUserId) == Membership.JOIN && room.member(botUserId) != Membership.INVITE) {
                actions.invite(adminUserId, roomId, botUserId, reason, false);
            }
            actions.join(botUserId, roomId, reason);
        }
        return botUserId;
    }

    /** After a hook or rule was deleted: the bot leaves the room unless another hook or rule there uses it. */
    void leaveIfUnused(String botUserId, String roomId, String reason) {
        boolean used = hooks.all().stream().anyMatch(h -> h.botUserId().equals(botUserId) && h.roomId().equals(roomId))
                || rules.all().stream().anyMatch(r -> r.botUserId().equals(botUserId) && r.roomId().equals(roomId));
        if (used) return;
        Room room = actions.rooms().room(roomId);
        if (room == null || room.member(botUserId) != Membership.JOIN && room.member(botUserId) != Membership.INVITE) return;
        try {
            actions.leave(botUserId, roomId, reason);
        } catch (MatrixException e) {
            // The hook is gone either way; a room that refuses the leave (should not happen) is only logged.
            LOG.log(Level.WARNING, "bot " + botUserId + " could not leave " + roomId + ": " + e.getMessage());
        }
    }
}
