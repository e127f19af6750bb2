package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.storage.ToDeviceStore;
import java.util.List;

/**
 * Messages sent straight to the requesting device. Its token part is the newest message sent: a device with
 * more pending messages than one response carries gets the rest on its next sync, and a message is deleted
 * only once a later request presents a token past it (so a lost response loses nothing).
 */
final class ToDeviceStream implements SyncStream {
    /** Messages per response, as Synapse and Dendrite send. */
    static final int BATCH = 100;
    private final ToDeviceStore store;

    ToDeviceStream(ToDeviceStore store) { this.store = store; }

    @Override
    public void advance(SyncRequest req, SyncResponse resp) { resp.advanceToDevice(req.upTo()); }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) { return fill(req, resp, 0); }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) {
        long after = req.since().toDevice();
        store.acknowledge(req.userId(), req.session().deviceId(), after);
        return fill(req, resp, after);
    }

    private boolean fill(SyncRequest req, SyncResponse resp, long after) {
        List<ToDeviceStore.Message> msgs = store.pending(req.userId(), req.session().deviceId(), after, req.upTo(), BATCH);
        for (ToDeviceStore.Message msg : msgs) {
            ObjectNode e = resp.toDevice().addObject();
            e.put("sender", msg.sender());
            e.put("type", msg.type());
            e.set("content", msg.content());
        }
        // A full batch may have left messages behind: the next sync continues after the last one sent.
        if (msgs.size() == BATCH) resp.advanceToDevice(msgs.getLast().streamPos());
        return !msgs.isEmpty();
    }
}
