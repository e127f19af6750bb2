package de.amtsbote.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** A piece of database work on one connection. */
@FunctionalInterface
public interface Sql<T> {
    T run(Connection c) throws SQLException;
}
