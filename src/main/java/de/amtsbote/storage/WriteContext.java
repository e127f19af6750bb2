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

    /*
     * The commit-listener rule, in one place. Readers bound every read by the published stream position and
     * consult in-memory hints ("anything newer for this user?") to skip reads. So:
     *   1. hints are updated once the batch is durable but before its positions are published (onCommitting):
     *      an early hint is harmless, a late one would let a /sync move its token past a row it never read;
     *   2. long-polls are woken after publishing (afterCommit), so a woken reader finds the rows;
     *   3. if the write or its batch fails, hints never run and onRollback undoes whatever the caller changed
     *      ahead of the write (e.g. a room's in-memory state).
     */

    /**
     * Runs on the writer thread when the batch this write belongs to has committed, before its stream
     * positions are published, in write order: the place to update in-memory hints readers use.
     */
    void onCommitting(Runnable hint);

    /**
     * Runs after the batch this write belongs to is durably committed and its stream positions are published
     * (e.g. waking long-polls).
     */
    void afterCommit(Runnable action);

    /**
     * Runs on the writer thread if this write fails or its batch does not commit (nothing of it is stored).
     */
    void onRollback(Runnable undo);
}
