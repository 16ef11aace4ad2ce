package io.tandem.node;

/** Whether NFO's output is let out of this node; see {@link OutputGate} for the convention. */
public enum GateStatus {
    /** At least one {@code tandem-gate} drop rule is in place: this node is (meant to be) the passive. */
    BLOCKED,
    /** Our table is there without gate rules: output flows. */
    OPEN,
    /** No {@code inet tandem} table: NFO's output is not gated at all on this node, which is itself a finding. */
    ABSENT
}
