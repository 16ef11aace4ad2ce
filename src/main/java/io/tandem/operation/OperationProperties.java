package io.tandem.operation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Time limits for operations ({@code tandem.operations.*}).
 *
 * @param restartTimeout how long NFO may take to run again after a restart (or after a configuration copy)
 * @param failoverTimeout how long Pacemaker may take to make the chosen node active
 * @param pollInterval how often a waiting step looks at the monitor's picture of the pair
 * @param controlTimeout how long the monitor may take to read the effect of a Pacemaker control (standby, ...)
 * @param backups how many configuration backups each node keeps ({@code tandem.operations.backups.keep})
 * @param agentUploadTimeout how long the agent's jar may take to reach a node over SFTP (tens of MB)
 * @param agentCommandTimeout how long one command of an agent install may take on the node (agent init included)
 * @param agentStartTimeout how long a started agent may take to answer /v1/health
 */
@ConfigurationProperties("tandem.operations")
public record OperationProperties(
        @DefaultValue("90s") Duration restartTimeout,
        @DefaultValue("120s") Duration failoverTimeout,
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("60s") Duration controlTimeout,
        @DefaultValue("10m") Duration agentUploadTimeout,
        @DefaultValue("60s") Duration agentCommandTimeout,
        @DefaultValue("90s") Duration agentStartTimeout,
        @DefaultValue Backups backups) {

    /**
     * @param keep after a successful copy the target keeps its newest {@code keep} backups and the older ones are
     *        removed from the node (at least 1: Roll back restores the newest)
     */
    public record Backups(@DefaultValue("10") int keep) {
        public Backups {
            if (keep < 1) {
                throw new IllegalArgumentException("tandem.operations.backups.keep must be at least 1, not " + keep
                        + ": Roll back restores the newest backup");
            }
        }
    }
}
