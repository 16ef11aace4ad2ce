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
    RESTART_ACTIVE_AND_BACK("Restart the active without a gap and switch back");

    private final String label;

    OperationKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Operations that only a Hot pair has: copies of a configuration that DRBD does not keep, gapless handovers. */
    public boolean hotOnly() {
        return this == COPY_CONFIG || this == SWITCHOVER || this == RESTART_ACTIVE || this == RESTART_ACTIVE_AND_BACK;
    }
}
