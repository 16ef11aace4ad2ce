package io.tandem.operation;

/** The operations Tandem runs on a pair; each names the node it acts on. */
public enum OperationKind {
    RESTART_NFO("Restart NFO"),
    COPY_CONFIG("Copy the active's configuration"),
    FAILOVER("Fail over"),
    /** Hot only: make the named passive active, make-before-break (no record lost). */
    SWITCHOVER("Switch over without a gap"),
    /** Hot only: switch the named active's output to its peer, restart it, and leave the peer active. */
    RESTART_ACTIVE("Restart the active without a gap"),
    /** As {@link #RESTART_ACTIVE}, then switch the output back to the restarted node. */
    RESTART_ACTIVE_AND_BACK("Restart the active without a gap and switch back"),
    /** Restores the named node's files from its newest configuration backup, hash-verified, and restarts NFO. */
    ROLLBACK_CONFIG("Roll back the last configuration change");

    private final String label;

    OperationKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Only a Hot pair has these: gapless handovers need a passive that decodes already; Tandem copies only Hot files. */
    public boolean hotOnly() {
        return this == SWITCHOVER || this == RESTART_ACTIVE || this == RESTART_ACTIVE_AND_BACK || this == ROLLBACK_CONFIG;
    }
}
