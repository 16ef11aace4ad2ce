package io.tandem.operation;

/** The operations Tandem runs on a pair; each names the node it acts on (a Pacemaker control: its subject). */
public enum OperationKind {
    RESTART_NFO("Restart NFO"),
    COPY_CONFIG("Copy the active's configuration"),
    FAILOVER("Fail over"),
    // Pacemaker controls (PacemakerControls): each previewed with crm_simulate on a copy of the live CIB
    CLEAR_CONSTRAINTS("Clear move constraints", Subject.RESOURCE),
    CLEANUP_RESOURCE("Clean up failures", Subject.RESOURCE),
    NODE_STANDBY("Standby", Subject.NODE),
    NODE_UNSTANDBY("Unstandby", Subject.NODE),
    MAINTENANCE_ON("Maintenance mode on", Subject.PAIR),
    MAINTENANCE_OFF("Maintenance mode off", Subject.PAIR),
    RESOURCE_ENABLE("Enable resource", Subject.RESOURCE),
    RESOURCE_DISABLE("Disable resource", Subject.RESOURCE);

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
     * mode on, disabling a resource); OPERATOR for the rest, repairs included (clear, cleanup, unstandby, ending
     * maintenance, enable) and standby, which patching a node needs.
     */
    public String requiredRole() {
        return this == MAINTENANCE_ON || this == RESOURCE_DISABLE ? "ADMIN" : "OPERATOR";
    }
}
