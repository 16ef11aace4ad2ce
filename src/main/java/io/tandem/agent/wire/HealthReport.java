package io.tandem.agent.wire;

import java.time.Instant;

/**
 * The body of {@code GET /v1/health}: is the agent alive, which build, and who it is, so the console can
 * check that the agent it reached is the one it pinned.
 *
 * @param hostName the node's own host name, as the agent sees it
 * @param certificateFingerprint the agent's TLS certificate pin ({@link CertificateFingerprint})
 * @param stateDirOk true when the state directory is a writable directory (audit log, future staging)
 */
public record HealthReport(String status, String version, Instant startedAt, long uptimeSeconds,
                           String hostName, String certificateFingerprint, boolean stateDirOk) {
}
