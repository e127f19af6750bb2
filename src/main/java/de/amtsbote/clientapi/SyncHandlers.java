package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.rooms.RoomService;
import de.amtsbote.storage.AccountDataStore;
import de.amtsbote.sync.Notifier;
import de.amtsbote.sync.Presence;
import de.amtsbote.sync.Receipts;
import de.amtsbote.sync.SyncFilter;
import de.amtsbote.sync.SyncService;
import de.amtsbote.sync.SyncToken;
import de.amtsbote.sync.Typing;
import de.amtsbote.storage.EventStore.StoredEvent;
import de.amtsbote.util.Json;
import java.util.Set;

/** /sync and the ephemeral things it carries: typing, receipts, read markers. */
public final class SyncHandlers implements Handlers {
    private final SyncService sync;
    private final RoomService rooms;
    private final Typing typing;
    private final Receipts receipts;
    private final AccountDataStore accountData;
    private final Notifier notifier;
    private final int maxTimeoutMs;
    private final Presence presence;

    public SyncHandlers(SyncService sync, RoomService rooms, Typing typing, Receipts receipts,
                        AccountDataStore accountData, Notifier notifier, int maxTimeoutMs, Presence presence) {
        this.presence = presence;
        this.notifier = notifier;
        this.sync = sync;
        this.rooms = rooms;
        this.typing = typing;
        this.receipts = receipts;
        this.accountData = accountData;
        this.maxTimeoutMs = maxTimeoutMs;
    }

    @Override
    public void register(Router r) {
        r.client("GET", "/sync", USER, this::sync);
        r.client("PUT", "/rooms/{roomId}/typing/{userId}", USER, req -> {
            if (!req.userId().equals(req.path("userId"))) throw MatrixException.forbidden("You can only set your own typing state");
            ObjectNode b = req.json();
            Boolean t = JsonFields.optBoolean(b, "typing");
            if (t == null) throw MatrixException.badJson("'typing' is required");
            Long timeout = JsonFields.optLong(b, "timeout");
            var room = rooms.requireJoined(req.path("roomId"), req.userId());
            typing.set(room.roomId(), req.userId(), t, timeout == null ? 30_000 : timeout);
            presence.active(req.userId());
            return Json.object();
        });
        r.client("POST", "/rooms/{roomId}/receipt/{receiptType}/{eventId}", USER, req -> {
            ObjectNode b = req.jsonOrEmpty();
            String thread = JsonFields.optString(b, "thread_id");
            String type = req.path("receiptType");
            if (type.equals("m.fully_read")) {
                setFullyRead(req, req.path("roomId"), req.path("eventId"));
            } else {
                receipts.send(req.userId(), req.path("roomId"), type, req.path("eventId"), thread);
            }
            presence.active(req.userId());
            return Json.object();
        });
        r.client("POST", "/rooms/{roomId}/read_markers", USER, req -> {
            ObjectNode b = req.json();
            String roomId = req.path("roomId");
            String fully = JsonFields.optString(b, "m.fully_read");
            String read = JsonFields.optString(b, "m.read");
            String priv = JsonFields.optString(b, "m.read.private");
            if (fully != null) setFullyRead(req, roomId, fully);
            if (read != null) receipts.send(req.userId(), roomId, "m.read", read, null);
            if (priv != null) receipts.send(req.userId(), roomId, "m.read.private", priv, null);
            return Json.object();
        });
        r.client("GET", "/presence/{userId}/status", USER, req -> {
            String user = req.path("userId");
            // Presence is shared with the people one shares a room with, not with everyone.
            if (!presence.sharesRoom(req.userId(), user)) throw MatrixException.forbidden("You cannot see this user's presence");
            return presence.content(user);
        });
        r.client("PUT", "/presence/{userId}/status", USER, req -> {
            if (!req.userId().equals(req.path("userId"))) throw MatrixException.forbidden("You can only set your own presence");
            ObjectNode b = req.json();
            String p = JsonFields.optString(b, "presence");
            if (p == null || !Presence.STATES.contains(p)) throw MatrixException.badJson("'presence' must be online, offline or unavailable");
            presence.set(req.userId(), p, JsonFields.optString(b, "status_msg"));
            return Json.object();
        });
    }

    /** m.fully_read is room account data, but clients set it through receipts/read markers. */
    private void setFullyRead(Req req, String roomId, String eventId) {
        var room = rooms.requireJoined(roomId, req.userId());
        StoredEvent e = rooms.requireEventIn(roomId, eventId);
        ObjectNode content = Json.object();
        content.put("event_id", eventId);
        String user = req.userId();
        accountData.put(user, roomId, "m.fully_read", content, () -> notifier.wake(user));
    }

    private Object sync(Req req) throws InterruptedException {
        String since = req.query("since");
        SyncToken token = since == null ? null : SyncToken.parse(since);
        if (token != null && token.pos() > rooms.streamPos()) {
            throw MatrixException.invalidParam("The 'since' token is from the future; please do an initial sync");
        }
        long timeout = req.queryInt("timeout", 0, 0, Integer.MAX_VALUE);
        timeout = Math.min(timeout, maxTimeoutMs);
        boolean fullState = req.queryBool("full_state", false);
        String setPresence = req.query("set_presence");
        if (setPresence != null && !Presence.STATES.contains(setPresence)) {
            throw MatrixException.invalidParam("'set_presence' must be online, offline or unavailable");
        }
        SyncFilter filter = filter(req);
        presence.syncing(req.userId(), setPresence);
        return sync.sync(req.session(), token, filter, timeout, fullState);
    }

    private SyncFilter filter(Req req) {
        String f = req.query("filter");
        if (f == null || f.isEmpty()) return SyncFilter.DEFAULT;
        if (f.startsWith("{")) {
            JsonNode n;
            try {
                n = Json.parse(f);
            } catch (RuntimeException e) {
                throw MatrixException.badJson("'filter' is not valid JSON");
            }
            if (!(n instanceof ObjectNode o)) throw MatrixException.badJson("'filter' must be a JSON object");
            return SyncFilter.parse(o);
        }
        ObjectNode stored = accountData.filter(req.userId(), f)
                .orElseThrow(() -> MatrixException.notFound("No filter with id " + f));
        return SyncFilter.parse(stored);
    }
}
