package de.amtsbote.storage;

import java.util.List;
import java.util.Optional;

/** Outgoing rules: which messages of a room are sent, signed, to which external URL. */
public interface OutgoingRuleStore {
    /**
     * kind is "pattern" (pattern = a regular expression) or "command" (pattern = the command word, e.g.
     * "!ticket"). secret signs the calls; it must never leave the server after creation.
     */
    record Rule(String id, String roomId, String name, String kind, String pattern, String url, String botUserId,
                String secret, String createdBy, long createdTs) {}

    /** False if the room already has a rule of that name. */
    boolean create(Rule rule);

    Optional<Rule> get(String id);

    List<Rule> all();

    /** False if there was none. */
    boolean delete(String id);
}
