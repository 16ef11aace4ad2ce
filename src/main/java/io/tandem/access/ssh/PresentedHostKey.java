package io.tandem.access.ssh;

/**
 * The host key a node presented, as an admin compares it with {@code ssh-keygen -lf} on the node.
 *
 * @param fingerprint OpenSSH style {@code SHA256:<base64 without padding>}, the value to pin
 * @param keyType the SSH key type, e.g. {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}
 */
public record PresentedHostKey(String fingerprint, String keyType) {
}
