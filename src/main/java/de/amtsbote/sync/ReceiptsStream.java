package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.ReceiptStore;
import de.amtsbote.util.Json;

/** m.receipt in each joined room's ephemeral events (shares the server-wide stream position). */
final class ReceiptsStream implements SyncStream {
    private final Receipts receipts;

    ReceiptsStream(Receipts receipts) { this.receipts = receipts; }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) { return fill(req, resp); }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) { return fill(req, resp); }

    private boolean fill(SyncRequest req, SyncResponse resp) {
        if (!req.filter().ephemeral().matchesType("m.receipt")) return false;
        long after = req.sincePos();
        boolean content = false;
        for (String roomId : req.joinedRooms()) {
            if (receipts.lastPos(roomId) <= after) continue;
            ObjectNode rc = Json.object();
            for (ReceiptStore.Receipt r : receipts.since(roomId, after, req.upTo())) {
                if (r.type().equals("m.read.private") && !r.userId().equals(req.userId())) continue;
                if (r.type().equals("m.fully_read")) continue;
                if (req.ignored().contains(r.userId())) continue;
                ObjectNode byType = rc.has(r.eventId()) ? (ObjectNode) rc.get(r.eventId()) : rc.putObject(r.eventId());
                ObjectNode users = byType.has(r.type()) ? (ObjectNode) byType.get(r.type()) : byType.putObject(r.type());
                ObjectNode info = users.putObject(r.userId());
                info.put("ts", r.ts());
                if (!r.threadId().isEmpty()) info.put("thread_id", r.threadId());
            }
            if (rc.isEmpty()) continue;
            ObjectNode ev = resp.ephemeral(roomId).addObject();
            ev.put("type", "m.receipt");
            ev.set("content", rc);
            content = true;
        }
        return content;
    }
}
