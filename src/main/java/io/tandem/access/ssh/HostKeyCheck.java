package io.tandem.access.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * The host key decision for one connection attempt. It travels with the connection in its connection
 * context, because the client's single {@link ServerKeyVerifier} is shared by every node and must
 * learn per connection which key is pinned; afterwards it tells why a handshake failed.
 */
final class HostKeyCheck {

    static final AttributeKey<HostKeyCheck> ATTRIBUTE = new AttributeKey<>();

    /** The client-wide verifier: defers to the check that came with the connection, else refuses. */
    static final ServerKeyVerifier VERIFIER = HostKeyCheck::verify;

    private final String pinned;
    private volatile PresentedHostKey presented;
    private volatile boolean accepted;

    /** @param pinned the pinned fingerprint, or null to refuse whatever is presented (first contact, probe) */
    HostKeyCheck(String pinned) {
        this.pinned = pinned == null ? null : withoutPadding(pinned);
    }

    static PresentedHostKey describe(PublicKey key) {
        return new PresentedHostKey(KeyUtils.getFingerPrint(BuiltinDigests.sha256, key), KeyUtils.getKeyType(key));
    }

    /** What the node presented; null when the handshake never got that far. */
    PresentedHostKey presented() {
        return presented;
    }

    boolean rejected() {
        return presented != null && !accepted;
    }

    String pinned() {
        return pinned;
    }

    private static boolean verify(ClientSession session, SocketAddress remote, PublicKey serverKey) {
        AttributeRepository context = session.getConnectionContext();
        HostKeyCheck check = context == null ? null : context.getAttribute(ATTRIBUTE);
        return check != null && check.decide(serverKey);
    }

    private boolean decide(PublicKey serverKey) {
        presented = describe(serverKey);
        accepted = matches(serverKey);
        return accepted;
    }

    /** True when the key is the pinned one; never true without a pin. */
    boolean matches(PublicKey serverKey) {
        return pinned != null && pinned.equals(withoutPadding(describe(serverKey).fingerprint()));
    }

    /** Admins paste fingerprints from several tools; some keep the base64 padding, OpenSSH drops it. */
    private static String withoutPadding(String fingerprint) {
        String trimmed = fingerprint.strip();
        while (trimmed.endsWith("=")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
