package de.amtsbote.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The homeserver's Ed25519 signing key, identified as {@code ed25519:<version>}. We use BouncyCastle's
 * low-level Ed25519 because it builds a key straight from the 32-byte seed, which is what the key file and
 * the spec's test vectors contain.
 */
public final class ServerSigningKey {
    private static final String ALGORITHM = "ed25519";

    private final String version;
    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private ServerSigningKey(String version, byte[] seed) {
        if (version == null || !version.matches("[a-zA-Z0-9_]+")) {
            // The spec restricts key versions to [a-zA-Z0-9_]; anything else would break "ed25519:<version>" ids.
            throw new IllegalArgumentException("invalid key version: " + version);
        }
        if (seed.length != 32) throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
        this.version = version;
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    public static ServerSigningKey generate(String version) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return new ServerSigningKey(version, seed);
    }

    /** Builds a key from a known seed (test vectors, or keys imported from elsewhere). */
    public static ServerSigningKey fromSeed(String version, byte[] seed) {
        return new ServerSigningKey(version, seed.clone());
    }

    /** Reads the first key line of a file in the common format {@code ed25519 <version> <base64 seed>}. */
    public static ServerSigningKey load(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 3 || !parts[0].equals(ALGORITHM)) {
                throw new IOException("signing key file " + file + ": expected 'ed25519 <version> <seed>'");
            }
            try {
                return new ServerSigningKey(parts[1], UnpaddedBase64.decode(parts[2]));
            } catch (IllegalArgumentException e) {
                throw new IOException("signing key file " + file + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("signing key file " + file + " contains no key");
    }

    /** Writes the key file readable by the owner only, since the seed is the private key. */
    public void save(Path file) throws IOException {
        String line = ALGORITHM + " " + version + " " + UnpaddedBase64.encode(privateKey.getEncoded()) + "\n";
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".signing-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system; nothing finer we can do.
            }
            Files.writeString(tmp, line, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public String version() { return version; }

    public String keyId() { return ALGORITHM + ":" + version; }

    public byte[] publicKey() { return publicKey.clone(); }

    public String publicKeyBase64() { return UnpaddedBase64.encode(publicKey); }

    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * Signs per "Signing JSON": the canonical form without {@code signatures} and {@code unsigned} is signed
     * and the signature added under {@code signatures.<serverName>.<keyId>}. Other signatures are kept.
     * Modifies and returns {@code json}.
     */
    public ObjectNode signJson(ObjectNode json, String serverName) {
        String signature = UnpaddedBase64.encode(sign(CanonicalJson.bytes(signable(json))));
        JsonNode existing = json.get("signatures");
        ObjectNode signatures = existing instanceof ObjectNode o ? o : json.putObject("signatures");
        JsonNode forServer = signatures.get(serverName);
        ObjectNode serverSigs = forServer instanceof ObjectNode o ? o : signatures.putObject(serverName);
        serverSigs.put(keyId(), signature);
        return json;
    }

    /**
     * Checks the signature of {@code serverName} made with {@code keyId} against the given public key (see
     * "Checking for a Signature"). Returns false for a missing or malformed signature.
     */
    public static boolean verifyJson(ObjectNode json, String serverName, String keyId, byte[] publicKey) {
        if (!keyId.startsWith(ALGORITHM + ":") || publicKey == null || publicKey.length != 32) return false;
        JsonNode sig = json.path("signatures").path(serverName).path(keyId);
        if (!sig.isTextual()) return false;
        try {
            byte[] signature = UnpaddedBase64.decode(sig.textValue());
            if (signature.length != 64) return false;
            byte[] message = CanonicalJson.bytes(signable(json));
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ObjectNode signable(ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return copy;
    }
}
