package de.amtsbote.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.rooms.CanonicalJson;
import de.amtsbote.storage.AuditStore;
import de.amtsbote.storage.StorageException;
import de.amtsbote.util.Json;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The parts of the audit log that need no database: cells, secret removal, failure handling, the hash. */
class AuditLogUnitTest {
    @Test
    void csvCellsAreQuotedAndFormulasDefused() {
        assertEquals("plain", AuditExport.cell("plain"));
        assertEquals("", AuditExport.cell(null));
        assertEquals("\"a,b\"", AuditExport.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", AuditExport.cell("say \"hi\""));
        assertEquals("\"two\nlines\"", AuditExport.cell("two\nlines"));
        assertEquals("\"a;b\"", AuditExport.cell("a;b"), "semicolon: the German Excel separator");
        assertEquals("'=1+1", AuditExport.cell("=1+1"));
        assertEquals("'+49 30 1234", AuditExport.cell("+49 30 1234"));
        assertEquals("'-2", AuditExport.cell("-2"));
        assertEquals("'@admin:stadt.example", AuditExport.cell("@admin:stadt.example"));
        assertEquals("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"", AuditExport.cell("=HYPERLINK(\"x\",\"y\")"));
        assertEquals("'\tx", AuditExport.cell("\tx"));
        assertEquals("a=b", AuditExport.cell("a=b"), "only a leading sign starts a formula");
    }

    @Test
    void secretsNeverReachTheLog() {
        ObjectNode d = Json.object().put("username", "erika").put("password", "x").put("new_password", "y")
                .put("access_token", "syt_abc").put("shared_secret", "z").put("token_name", "nightly").put("ratio", 0.5);
        d.putObject("nested").put("Password", "p");
        ObjectNode clean = AuditLog.withoutSecrets(d);
        assertEquals("{\"access_token\":\"[removed]\",\"nested\":{\"Password\":\"[removed]\"},\"new_password\":\"[removed]\","
                + "\"password\":\"[removed]\",\"ratio\":\"0.5\",\"shared_secret\":\"[removed]\",\"token_name\":\"nightly\","
                + "\"username\":\"erika\"}", CanonicalJson.encode(clean));
        assertEquals("x", d.get("password").asText(), "the caller's object is not changed");
        assertEquals(Json.object(), AuditLog.withoutSecrets(null));
    }

    @Test
    void aFailedRecordIsRetriedThenLoggedButDoesNotFailTheAct() {
        AtomicInteger tries = new AtomicInteger();
        AuditStore broken = new AuditStore() {
            public Entry append(Draft draft, String genesis, Chain chain) {
                tries.incrementAndGet();
                throw new StorageException("database gone", null);
            }
            public List<Entry> newestFirst(Long fromSeq, Filter filter, int limit) { return List.of(); }
            public List<Entry> ascending(long afterSeq, int limit) { return List.of(); }
        };
        new AuditLog(broken, () -> 1L).recordSystem("cli", "user.create", "@a:b", Json.object());
        assertEquals(10, tries.get());
    }

    @Test
    void hashCoversEveryField() {
        AuditStore.Draft d = new AuditStore.Draft(1700000000000L, "@admin:x", "10.0.0.1", "user.lock", "@a:x", "{\"k\":1}");
        String h = AuditChain.hash(1, AuditChain.GENESIS, d);
        assertEquals(64, h.length());
        // The canonical form is documented (docs/admin-api.md), so others can recompute it.
        assertEquals("{\"action\":\"user.lock\",\"actor\":\"@admin:x\",\"details\":{\"k\":1},\"ip\":\"10.0.0.1\","
                + "\"prev_hash\":\"" + AuditChain.GENESIS + "\",\"seq\":1,\"target\":\"@a:x\",\"ts\":1700000000000}",
                new String(AuditChain.canonical(1, AuditChain.GENESIS, d), java.nio.charset.StandardCharsets.UTF_8));
        List<String> variants = List.of(
                AuditChain.hash(2, AuditChain.GENESIS, d),
                AuditChain.hash(1, "1".repeat(64), d),
                AuditChain.hash(1, AuditChain.GENESIS, new AuditStore.Draft(1700000000001L, "@admin:x", "10.0.0.1", "user.lock", "@a:x", "{\"k\":1}")),
                AuditChain.hash(1, AuditChain.GENESIS, new AuditStore.Draft(1700000000000L, "@admim:x", "10.0.0.1", "user.lock", "@a:x", "{\"k\":1}")),
                AuditChain.hash(1, AuditChain.GENESIS, new AuditStore.Draft(1700000000000L, "@admin:x", null, "user.lock", "@a:x", "{\"k\":1}")),
                AuditChain.hash(1, AuditChain.GENESIS, new AuditStore.Draft(1700000000000L, "@admin:x", "10.0.0.1", "user.unlock", "@a:x", "{\"k\":1}")),
                AuditChain.hash(1, AuditChain.GENESIS, new AuditStore.Draft(1700000000000L, "@admin:x", "10.0.0.1", "user.lock", null, "{\"k\":1}")),
                AuditChain.hash(1, AuditChain.GENESIS, new AuditStore.Draft(1700000000000L, "@admin:x", "10.0.0.1", "user.lock", "@a:x", "{\"k\":2}")));
        for (String v : variants) assertFalse(v.equals(h));
    }
}
