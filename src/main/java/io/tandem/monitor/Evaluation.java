package io.tandem.monitor;

import java.util.List;
import java.util.Optional;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;

/**
 * What every finding rule reads: the observation, each node parsed once with its derived state, and the Pacemaker
 * view the pair is judged against (null when no node could report one).
 */
record Evaluation(PairObservation observation, List<NodeReading> readings, List<NodeState> states,
        PacemakerView pacemaker) {

    static Evaluation of(PairObservation observation) {
        return of(observation, observation.nodes().stream().map(NodeReading::of).toList());
    }

    static Evaluation of(PairObservation observation, List<NodeReading> readings) {
        if (readings.size() != 2 || readings.get(0).observation() != observation.a() || readings.get(1).observation() != observation.b()) {
            throw new IllegalArgumentException("the readings must be of the observation's own two nodes, in order");
        }
        PacemakerView view = PacemakerView.choose(readings).orElse(null);
        List<NodeState> states = readings.stream().map(r -> Roles.derive(r, observation.cluster(),
                view == null ? null : view.opinionOf(r, observation.cluster()))).toList();
        return new Evaluation(observation, readings, states, view);
    }

    ClusterView cluster() {
        return observation.cluster();
    }

    ClusterMode mode() {
        return observation.cluster().mode();
    }

    NodeReading reading(String node) {
        return readings.stream().filter(r -> r.node().equals(node)).findFirst().orElseThrow();
    }

    NodeState state(String node) {
        return states.stream().filter(s -> s.node().equals(node)).findFirst().orElseThrow();
    }

    String peerOf(String node) {
        return observation.a().node().equals(node) ? observation.b().node() : observation.a().node();
    }

    /** The node whose output is open, when exactly one is. */
    Optional<String> activeNode() {
        List<NodeState> active = states.stream().filter(s -> s.role() == NodeRole.ACTIVE).toList();
        return active.size() == 1 ? Optional.of(active.get(0).node()) : Optional.empty();
    }

    /** The peer of the one active node: the node that must be ready to take over. */
    Optional<String> passiveNode() {
        return activeNode().map(this::peerOf);
    }

    /**
     * Whether the two nodes' readings describe one moment, as a finding about both nodes at once (both outputs
     * open, no output, no readable node sending) needs. A node's readings prove its output state from the first
     * reading that showed it ({@link PairObservation#outputSince}) to its latest one; two states held together
     * only if those spans overlap, that is when each node's latest reading was taken at or after the other node's
     * change. One fresh reading beside one from before that change proves nothing: in a crash the survivor's new
     * reading (gate open) sits beside the crashed node's last reading from before the crash (gate open too) until
     * the next read of the crashed node fails, and that is a takeover, not a split brain. Such a finding waits
     * for the older node's next reading (one read interval).
     */
    boolean readTogether() {
        NodeObservation a = observation.a();
        NodeObservation b = observation.b();
        return !a.observedAt().isBefore(observation.outputSince(b.node()))
                && !b.observedAt().isBefore(observation.outputSince(a.node()));
    }

    /** The unit name operators know the service by, for texts; "NFO" when the fleet does not say. */
    String service(String node) {
        return observation.settingsOf(node).map(ClusterView.NodeView::serviceUnit)
                .filter(unit -> unit != null && !unit.isBlank()).orElse("NFO");
    }

    /** How the console reads the node (agent or SSH); null for a node the pair does not list. */
    AccessKind access(String node) {
        return observation.settingsOf(node).map(ClusterView.NodeView::access).orElse(null);
    }

    List<Integer> flowPorts(String node) {
        return observation.settingsOf(node).map(ClusterView.NodeView::flowPorts).orElse(List.of());
    }
}
