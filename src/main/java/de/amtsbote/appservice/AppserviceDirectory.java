package de.amtsbote.appservice;

import de.amtsbote.storage.DirectoryStore;
import de.amtsbote.storage.WriteContext;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The alias directory as application services see it: an alias in a service's exclusive namespace can only be
 * created by that service's users (400 M_EXCLUSIVE), and an unknown alias in a service's namespace is asked
 * for (alias query) before it counts as not found.
 */
final class AppserviceDirectory implements DirectoryStore {
    private final DirectoryStore base;
    private final Appservices appservices;
    private final AppserviceQueries queries;

    AppserviceDirectory(DirectoryStore base, Appservices appservices, AppserviceQueries queries) {
        this.base = base;
        this.appservices = appservices;
        this.queries = queries;
    }

    @Override
    public boolean create(String alias, String roomId, String creator) {
        appservices.guardAlias(alias, creator);
        return base.create(alias, roomId, creator);
    }

    @Override
    public boolean insert(WriteContext ctx, String alias, String roomId, String creator) throws SQLException {
        appservices.guardAlias(alias, creator);
        return base.insert(ctx, alias, roomId, creator);
    }

    @Override
    public Optional<Alias> get(String alias) {
        Optional<Alias> found = base.get(alias);
        if (found.isPresent() || !queries.alias(alias)) return found;
        return base.get(alias);
    }

    @Override
    public boolean delete(String alias) { return base.delete(alias); }

    @Override
    public List<String> aliasesOf(String roomId) { return base.aliasesOf(roomId); }
}
