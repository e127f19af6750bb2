package de.amtsbote.storage;

import java.util.List;

/** Which users are bot accounts (created by an admin for scripts). */
public interface BotStore {
    record Bot(String userId, String createdBy, long createdTs) {}

    void add(Bot bot);

    boolean isBot(String userId);

    List<Bot> all();
}
