package de.amtsbote.admin;

import de.amtsbote.storage.Database;

/**
 * Test helper: changes the database behind the application's back, as an attacker (or a database admin) with
 * direct access would; the application itself has no update or delete for the audit log.
 */
public final class AuditTamper {
    private AuditTamper() {}

    public static void sql(Database db, String sql) {
        db.write(ctx -> {
            try (var st = ctx.connection().createStatement()) {
                return st.executeUpdate(sql);
            }
        });
    }

    /** The tampering cases: what is changed, and which seq a verification must report as first broken. */
    public enum Kind {
        DETAILS("UPDATE audit_log SET details = '{\"admin\":true}' WHERE seq = 5", 5, "hash mismatch"),
        TARGET("UPDATE audit_log SET target = '@someone-else:test.local' WHERE seq = 7", 7, "hash mismatch"),
        ACTOR("UPDATE audit_log SET actor = '@mallory:test.local' WHERE seq = 3", 3, "hash mismatch"),
        DELETE_MIDDLE("DELETE FROM audit_log WHERE seq = 6", 6, "missing seq"),
        HASH("UPDATE audit_log SET hash = '" + "ab".repeat(32) + "' WHERE seq = 4", 4, "hash mismatch"),
        PREV_HASH("UPDATE audit_log SET prev_hash = '" + "cd".repeat(32) + "' WHERE seq = 8", 8, "prev_hash mismatch"),
        DETAILS_WHITESPACE("UPDATE audit_log SET details = '{\"n\": 2}' WHERE seq = 2", 2, "hash mismatch");

        public final String sql;
        public final long brokenSeq;
        public final String reasonStart;

        Kind(String sql, long brokenSeq, String reasonStart) {
            this.sql = sql;
            this.brokenSeq = brokenSeq;
            this.reasonStart = reasonStart;
        }
    }
}
