package de.amtsbote.push;

import de.amtsbote.util.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The server's VAPID key (RFC 8292): a P-256 key that identifies Amtsbote to the browsers' push services. The
 * browser subscribes with its public key and the push service only accepts pushes signed by it. Kept in a file
 * next to the server signing key; losing it means every web subscription has to be made again.
 */
public final class VapidKey {
    private static final String FILE_TAG = "vapid-p256";
    /** RFC 8292 section 2: exp no more than 24 hours ahead; a margin for clocks that run ahead. */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;

    VapidKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static VapidKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(P256.PARAMS);
            KeyPair kp = g.generateKeyPair();
            return new VapidKey((ECPrivateKey) kp.getPrivate(), (ECPublicKey) kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the key file, or creates it (owner-only) on first start. */
    public static VapidKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) return load(file);
        VapidKey key = generate();
        key.save(file);
        return key;
    }

    /** File format: one line {@code vapid-p256 <private scalar> <public point>}, both unpadded base64url. */
    static VapidKey load(Path file) throws IOException {
        String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
        if (parts.length != 3 || !parts[0].equals(FILE_TAG)) {
            throw new IOException("VAPID key file " + file + ": expected '" + FILE_TAG + " <private> <public>'");
        }
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            return new VapidKey(P256.privateKey(d.decode(parts[1])), P256.publicKey(d.decode(parts[2])));
        } catch (IllegalArgumentException e) {
            throw new IOException("VAPID key file " + file + ": " + e.getMessage(), e);
        }
    }

    void save(Path file) throws IOException {
        String line = FILE_TAG + " " + B64.encodeToString(P256.scalar(privateKey)) + " " + publicKeyBase64() + "\n";
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".vapid-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system.
            }
            Files.writeString(tmp, line, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The public key as the browser's pushManager.subscribe wants it (applicationServerKey). */
    public String publicKeyBase64() { return B64.encodeToString(P256.uncompressed(publicKey)); }

    ECPublicKey publicKey() { return publicKey; }

    /**
     * The Authorization header for a push to this endpoint (RFC 8292 section 3): {@code vapid t=<JWT>, k=<key>}.
     * subject: a mailto: or https: contact, or null (the claim is optional).
     */
    String authorization(URI endpoint, String subject, Instant now) {
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        var claims = Json.object().put("aud", audience).put("exp", now.plus(TOKEN_LIFETIME).getEpochSecond());
        if (subject != null) claims.put("sub", subject);
        return "vapid t=" + jwt(Json.write(claims)) + ", k=" + publicKeyBase64();
    }

    /** An ES256 JWT (RFC 7515/7518): the signature is R || S, 64 bytes (not the DER that Java signs by default). */
    private String jwt(String claimsJson) {
        String signingInput = B64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8))
                + "." + B64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            // The P1363 format is exactly JWS's R || S, each 32 bytes.
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(privateKey);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a VAPID token", e);
        }
    }
}
