package de.amtsbote.storage;

import java.sql.Connection;

/**
 * What a write sees: the writer's connection (inside a transaction) and the stream counter. Positions handed
 * out here become visible to readers together, when the batch commits.
 */
public interface WriteContext {
    Connection connection();

    /**
     * A prepared statement for the writer's connection, cached for the connection's life (preparing costs more
     * than running a small insert). Do not close it.
     */
    java.sql.PreparedStatement prepare(String sql) throws java.sql.SQLException;

    /** The next position of the server-wide stream that /sync tokens count. */
    long nextStreamPos();

    /**
     * Runs after the batch this write belongs to is durably committed and its stream positions are published
     * (e.g. waking long-polls). In-memory state that readers use to decide what to read must instead be
     * updated inside the write itself, before publishing (reads are bounded by the published position).
     */
    void afterCommit(Runnable action);
}
