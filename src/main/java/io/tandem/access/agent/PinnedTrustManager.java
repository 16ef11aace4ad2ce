package io.tandem.access.agent;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.tandem.agent.wire.CertificateFingerprint;

/**
 * Trusts exactly one certificate: the pinned one. No CA, no chain building, and no host name check: the pin
 * names the agent's very key, which is stronger than any name a CA vouches for, and the console reaches nodes
 * by addresses that often are not in the certificate at all. (Being an {@link X509ExtendedTrustManager} is
 * what keeps the JDK from adding its own host name check around it.)
 * Expiry is not checked either: an agent's self-signed certificate is an identity, not a CA's promise.
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {

    /** Carries what the peer presented out of the TLS stack, so the caller can show it to the admin. */
    static final class PinMismatch extends CertificateException {
        private final transient X509Certificate presented;
        private final String expected;

        PinMismatch(String expected, X509Certificate presented) {
            super(expected == null ? "no certificate pinned" : "certificate does not match the pin");
            this.expected = expected;
            this.presented = presented;
        }

        X509Certificate presented() {
            return presented;
        }

        String expected() {
            return expected;
        }
    }

    private final String pin;

    /** @param pin {@code sha256:<hex>}; null trusts nothing (every handshake reports what was presented) */
    PinnedTrustManager(String pin) {
        this.pin = pin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the agent presented no certificate");
        }
        if (pin == null || !pin.equals(CertificateFingerprint.of(chain[0]))) {
            throw new PinMismatch(pin, chain[0]);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the console does not accept client connections here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
