package io.tandem.monitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.tandem.fleet.ClusterMode;

/**
 * Judges one pair from one observation: roles, findings, survival and the summary line. Pure: the same observation
 * always gives the same health, and time enters only as {@link PairObservation#now()}.
 */
public final class HealthEvaluator {

    private HealthEvaluator() {
    }

    public static PairHealth evaluate(PairObservation observation) {
        return evaluate(observation, observation.nodes().stream().map(NodeReading::of).toList());
    }

    /** @param readings the observation's two nodes already parsed (a node is parsed once, however often it is judged) */
    static PairHealth evaluate(PairObservation observation, List<NodeReading> readings) {
        return evaluate(observation, readings, List.of());
    }

    /** @param raised findings other modules judged about the pair (an operation's failed clean-up), judged along */
    static PairHealth evaluate(PairObservation observation, List<NodeReading> readings, List<Finding> raised) {
        Evaluation e = Evaluation.of(observation, readings);
        List<Finding> findings = new ArrayList<>(raised);
        NodeRules.check(e, findings);
        GateAgentRules.check(e, findings);
        AgentRules.check(e, findings);
        OutputRules.check(e, findings);
        PacemakerRules.check(e, findings);
        ReplicaRules.check(e, findings);
        requireUniqueKeys(findings);
        List<Finding> sorted = findings.stream().sorted(Finding.ORDER).toList();
        List<Survival> survival = e.readings().stream().map(r -> survivalOnLossOf(e, r.node(), sorted)).toList();
        return new PairHealth(observation.cluster().name(), observation.cluster().mode(), observation.now(),
                e.states(), sorted, survival, summary(e, sorted, survival));
    }

    /**
     * Losing a node is survived when its peer already sends the output, or is the ready passive and nothing stands
     * in its way. Conservative by design: where Tandem cannot see a fact, the answer is no.
     */
    static Survival survivalOnLossOf(Evaluation e, String lost, List<Finding> findings) {
        String peer = e.peerOf(lost);
        NodeState peerState = e.state(peer);
        if (peerState.role() == NodeRole.ACTIVE) {
            List<Finding> blockers = findings.stream()
                    .filter(f -> f.kind() == Finding.Kind.STALE_DATA && peer.equals(f.node())).toList();
            return blockers.isEmpty() ? new Survival(lost, true, peer + " keeps sending the output", List.of())
                    : new Survival(lost, false, blockers.get(0).cause(), blockers);
        }
        List<Finding> blockers = findings.stream()
                .filter(f -> f.kind().blocksTakeover() && f.severity() != Severity.INFO && f.concerns(peer))
                .toList();
        NodeRole ready = e.mode() == ClusterMode.HOT ? NodeRole.PASSIVE_HOT : NodeRole.PASSIVE_COLD;
        if (!blockers.isEmpty()) {
            return new Survival(lost, false, blockers.get(0).cause() + more(blockers.size() - 1), blockers);
        }
        if (peerState.role() != ready) {
            return new Survival(lost, false, peer + " is " + peerState.role() + " (" + peerState.why() + ")", List.of());
        }
        return new Survival(lost, true, peer + " is " + ready + " and ready to take over", List.of());
    }

    /** The worst critical finding if there is one (data is at stake now); otherwise the survival of losing the active. */
    private static String summary(Evaluation e, List<Finding> findings, List<Survival> survival) {
        List<Finding> critical = findings.stream().filter(f -> f.severity() == Severity.CRITICAL).toList();
        if (!critical.isEmpty()) {
            return critical.get(0).cause() + (critical.size() > 1 ? " (+" + (critical.size() - 1) + " more critical)" : "");
        }
        String focus = e.activeNode().orElse(e.observation().a().node());
        return survival.stream().filter(s -> s.lostNode().equals(focus)).findFirst().orElseThrow().line();
    }

    private static String more(int n) {
        return n <= 0 ? "" : " (+" + n + " more)";
    }

    private static void requireUniqueKeys(List<Finding> findings) {
        Set<String> keys = new HashSet<>();
        for (Finding f : findings) {
            if (!keys.add(f.key())) {
                throw new IllegalStateException("two findings for " + f.key() + ": a rule must merge them");
            }
        }
    }
}
