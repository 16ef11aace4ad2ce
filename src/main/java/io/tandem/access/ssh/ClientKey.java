package io.tandem.access.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.security.SecurityUtils;

import io.tandem.node.NodeAccessException;

/**
 * A target's private key, parsed. MINA's resource parser reads OpenSSH and PEM (PKCS#1, PKCS#8,
 * encrypted or not) for ed25519, ECDSA and RSA, with BouncyCastle on the class path.
 *
 * @param fingerprint SHA256 fingerprint of the public half: the key's identity in connection keys
 */
record ClientKey(KeyPair keyPair, String fingerprint) {

    static ClientKey parse(SshTarget target) throws NodeAccessException {
        FilePasswordProvider passwords = target.passphrase() == null
                ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(target.passphrase());
        Collection<KeyPair> pairs;
        try {
            pairs = SecurityUtils.getKeyPairResourceParser()
                    .loadKeyPairs(null, NamedResource.ofName("private key of " + target.address()), passwords,
                            target.privateKey());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw unusable(target, e.getMessage(), e);
        }
        if (pairs == null || pairs.size() != 1) {
            throw unusable(target, "expected one private key, found " + (pairs == null ? 0 : pairs.size()), null);
        }
        KeyPair pair = pairs.iterator().next();
        return new ClientKey(pair, KeyUtils.getFingerPrint(BuiltinDigests.sha256, pair.getPublic()));
    }

    /** Identifies the key material without keeping it: the cache key for parsed keys. */
    static String digestOf(SshTarget target) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(target.privateKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            if (target.passphrase() != null) {
                sha.update(target.passphrase().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Our own credential is unusable: to the operator that is a refused credential, with the reason. */
    private static NodeAccessException unusable(SshTarget target, String why, Throwable cause) {
        return new NodeAccessException.AuthRefused(
                "The private key for " + target.address() + " cannot be used: " + why, cause);
    }

    @Override
    public String toString() {
        return "ClientKey[" + fingerprint + "]";
    }
}
