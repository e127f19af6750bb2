package de.amtsbote.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VAPID (RFC 8292): the key file, and the token a push service checks. */
class VapidKeyTest {
    @Test
    void theTokenIsAnEs256JwtForTheEndpointsOrigin() throws Exception {
        VapidKey key = VapidKey.generate();
        String header = key.authorization(URI.create("https://push.example.net:8443/wpush/v2/abc?x=1"),
                "https://amtsbote.example.org/", Instant.now());
        JsonNode claims = WebPushTestSupport.verifyVapid(header, key.publicKeyBase64(), "https://push.example.net:8443");
        assertEquals("https://amtsbote.example.org/", claims.get("sub").asText());
        // Without a contact the optional sub claim is left out rather than made up.
        JsonNode anonymous = WebPushTestSupport.verifyVapid(
                key.authorization(URI.create("https://fcm.googleapis.com/fcm/send/x"), null, Instant.now()),
                key.publicKeyBase64(), "https://fcm.googleapis.com");
        assertFalse(anonymous.has("sub"));
        // A token signed by another key does not verify under this key (the check is real).
        VapidKey other = VapidKey.generate();
        String forged = other.authorization(URI.create("https://push.example.net/x"), null, Instant.now())
                .replace("k=" + other.publicKeyBase64(), "k=" + key.publicKeyBase64());
        assertThrows(AssertionError.class,
                () -> WebPushTestSupport.verifyVapid(forged, key.publicKeyBase64(), "https://push.example.net"));
    }

    @Test
    void theKeyIsCreatedOnceOwnerOnlyAndReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("signing.key.vapid");
        VapidKey created = VapidKey.loadOrCreate(file);
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        VapidKey again = VapidKey.loadOrCreate(file);
        assertEquals(created.publicKeyBase64(), again.publicKeyBase64());
        // The key read back signs tokens that verify under the original public key.
        WebPushTestSupport.verifyVapid(again.authorization(URI.create("https://push.example.net/x"), null, Instant.now()),
                created.publicKeyBase64(), "https://push.example.net");
        assertEquals(65, java.util.Base64.getUrlDecoder().decode(created.publicKeyBase64()).length);
    }
}
