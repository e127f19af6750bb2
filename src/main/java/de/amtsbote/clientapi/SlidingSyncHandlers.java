package de.amtsbote.clientapi;

import static de.amtsbote.http.Router.Auth.USER;

import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Req;
import de.amtsbote.http.Router;
import de.amtsbote.sync.Presence;
import de.amtsbote.sync.sliding.SlidingRequest;
import de.amtsbote.sync.sliding.SlidingSyncService;

/** Simplified sliding sync (MSC4186) at its unstable path, the one Element X uses. */
public final class SlidingSyncHandlers implements Handlers {
    public static final String PATH = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";
    private final SlidingSyncService sliding;
    private final Presence presence;
    private final int maxTimeoutMs;

    public SlidingSyncHandlers(SlidingSyncService sliding, Presence presence, int maxTimeoutMs) {
        this.sliding = sliding;
        this.presence = presence;
        this.maxTimeoutMs = maxTimeoutMs;
    }

    @Override
    public void register(Router r) {
        r.add("POST", PATH, USER, this::sync);
    }

    private Object sync(Req req) throws InterruptedException {
        String timeout = req.query("timeout");
        Long t = timeout == null ? null : (long) req.queryInt("timeout", 0, 0, Integer.MAX_VALUE);
        com.fasterxml.jackson.databind.node.ObjectNode body = req.jsonOrEmpty();
        // The MSC moved set_presence into the body; older clients send it as a query parameter.
        String setPresence = req.query("set_presence") != null ? req.query("set_presence") : JsonFields.optString(body, "set_presence");
        if (setPresence != null && !Presence.STATES.contains(setPresence)) {
            throw MatrixException.invalidParam("'set_presence' must be online, offline or unavailable");
        }
        SlidingRequest parsed = SlidingRequest.parse(body, req.query("pos"), t);
        presence.syncing(req.userId(), setPresence);
        return sliding.sync(req.session(), parsed, maxTimeoutMs);
    }
}
