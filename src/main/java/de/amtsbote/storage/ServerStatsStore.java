package de.amtsbote.storage;

/** Counts for the admin status page. */
public interface ServerStatsStore {
    /** Local accounts that are not deactivated. */
    long activeUsers();

    /** Rooms known to this server. */
    long rooms();
}
