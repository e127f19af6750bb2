package de.amtsbote.storage.jdbc;

import de.amtsbote.storage.AuditStore;
import de.amtsbote.storage.Database;
import de.amtsbote.storage.WriteContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditStore} in SQL that SQLite and PostgreSQL both accept. Only INSERT and SELECT, by design. */
public final class JdbcAuditStore implements AuditStore {
    /** Key of the PostgreSQL advisory lock that serialises appends across processes ("Audi" in ASCII). */
    private static final long ADVISORY_LOCK = 0x41756469L;
    private static final String COLUMNS = "seq, ts, actor, ip, action, target, details, prev_hash, hash";
    private final Database db;

    public JdbcAuditStore(Database db) { this.db = db; }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    @Override
    public Entry append(Draft d, String genesis, Chain chain) {
        // On the single writer: within this process appends are serialised; the head is read in the same
        // transaction as the insert, and seq/prev_hash are unique, so another process can never fork the chain.
        return db.write(ctx -> {
            claimHead(ctx);
            long lastSeq = 0;
            String prev = genesis;
            try (ResultSet rs = ctx.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").executeQuery()) {
                if (rs.next()) {
                    lastSeq = rs.getLong(1);
                    prev = rs.getString(2);
                }
            }
            long seq = lastSeq + 1;
            String hash = chain.hash(seq, prev, d);
            Q.update(ctx, "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)",
                    seq, d.ts(), d.actor(), d.ip(), d.action(), d.target(), d.details(), prev, hash);
            return new Entry(seq, d.ts(), d.actor(), d.ip(), d.action(), d.target(), d.details(), prev, hash);
        });
    }

    /**
     * Makes a second process (the CLI while the server runs) wait instead of clashing: PostgreSQL takes a lock
     * held until this transaction ends; SQLite takes the database's write lock with a write that changes
     * nothing, before reading the head (a deferred transaction that read first could not wait for the lock).
     */
    private void claimHead(WriteContext ctx) throws SQLException {
        if (db.dialect() == Database.Dialect.POSTGRESQL) {
            ctx.prepare("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK + ")").execute();
        } else {
            ctx.prepare("UPDATE audit_log SET seq = seq WHERE seq < 0").executeUpdate();
        }
    }

    @Override
    public List<Entry> newestFirst(Long fromSeq, Filter f, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (fromSeq != null) {
            sql.append(" AND seq <= ?");
            args.add(fromSeq);
        }
        if (f.action() != null) {
            sql.append(" AND action = ?");
            args.add(f.action());
        }
        if (f.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(f.actor());
        }
        if (f.target() != null) {
            sql.append(" AND target = ?");
            args.add(f.target());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return db.read(c -> Q.list(c, sql.toString(), JdbcAuditStore::entry, args.toArray()));
    }

    @Override
    public List<Entry> ascending(long afterSeq, int limit) {
        return db.read(c -> Q.list(c, "SELECT " + COLUMNS + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                JdbcAuditStore::entry, afterSeq, limit));
    }
}
