package io.tandem.operation;

/** The operations Tandem runs on a pair; each names the node it acts on (a Pacemaker control: its subject). */
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
    ROLLBACK_CONFIG("Roll back the last configuration change"),
    /**
     * The setup's drill, offered on any healthy pair: hands the named active's output to its passive and back (Hot: two
     * switchovers; Cold: two failovers), each leg's gap or handover time measured, the move's constraint cleared always.
     */
    DRILL("Drill: hand over and back"),
    // Pacemaker controls (PacemakerControls): each previewed with crm_simulate on a copy of the live CIB
    CLEAR_CONSTRAINTS("Clear move constraints", Subject.RESOURCE),
    CLEANUP_RESOURCE("Clean up failures", Subject.RESOURCE),
    NODE_STANDBY("Standby", Subject.NODE),
    NODE_UNSTANDBY("Unstandby", Subject.NODE),
    MAINTENANCE_ON("Maintenance mode on", Subject.PAIR),
    MAINTENANCE_OFF("Maintenance mode off", Subject.PAIR),
    RESOURCE_ENABLE("Enable resource", Subject.RESOURCE),
    RESOURCE_DISABLE("Disable resource", Subject.RESOURCE),
    // The node's agent, over the node's SSH access (AgentInstalls): the console's own jar, unit and sudoers drop-in
    INSTALL_AGENT("Install agent"),
    UPGRADE_AGENT("Upgrade agent"),
    REMOVE_AGENT("Remove agent"),
    // Guided setup (SetupOperations): started from the setup wizard or the API with the setup form, never from a node's buttons
    /** Builds the pair from two standalone nodes: the setup plan's steps, each checked, then the monitor's verdict. */
    SETUP("Set up the pair"),
    /** Reverts the steps the pair's last setup ran, newest first, with each step's undo. */
    UNDO_SETUP("Undo setup"),
    /** Removes the cluster and what setup installed; NFO keeps running standalone, output open, on the named node. */
    DISMANTLE("Dismantle the pair");

    /** What a Pacemaker control acts on; null for the operations on NFO itself. */
    public enum Subject { NODE, RESOURCE, PAIR }

    private final String label;
    private final Subject subject;

    OperationKind(String label) {
        this(label, null);
    }

    OperationKind(String label, Subject subject) {
        this.label = label;
        this.subject = subject;
    }

    public String label() {
        return label;
    }

    /** A Pacemaker control (one allow-listed pcs command, previewed), not an operation on NFO. */
    public boolean pacemakerControl() {
        return subject != null;
    }

    public Subject subject() {
        return subject;
    }

    /**
     * The role that may start it: ADMIN for what takes the whole cluster's protection or a resource away (maintenance
     * mode on, disabling a resource), for the agent's install, upgrade and removal and for setting up or taking apart
     * the pair; OPERATOR for the rest, repairs included (clear, cleanup, unstandby, ending maintenance, enable) and
     * standby, which patching a node needs.
     */
    public String requiredRole() {
        return this == MAINTENANCE_ON || this == RESOURCE_DISABLE || agentLifecycle() || setup() ? "ADMIN" : "OPERATOR";
    }

    /** Installs, upgrades or removes the node's agent: root on the node and its access in the fleet, so ADMIN only. */
    public boolean agentLifecycle() {
        return this == INSTALL_AGENT || this == UPGRADE_AGENT || this == REMOVE_AGENT;
    }

    /** Builds or takes apart the pair: ADMIN only, and planned from the setup form (SetupOperations), not a preflight. */
    public boolean setup() {
        return this == SETUP || this == UNDO_SETUP || this == DISMANTLE;
    }

    /** Opens the target's output before Pacemaker blocks the source's: both outputs are open for a moment, on purpose. */
    public boolean opensBothOutputs() {
        return this == SWITCHOVER || this == RESTART_ACTIVE || this == RESTART_ACTIVE_AND_BACK;
    }

    /** As {@link #opensBothOutputs()} for an operation on a pair of this mode: a Hot pair's drill switches over twice. */
    public boolean opensBothOutputs(io.tandem.fleet.ClusterMode mode) {
        return opensBothOutputs() || this == DRILL && mode == io.tandem.fleet.ClusterMode.HOT;
    }

    /** Only a Hot pair has these: gapless handovers need a passive that decodes already; Tandem copies only Hot files. */
    public boolean hotOnly() {
        return this == SWITCHOVER || this == RESTART_ACTIVE || this == RESTART_ACTIVE_AND_BACK || this == ROLLBACK_CONFIG;
    }
}
