package io.tandem.pacemaker;

/**
 * The cluster-wide options {@code crm_mon} summarises. {@code stonithEnabled} reads {@code fencing-enabled} on
 * Pacemaker 3, which renamed it, and {@code stonith-enabled} before.
 */
public record ClusterOptions(
        boolean stonithEnabled,
        boolean maintenanceMode,
        boolean stopAllResources,
        boolean symmetricCluster,
        String noQuorumPolicy) {

    static final ClusterOptions DEFAULTS = new ClusterOptions(true, false, false, true, "stop");
}
