package io.tandem.monitor;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.tandem.fleet.ClusterView;
import io.tandem.pacemaker.ClusterNode;
import io.tandem.pacemaker.ClusterStatus;

/**
 * The one Pacemaker view the pair is judged against. Both nodes run crm_mon; in a healthy cluster they agree. When
 * they do not (a partition), the quorate side is the one whose decisions count, so its view wins; between equals,
 * node a's. The non-quorate side is reported separately ({@link Finding.Kind#NO_QUORUM}).
 */
record PacemakerView(String reportedBy, ClusterStatus status) {

    static Optional<PacemakerView> choose(List<NodeReading> readings) {
        return readings.stream()
                .filter(r -> r.clusterStatus().isPresent())
                .map(r -> new PacemakerView(r.node(), r.clusterStatus().get()))
                .min(Comparator.comparing(v -> !v.status().quorum()));
    }

    Optional<ClusterNode> node(NodeReading reading) {
        return status.node(reading.pacemakerName(status));
    }

    boolean knows(String resourceId) {
        return resourceId != null && !resourceId.isBlank() && status.resourceIds().contains(resourceId);
    }

    /** The Pacemaker resource that runs the pair's DRBD resource, when there is one (see ClusterStatus#drbdPrimitive). */
    Optional<String> drbd(ClusterView cluster) {
        return status.drbdPrimitive(cluster.drbdResource());
    }

    PacemakerOpinion opinionOf(NodeReading reading, ClusterView cluster) {
        String name = reading.pacemakerName(status);
        Optional<ClusterNode> node = status.node(name);
        return new PacemakerOpinion(reportedBy, node.isPresent(),
                node.map(ClusterNode::online).orElse(false),
                node.map(ClusterNode::standby).orElse(false),
                node.map(ClusterNode::maintenance).orElse(false),
                runsOn(cluster.nfoResource(), name),
                runsOn(cluster.vipResource(), name),
                runsOn(cluster.gateResource(), name),
                drbd(cluster).map(id -> status.promotedNodes(id).contains(name)).orElse(false));
    }

    private boolean runsOn(String resourceId, String node) {
        return resourceId != null && status.nodesRunning(resourceId).contains(node);
    }
}
