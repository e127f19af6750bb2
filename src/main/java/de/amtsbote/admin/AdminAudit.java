package de.amtsbote.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.Req;

/**
 * Where every administrative act is recorded (who, what, target, when, from where) for the audit log.
 * Admin handlers call {@link #record} after an act has succeeded; acts that fail are not recorded.
 *
 * <p>Action names are short dotted verbs, e.g. {@code user.create}, {@code user.lock}, {@code device.wipe},
 * {@code room.delete}, {@code webhook.create}, {@code bot.token.revoke}; {@code target} is the user, room,
 * device or hook acted on; {@code details} holds the act's parameters, never a password, token or secret.
 */
public interface AdminAudit {
    void record(Req req, String action, String target, ObjectNode details);

    /**
     * An act not done through an HTTP request (directory sync, CLI): {@code actor} names who did it,
     * e.g. {@code "ldap-sync"} or {@code "cli"}.
     */
    void recordSystem(String actor, String action, String target, ObjectNode details);
}
