package de.amtsbote.users;

import de.amtsbote.http.MatrixException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Synapse's shared-secret registration (/_synapse/admin/v1/register), for bootstrapping accounts from
 * scripts: a one-time nonce, then a request signed with HMAC-SHA1 over nonce, username, password and
 * "admin"/"notadmin" (NUL-separated) keyed with the configured {@code registration_shared_secret}.
 * Without a configured secret it is switched off.
 */
public final class SharedSecretRegistration {
    /** Synapse lets a nonce live for a minute. */
    static final long NONCE_LIFETIME_MS = 60_000;
    /** Bounds the memory an unauthenticated caller can make us hold. */
    static final int MAX_NONCES = 10_000;

    /** What the signed request asks for (already read from the body by the handler). */
    public record Request(String nonce, String username, String password, boolean admin, String displayname, String mac) {}

    private final String secret;
    private final Accounts accounts;
    private final LongSupplier clock;
    private final Map<String, Long> nonces = new ConcurrentHashMap<>();

    /** secret: null or empty = registration switched off. */
    public SharedSecretRegistration(String secret, Accounts accounts, LongSupplier clock) {
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.accounts = accounts;
        this.clock = clock;
    }

    public boolean enabled() { return secret != null; }

    /** 400 "not enabled" unless a secret is configured (Synapse's answer). */
    public void requireEnabled() {
        if (secret == null) throw new MatrixException(400, "M_UNKNOWN", "Shared secret registration is not enabled");
    }

    public String newNonce() {
        requireEnabled();
        dropOldNonces();
        if (nonces.size() >= MAX_NONCES) throw MatrixException.limitExceeded(NONCE_LIFETIME_MS);
        String nonce = Tokens.random(64);
        nonces.put(nonce, clock.getAsLong());
        return nonce;
    }

    private void dropOldNonces() {
        long now = clock.getAsLong();
        for (Iterator<Long> it = nonces.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > NONCE_LIFETIME_MS) it.remove();
        }
    }

    /** Checks nonce (used up either way) and MAC, then creates the account; returns its user id. */
    public String register(Request r) {
        requireEnabled();
        dropOldNonces();
        if (r.nonce() == null) throw MatrixException.badJson("nonce must be specified");
        if (nonces.remove(r.nonce()) == null) throw new MatrixException(400, "M_UNKNOWN", "unrecognised nonce");
        if (r.username() == null) throw MatrixException.badJson("username must be specified");
        if (r.username().length() > 512 || r.username().indexOf('\0') >= 0) {
            throw new MatrixException(400, "M_UNKNOWN", "Invalid username");
        }
        if (r.password() == null) throw MatrixException.badJson("password must be specified");
        if (r.password().length() > 512 || r.password().indexOf('\0') >= 0) {
            throw new MatrixException(400, "M_UNKNOWN", "Invalid password");
        }
        if (r.mac() == null) throw MatrixException.badJson("mac must be specified");
        String want = mac(secret, r.nonce(), r.username(), r.password(), r.admin());
        if (!MessageDigest.isEqual(want.getBytes(StandardCharsets.US_ASCII), r.mac().getBytes(StandardCharsets.UTF_8))) {
            throw MatrixException.forbidden("HMAC incorrect");
        }
        return accounts.createUser(r.username().toLowerCase(java.util.Locale.ROOT), r.password(), r.admin(), r.displayname());
    }

    /** The hex HMAC-SHA1 a client sends, as Synapse documents it. */
    public static String mac(String secret, String nonce, String username, String password, boolean admin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + username + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
