package io.tandem.agent.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The pin of an agent: {@code sha256:} and the lowercase hex SHA-256 of the certificate's DER encoding,
 * the same value {@code openssl x509 -noout -fingerprint -sha256} shows (without its colons).
 */
public final class CertificateFingerprint {

    public static final String PREFIX = "sha256:";

    private CertificateFingerprint() {
    }

    public static String of(X509Certificate certificate) {
        try {
            return of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
    }

    public static String of(byte[] der) {
        try {
            return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * The canonical form of a pin an admin typed or pasted: lowercase, colons and blanks removed,
     * {@code sha256:} prefixed. Null when it is not 64 hex digits, so a typo never becomes a pin.
     */
    public static String normalize(String pin) {
        if (pin == null) {
            return null;
        }
        String hex = pin.strip().toLowerCase(Locale.ROOT);
        if (hex.startsWith(PREFIX)) {
            hex = hex.substring(PREFIX.length());
        }
        hex = hex.replace(":", "").replace(" ", "");
        return hex.matches("[0-9a-f]{64}") ? PREFIX + hex : null;
    }
}
