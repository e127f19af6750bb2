package de.amtsbote.admin;

import static de.amtsbote.http.Router.Auth.ADMIN;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.clientapi.Handlers;
import de.amtsbote.http.MatrixException;
import de.amtsbote.http.Router;
import de.amtsbote.ldap.Ldap;
import de.amtsbote.util.Json;

/** GET /_amtsbote/admin/v1/ldap (state of the directory sync) and POST …/ldap/sync (sync now). Admins only. */
public final class LdapAdminHandlers implements Handlers {
    private final Ldap ldap;
    private final AdminAudit audit;

    public LdapAdminHandlers(Ldap ldap, AdminAudit audit) {
        this.ldap = ldap;
        this.audit = audit;
    }

    @Override
    public void register(Router r) {
        r.add("GET", "/_amtsbote/admin/v1/ldap", ADMIN, req -> ldap.status());
        r.add("POST", "/_amtsbote/admin/v1/ldap/sync", ADMIN, req -> {
            if (!ldap.enabled()) {
                throw MatrixException.unknown("LDAP is switched off: set ldap.enabled: true in amtsbote.yaml and restart");
            }
            ObjectNode result = ldap.sync().run();
            ObjectNode d = Json.object();
            d.put("ok", result.path("ok").asBoolean());
            for (String k : new String[] {"created", "updated", "locked", "unlocked", "joined", "kicked"}) {
                d.put(k, result.path(k).size());
            }
            audit.record(req, "ldap.sync", "ldap", d);
            return result;
        });
    }
}
