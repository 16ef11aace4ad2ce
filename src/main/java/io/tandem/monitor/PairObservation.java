package io.tandem.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.tandem.fleet.ClusterView;
import io.tandem.netflow.ParityReport;

/**
 * Everything the health of one pair is judged from, taken at {@code now}.
 *
 * @param parity template parity of the passive against the active, or null when not measured
 * @param driftedFiles configuration files (relative paths) that differ between the two nodes, as the caller's
 *        manifest comparison found them; only judged in Hot mode, where both nodes carry their own copy
 * @param outputSince per node name, when its current output state (sending, not sending, unreadable) was first
 *        observed; a node missing here counts as having held its state since ever. Findings about both nodes at
 *        once need it (see {@link Evaluation#readTogether()}).
 * @param plannedOverlap the operation under way that opens both outputs on purpose (a make-before-break switchover),
 *        in operator words; null when none
 */
public record PairObservation(ClusterView cluster, NodeObservation a, NodeObservation b, Instant now,
        Duration freshnessBound, ParityReport parity, List<String> driftedFiles, Map<String, Instant> outputSince,
        String plannedOverlap) {

    public PairObservation {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(freshnessBound, "freshnessBound");
        driftedFiles = driftedFiles == null ? List.of() : List.copyOf(driftedFiles);
        outputSince = outputSince == null ? Map.of() : Map.copyOf(outputSince);
        if (a.node().equals(b.node())) {
            throw new IllegalArgumentException("a pair needs two different nodes, got " + a.node() + " twice");
        }
    }

    /** Without an operation under way that opens both outputs on purpose. */
    public PairObservation(ClusterView cluster, NodeObservation a, NodeObservation b, Instant now,
            Duration freshnessBound, ParityReport parity, List<String> driftedFiles, Map<String, Instant> outputSince) {
        this(cluster, a, b, now, freshnessBound, parity, driftedFiles, outputSince, null);
    }

    public PairObservation(ClusterView cluster, NodeObservation a, NodeObservation b, Instant now,
            Duration freshnessBound, ParityReport parity, List<String> driftedFiles) {
        this(cluster, a, b, now, freshnessBound, parity, driftedFiles, Map.of());
    }

    public PairObservation(ClusterView cluster, NodeObservation a, NodeObservation b, Instant now,
            Duration freshnessBound, ParityReport parity) {
        this(cluster, a, b, now, freshnessBound, parity, List.of());
    }

    /** When the node's current output state was first observed ({@link Instant#MIN} when not known). */
    public Instant outputSince(String node) {
        return outputSince.getOrDefault(node, Instant.MIN);
    }

    public List<NodeObservation> nodes() {
        return List.of(a, b);
    }

    /** The fleet's settings of a node (flow ports, service unit), when the cluster lists it. */
    Optional<ClusterView.NodeView> settingsOf(String node) {
        return cluster.nodes().stream().filter(n -> n.name().equals(node)).findFirst();
    }
}
