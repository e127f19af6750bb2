package de.amtsbote.users;

import de.amtsbote.http.MatrixException;
import de.amtsbote.storage.RegistrationTokenStore;
import de.amtsbote.storage.RegistrationTokenStore.Token;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Registration tokens: created by admins (Synapse's admin API rules), spent by token-authenticated sign-up.
 * A use is first reserved (pending) and then completed or released, each a conditional write on the single
 * writer, so a token with one use left cannot be spent by two concurrent sign-ups.
 */
public final class RegistrationTokens {
    /** Synapse's token alphabet: [A-Za-z0-9-_], at most 64 characters. */
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RegistrationTokenStore store;
    private final LongSupplier clock;

    public RegistrationTokens(RegistrationTokenStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    /** POST .../registration_tokens/new, as read from the body; any field may be null (= default). */
    public record NewToken(String token, Long usesAllowed, Long expiryTime, Long length) {}

    public Token create(NewToken n) {
        String token = n.token();
        if (token != null) {
            if (token.isEmpty() || token.length() > 64 || !token.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
                throw MatrixException.invalidParam("'token' must be 1 to 64 characters of A-Z, a-z, 0-9, - and _");
            }
        } else {
            long length = n.length() == null ? 16 : n.length();
            if (length < 1 || length > 64) throw MatrixException.invalidParam("'length' must be an integer between 1 and 64");
            token = random((int) length);
        }
        Integer uses = usesAllowed(n.usesAllowed());
        if (n.expiryTime() != null && n.expiryTime() < clock.getAsLong()) {
            throw MatrixException.invalidParam("'expiry_time' must not be in the past");
        }
        Token t = new Token(token, uses, 0, 0, n.expiryTime());
        if (store.create(t, clock.getAsLong())) return t;
        if (n.token() != null) throw MatrixException.invalidParam("Token already exists: " + token);
        throw new MatrixException(500, "M_UNKNOWN", "Could not generate a free token, please retry");
    }

    public Token get(String token) {
        return store.get(token).orElseThrow(() -> MatrixException.notFound("No such registration token: " + token));
    }

    /** All tokens, or only the valid (true) or only the invalid ones (false). */
    public List<Token> list(Boolean valid) {
        long now = clock.getAsLong();
        return store.all().stream().filter(t -> valid == null || t.validAt(now) == valid).toList();
    }

    /** PUT: each field only if the body has it; null = unlimited uses / no expiry. */
    public Token update(String token, boolean setUses, Long usesAllowed, boolean setExpiry, Long expiryTime) {
        Integer uses = setUses ? usesAllowed(usesAllowed) : null;
        if (setExpiry && expiryTime != null && expiryTime < 0) throw MatrixException.invalidParam("'expiry_time' must be a non-negative integer or null");
        if (!store.update(token, setUses, uses, setExpiry, expiryTime)) {
            throw MatrixException.notFound("No such registration token: " + token);
        }
        return get(token);
    }

    public void delete(String token) {
        if (!store.delete(token)) throw MatrixException.notFound("No such registration token: " + token);
    }

    /** Whether the token could be used now (GET .../validity); a point-in-time answer. */
    public boolean isValid(String token) {
        return store.get(token).map(t -> t.validAt(clock.getAsLong())).orElse(false);
    }

    /** Reserves one use; false if the token is unknown, expired or used up. */
    public boolean reserve(String token) { return store.reserve(token, clock.getAsLong()); }

    public void complete(String token) { store.complete(token); }

    public void release(String token) { store.release(token); }

    private static Integer usesAllowed(Long n) {
        if (n == null) return null;
        if (n < 0 || n > Integer.MAX_VALUE) throw MatrixException.invalidParam("'uses_allowed' must be a non-negative integer or null");
        return n.intValue();
    }

    private static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }
}
