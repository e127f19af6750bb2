package de.amtsbote.sync.sliding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.sync.SyncRequest;
import de.amtsbote.sync.SyncResponse;
import de.amtsbote.sync.SyncService;
import de.amtsbote.sync.SyncStream;
import de.amtsbote.sync.SyncToken;
import de.amtsbote.users.DeviceKeys;
import de.amtsbote.users.DeviceListChanges;
import de.amtsbote.util.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * The extensions to_device, e2ee, account_data, receipts and typing. Each runs the classic /sync stream of
 * the same kind (from {@link SyncService#stream}) on a scratch response and moves its output into the sliding
 * sync shape, so both APIs share one set of rules (which receipts one may see, when to-device messages are
 * deleted, ignored users, ...).
 */
final class SlidingExtensions {
    private final SyncService sync;
    private final DeviceKeys keys;
    private final DeviceListChanges deviceLists;

    SlidingExtensions(SyncService sync, DeviceKeys keys, DeviceListChanges deviceLists) {
        this.sync = sync;
        this.keys = keys;
        this.deviceLists = deviceLists;
    }

    SyncService sync() { return sync; }

    /** @param token where the next request's extensions continue */
    record Out(ObjectNode body, boolean content, SyncToken token, Map<String, Integer> oneTimeKeyCounts) {}

    /**
     * Fills the enabled extensions. req.since() is the connection's previous position (null on a new
     * connection); prevCounts the one-time key counts last sent, so that a claimed key wakes a long-poll.
     */
    Out build(SlidingRequest.Extensions ext, SyncRequest req, Long toDeviceSince, Map<String, Integer> prevCounts) {
        SyncResponse resp = new SyncResponse();
        resp.advancePos(req.upTo());
        if (req.since() != null) {
            resp.advanceTyping(req.since().typing());
            resp.advanceToDevice(req.since().toDevice());
        }
        ObjectNode out = Json.object();
        boolean content = false;
        // to_device has its own since token, which a client also sends when it starts a new connection (it
        // keeps the token across restarts): then messages it already has are acknowledged, not sent again.
        SyncResponse tdResp = resp;
        if (toDeviceSince != null) {
            tdResp = new SyncResponse();
            SyncToken since = new SyncToken(req.sincePos(), 0, 0, toDeviceSince);
            if (ext.toDevice()) {
                content |= run("to_device", new SyncRequest(req.session(), since, req.filter(), false, req.upTo(),
                        req.memberships(), req.ignored()), tdResp);
            } else {
                tdResp.advanceToDevice(toDeviceSince);
            }
        } else if (ext.toDevice()) {
            content |= run("to_device", req, resp);
        }
        if (ext.toDevice()) {
            ObjectNode td = out.putObject("to_device");
            td.put("next_batch", Long.toString(tdResp.nextBatch().toDevice()));
            td.set("events", tdResp.toDevice());
        }
        if (ext.accountData()) {
            content |= run("account_data", req, resp);
            ObjectNode ad = out.putObject("account_data");
            ad.set("global", resp.accountData());
            ObjectNode rooms = ad.putObject("rooms");
            for (Iterator<Map.Entry<String, JsonNode>> it = resp.joinSection().fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode evs = e.getValue().path("account_data").path("events");
                if (evs.isArray() && !evs.isEmpty()) rooms.set(e.getKey(), evs);
            }
        }
        if (ext.receipts()) content |= run("receipts", req, resp);
        if (ext.typing()) content |= run("typing", req, resp);
        if (ext.receipts()) out.putObject("receipts").set("rooms", ephemeral(resp, "m.receipt"));
        if (ext.typing()) out.putObject("typing").set("rooms", ephemeral(resp, "m.typing"));
        Map<String, Integer> counts = prevCounts;
        if (ext.e2ee()) {
            String user = req.userId();
            String device = req.session().deviceId();
            ObjectNode e2ee = out.putObject("e2ee");
            ObjectNode lists = e2ee.putObject("device_lists");
            ArrayNode changed = lists.putArray("changed");
            ArrayNode left = lists.putArray("left");
            if (req.since() != null) {
                DeviceListChanges.Changes c = deviceLists.between(user, req.sincePos(), req.upTo());
                c.changed().forEach(changed::add);
                c.left().forEach(left::add);
                content |= !c.changed().isEmpty() || !c.left().isEmpty();
            }
            counts = keys.oneTimeKeyCounts(user, device);
            ObjectNode otk = e2ee.putObject("device_one_time_keys_count");
            counts.forEach(otk::put);
            ArrayNode fb = e2ee.putArray("device_unused_fallback_key_types");
            keys.unusedFallbackKeyTypes(user, device).forEach(fb::add);
            content |= !counts.equals(prevCounts);
        }
        SyncToken t = resp.nextBatch();
        return new Out(out, content, new SyncToken(t.pos(), t.typing(), t.presence(), tdResp.nextBatch().toDevice()), counts);
    }

    private boolean run(String kind, SyncRequest req, SyncResponse resp) {
        SyncStream s = sync.stream(kind);
        s.advance(req, resp);
        return req.initial() ? s.initial(req, resp) : s.incremental(req, resp);
    }

    /** {roomId: event} for one ephemeral type, from the scratch response's rooms.join.*.ephemeral. */
    private static ObjectNode ephemeral(SyncResponse resp, String type) {
        ObjectNode rooms = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = resp.joinSection().fields(); it.hasNext(); ) {
            var e = it.next();
            for (JsonNode ev : e.getValue().path("ephemeral").path("events")) {
                if (ev.path("type").asText().equals(type)) rooms.set(e.getKey(), ev);
            }
        }
        return rooms;
    }
}
