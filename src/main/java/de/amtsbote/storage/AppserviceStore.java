package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/**
 * The durable transaction queue of application services. Events are not copied: a service's stream position
 * says how far the events table has been turned into transactions; a built transaction is stored as sent.
 */
public interface AppserviceStore {
    /** A transaction waiting for the service's 2xx. */
    record Txn(String asId, long txnId, String body) {}

    /** The service's stream position; on first sight it starts at startPos (no history is replayed). */
    long positionOrStart(String asId, long startPos);

    /** Events with after &lt; stream_pos &lt;= upTo, oldest first, at most limit. */
    List<EventStore.StoredEvent> eventsBetween(long after, long upTo, int limit);

    /** The oldest unacknowledged transaction of the service. */
    Optional<Txn> oldestTxn(String asId);

    /** Stores a new transaction (next txn id) and moves the stream position, in one write; returns it. */
    Txn addTxn(String asId, long newPos, String body, long now);

    /** Moves the stream position past events the service is not interested in. */
    void advance(String asId, long newPos);

    /** The service acknowledged the transaction. */
    void deleteTxn(String asId, long txnId);

    /** How many transactions wait for the service (for tests and status). */
    int pendingCount(String asId);
}
