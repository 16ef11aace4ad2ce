package io.tandem.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import io.tandem.agent.wire.AgentProtocol;

/**
 * The agent's access token. The secret exists only in the output of {@code agent init}; the agent keeps
 * its SHA-256 and compares hashes in constant time, so neither the state directory nor timing reveals it.
 */
final class AccessToken {

    /** Longer than any token we mint; a bigger header is rejected before it is hashed. */
    static final int MAX_PRESENTED_LENGTH = 256;
    private static final int SECRET_BYTES = 32;

    private final byte[] storedHash;

    AccessToken(byte[] storedHash) {
        if (storedHash.length != 32) {
            throw new IllegalArgumentException("a token hash is 32 bytes of SHA-256");
        }
        this.storedHash = storedHash.clone();
    }

    static String mint(SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return AgentProtocol.TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Hashing first makes the comparison independent of where a guess differs and of its length. */
    boolean matches(String presented) {
        if (presented == null || presented.length() > MAX_PRESENTED_LENGTH) {
            return false;
        }
        return MessageDigest.isEqual(storedHash, hash(presented));
    }

    /**
     * A short name of the token for the audit log: a prefix of its hash, which identifies the token without
     * revealing anything usable (the full hash is on disk anyway, and a hash cannot be presented).
     */
    String id() {
        return "sha256:" + HexFormat.of().formatHex(storedHash, 0, 6);
    }
}
