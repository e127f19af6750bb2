package de.amtsbote.storage;

import java.sql.SQLException;

/** A write that runs inside a batched transaction of the {@link GroupCommitWriter}. */
@FunctionalInterface
public interface WriteWork<T> {
    T run(WriteContext ctx) throws SQLException;
}
