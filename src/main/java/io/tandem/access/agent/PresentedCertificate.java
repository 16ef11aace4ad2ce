package io.tandem.access.agent;

import java.time.Instant;

/**
 * The certificate an agent showed, for an admin to compare with what {@code agent init} printed before pinning it.
 *
 * @param fingerprint {@code sha256:<hex>}, the value to pin
 */
public record PresentedCertificate(String fingerprint, String subject, Instant notAfter) {
}
