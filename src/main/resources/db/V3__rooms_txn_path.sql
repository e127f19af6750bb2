-- Transaction ids are scoped to the device and the HTTP path (client-server spec, "Transaction identifiers"):
-- the same txnId in another room or for another event type is a new request. txn_path is the endpoint
-- without its txnId, e.g. /rooms/!r:example.org/send/m.room.message. Transactions stored before this
-- version had no path; they get the path '/legacy', which no request has, so they can never swallow a new
-- request (at worst a client retrying across the upgrade sends its message once more).
ALTER TABLE events ADD COLUMN txn_path TEXT;
UPDATE events SET txn_path = '/legacy' WHERE txn_id IS NOT NULL;
DROP INDEX events_txn;
-- Events without a transaction have NULLs here, which unique indexes treat as distinct in both databases.
CREATE UNIQUE INDEX events_txn ON events (sender, txn_device, txn_path, txn_id);
