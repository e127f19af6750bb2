package de.amtsbote.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.users.DeviceKeys;
import de.amtsbote.users.DeviceListChanges;

/**
 * End-to-end encryption state of the requesting device: whose device lists changed or who no longer shares a
 * room (device_lists, incremental syncs only: a first sync makes the client query everyone anyway), and the
 * device's one-time key counts and unused fallback key types (on every response; the client tops its keys up
 * from them). Device-list changes are on the server-wide stream, so next_batch's pos covers them.
 */
final class DeviceListsStream implements SyncStream {
    private final DeviceKeys keys;
    private final DeviceListChanges changes;

    DeviceListsStream(DeviceKeys keys, DeviceListChanges changes) {
        this.keys = keys;
        this.changes = changes;
    }

    @Override
    public boolean initial(SyncRequest req, SyncResponse resp) {
        counts(req, resp);
        return false;
    }

    @Override
    public boolean incremental(SyncRequest req, SyncResponse resp) {
        counts(req, resp);
        DeviceListChanges.Changes c = changes.between(req.userId(), req.sincePos(), req.upTo());
        if (c.changed().isEmpty() && c.left().isEmpty()) return false;
        ObjectNode lists = resp.body().putObject("device_lists");
        c.changed().forEach(lists.putArray("changed")::add);
        c.left().forEach(lists.putArray("left")::add);
        return true;
    }

    /** Counts are not content: a claim alone does not end a long-poll (as in Synapse); the next answer has them. */
    private void counts(SyncRequest req, SyncResponse resp) {
        String device = req.session().deviceId();
        ObjectNode otk = resp.body().putObject("device_one_time_keys_count");
        // Always listed (as Synapse does): clients read a missing algorithm as "unknown", not as zero.
        otk.put("signed_curve25519", 0);
        keys.oneTimeKeyCounts(req.userId(), device).forEach(otk::put);
        ArrayNode fallback = resp.body().putArray("device_unused_fallback_key_types");
        keys.unusedFallbackKeyTypes(req.userId(), device).forEach(fallback::add);
    }
}
