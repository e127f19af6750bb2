package de.amtsbote.appservice;

import java.io.IOException;
import java.util.logging.Logger;

/**
 * Asks the services whether a user or alias in their namespaces exists (spec: querying). A 2xx means the
 * service has just created it, so the caller looks again; anything else (404, unreachable) means it does not.
 */
final class AppserviceQueries {
    private static final Logger LOG = Logger.getLogger(AppserviceQueries.class.getName());

    private final Appservices appservices;
    private final AppserviceClient client;

    AppserviceQueries(Appservices appservices, AppserviceClient client) {
        this.appservices = appservices;
        this.client = client;
    }

    /** True if a service with the user in its users namespace answered 2xx. */
    boolean user(String userId) {
        if (!userId.endsWith(":" + appservices.serverName())) return false;
        for (Registration as : appservices.all()) {
            if (as.url() == null || !as.isInterestedInUser(userId, appservices.serverName())) continue;
            if (ask(as, true, userId)) return true;
        }
        return false;
    }

    /** True if a service with the alias in its aliases namespace answered 2xx. */
    boolean alias(String alias) {
        for (Registration as : appservices.all()) {
            if (as.url() == null || !as.isInterestedInAlias(alias)) continue;
            if (ask(as, false, alias)) return true;
        }
        return false;
    }

    private boolean ask(Registration as, boolean user, String id) {
        try {
            AppserviceClient.Answer a = user ? client.queryUser(as, id) : client.queryAlias(as, id);
            return a.ok();
        } catch (IOException e) {
            LOG.fine(() -> "application service " + as.id() + " did not answer the query for " + id + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
