package de.amtsbote.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.http.Req;
import java.util.logging.Logger;

/**
 * Interim {@link AdminAudit} that writes each act to the server log, for components wired before the
 * hash-chained audit log exists on this branch. Replace it with the real implementation when that is merged.
 */
public final class LoggedAdminAudit implements AdminAudit {
    private static final Logger LOG = Logger.getLogger("de.amtsbote.audit");

    @Override
    public void record(Req req, String action, String target, ObjectNode details) {
        LOG.info("admin act: " + req.userId() + " from " + req.remoteAddress() + ": " + action + " " + target + " " + details);
    }

    @Override
    public void recordSystem(String actor, String action, String target, ObjectNode details) {
        LOG.info("admin act: " + actor + ": " + action + " " + target + " " + details);
    }
}
