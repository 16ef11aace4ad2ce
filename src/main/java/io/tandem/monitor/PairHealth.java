package io.tandem.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tandem.fleet.ClusterMode;

/**
 * A pair's health at one moment: each node's derived role, the findings worst first, and whether the pair
 * survives losing either node.
 *
 * @param summary one line for the overview, e.g. "Can survive losing nfo-a: no — ..."
 */
public record PairHealth(String cluster, ClusterMode mode, Instant evaluatedAt, List<NodeState> nodes,
        List<Finding> findings, List<Survival> survival, String summary) {

    public PairHealth {
        nodes = List.copyOf(nodes);
        findings = findings.stream().sorted(Finding.ORDER).toList();
        survival = List.copyOf(survival);
    }

    /** The worst severity among the findings; empty when there is nothing to report. */
    public Optional<Severity> worst() {
        return findings.stream().map(Finding::severity).min(Enum::compareTo);
    }

    public NodeState node(String name) {
        return nodes.stream().filter(n -> n.node().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a node of " + cluster + ": " + name));
    }

    public Survival canSurviveLossOf(String node) {
        return survival.stream().filter(s -> s.lostNode().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a node of " + cluster + ": " + node));
    }

    public List<Finding> findings(Finding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }
}
