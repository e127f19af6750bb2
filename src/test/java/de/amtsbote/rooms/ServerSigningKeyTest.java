package de.amtsbote.rooms;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.amtsbote.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSigningKeyTest {
    /** The seed published in the appendix "Cryptographic Test Vectors". */
    static ServerSigningKey specKey() {
        return ServerSigningKey.fromSeed("1", UnpaddedBase64.decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"));
    }

    @Test
    void signsEmptyObjectLikeTheSpec() {
        ObjectNode signed = specKey().signJson(Json.object(), "domain");
        assertEquals("K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ",
                signed.path("signatures").path("domain").path("ed25519:1").asText());
    }

    @Test
    void signsObjectWithDataLikeTheSpec() {
        ObjectNode json = Json.parseObject("{\"one\": 1, \"two\": \"Two\"}");
        specKey().signJson(json, "domain");
        assertEquals(Json.parse("""
                {"one": 1, "two": "Two", "signatures": {"domain": {"ed25519:1":
                 "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"}}}"""), json);
    }

    @Test
    void verifiesAndIgnoresUnsignedButDetectsTampering() {
        ServerSigningKey key = specKey();
        ObjectNode json = Json.parseObject("{\"a\": 1, \"unsigned\": {\"age\": 5}}");
        key.signJson(json, "domain");
        assertTrue(ServerSigningKey.verifyJson(json, "domain", "ed25519:1", key.publicKey()));
        json.putObject("unsigned").put("age", 99);
        assertTrue(ServerSigningKey.verifyJson(json, "domain", "ed25519:1", key.publicKey()));
        json.put("a", 2);
        assertFalse(ServerSigningKey.verifyJson(json, "domain", "ed25519:1", key.publicKey()));
        assertFalse(ServerSigningKey.verifyJson(json, "other", "ed25519:1", key.publicKey()));
        assertFalse(ServerSigningKey.verifyJson(json, "domain", "ed25519:1",
                ServerSigningKey.generate("x").publicKey()));
    }

    @Test
    void keepsOtherServersSignatures() {
        ObjectNode json = Json.parseObject("{\"signatures\": {\"other\": {\"ed25519:a\": \"sig\"}}}");
        specKey().signJson(json, "domain");
        assertEquals("sig", json.path("signatures").path("other").path("ed25519:a").asText());
        assertTrue(json.path("signatures").path("domain").has("ed25519:1"));
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        ServerSigningKey key = ServerSigningKey.generate("a_B1");
        Path file = dir.resolve("keys/signing.key");
        key.save(file);
        String text = Files.readString(file);
        assertTrue(text.matches("ed25519 a_B1 [A-Za-z0-9+/]{43}\n"), text);
        ServerSigningKey loaded = ServerSigningKey.load(file);
        assertEquals("ed25519:a_B1", loaded.keyId());
        assertEquals(key.publicKeyBase64(), loaded.publicKeyBase64());
        assertEquals(43, key.publicKeyBase64().length());
    }

    @Test
    void loadRejectsGarbage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "rsa 1 abc\n");
        assertThrows(java.io.IOException.class, () -> ServerSigningKey.load(file));
        assertThrows(IllegalArgumentException.class, () -> ServerSigningKey.generate("bad:version"));
    }
}
