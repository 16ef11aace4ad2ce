package io.tandem.operation;

/** The operations Tandem runs on a pair; each names the node it acts on. */
public enum OperationKind {
    RESTART_NFO("Restart NFO"),
    COPY_CONFIG("Copy the active's configuration"),
    FAILOVER("Fail over");

    private final String label;

    OperationKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
