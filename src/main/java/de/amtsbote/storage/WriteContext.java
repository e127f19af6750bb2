package de.amtsbote.storage;

import java.sql.Connection;

/**
 * What a write sees: the writer's connection (inside a transaction) and the stream counter. Positions handed
 * out here become visible to readers together, when the batch commits.
 */
public interface WriteContext {
    Connection connection();

    /** The next position of the server-wide stream that /sync tokens count. */
    long nextStreamPos();

    /** Runs after the batch this write belongs to is durably committed (e.g. waking long-polls). */
    void afterCommit(Runnable action);
}
