package io.tandem.fleet;

public enum ClusterMode {
    /** Both NFO instances run; the passive's output is blocked by the gate. */
    HOT,
    /** The passive NFO is stopped; DRBD replicates its configuration. */
    COLD
}
