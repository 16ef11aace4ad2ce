package io.tandem.access.ssh;

import java.util.Objects;

/**
 * One node as the SSH adapter reaches it.
 *
 * @param privateKey the client key as text: OpenSSH ({@code BEGIN OPENSSH PRIVATE KEY}) or PEM
 *        (PKCS#1 or PKCS#8); ed25519, ECDSA or RSA
 * @param passphrase the key's passphrase, or null when it is not encrypted
 * @param hostKeyFingerprint the pinned host key, OpenSSH style {@code SHA256:<base64 without padding>};
 *        null until the admin has confirmed one, and every connection is refused until then
 * @param sudo prefix every command with {@code sudo -n} (SFTP still runs as {@code user})
 */
public record SshTarget(String host, int port, String user, String privateKey, String passphrase,
        String hostKeyFingerprint, boolean sudo) {

    public SshTarget {
        requireText(host, "host");
        requireText(user, "user");
        requireText(privateKey, "privateKey");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (hostKeyFingerprint != null && !hostKeyFingerprint.startsWith("SHA256:")) {
            throw new IllegalArgumentException("hostKeyFingerprint must look like SHA256:<base64>, was "
                    + hostKeyFingerprint);
        }
    }

    public SshTarget withHostKeyFingerprint(String fingerprint) {
        return new SshTarget(host, port, user, privateKey, passphrase, fingerprint, sudo);
    }

    public SshTarget withSudo(boolean useSudo) {
        return new SshTarget(host, port, user, privateKey, passphrase, hostKeyFingerprint, useSudo);
    }

    /** user@host:port, for messages. */
    public String address() {
        return user + "@" + host + ":" + port;
    }

    /** Never prints the key or its passphrase: targets end up in logs and exception messages. */
    @Override
    public String toString() {
        return "SshTarget[" + address() + ", hostKey=" + hostKeyFingerprint + ", sudo=" + sudo + "]";
    }

    private static void requireText(String value, String name) {
        if (Objects.requireNonNull(value, name).isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
