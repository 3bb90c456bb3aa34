package org.optbench.sweep.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Worker tokens at rest: the store keeps {@code sha256:} and the hex SHA-256 of a token, never the
 * token, and a presented token is checked by hashing it and comparing in constant time. (A
 * worker token is 192 random bits, so an unsalted hash is enough.)
 */
public final class TokenHash {

    private static final String PREFIX = "sha256:";

    private TokenHash() {
    }

    public static String of(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Whether {@code token} hashes to {@code stored}. */
    public static boolean matches(String stored, String token) {
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), of(token).getBytes(StandardCharsets.UTF_8));
    }
}
