package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** Room aliases (#name:server). */
public interface DirectoryStore {
    record Alias(String alias, String roomId, String creator) {}

    /** Returns false if the alias is taken. */
    boolean create(String alias, String roomId, String creator);

    /** The same inside another write (room creation); false if the alias is taken. */
    boolean insert(WriteContext ctx, String alias, String roomId, String creator) throws java.sql.SQLException;

    Optional<Alias> get(String alias);

    boolean delete(String alias);

    List<String> aliasesOf(String roomId);
}
