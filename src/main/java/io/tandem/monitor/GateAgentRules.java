package io.tandem.monitor;

import java.util.List;
import java.util.Objects;

import io.tandem.node.GateAgent;
import io.tandem.node.GateAgentFacts;
import io.tandem.node.Version;

/**
 * The gate's OCF agent on each node against the copy this console ships: missing where Pacemaker runs
 * {@code ocf:tandem:gate} (that node cannot open or block its output), older than the console's, or different
 * between the two nodes (they would switch the gate differently).
 */
final class GateAgentRules {

    private GateAgentRules() {
    }

    static void check(Evaluation e, List<Finding> out) {
        boolean managed = e.pacemaker() != null && e.pacemaker().status().primitives().stream()
                .anyMatch(p -> GateAgent.PACEMAKER_AGENT.equals(p.agent()));
        String shipped = GateAgent.version();
        boolean reportedOlder = false;
        for (NodeReading r : e.readings()) {
            GateAgentFacts facts = r.snapshot() == null ? null : r.snapshot().gateAgent();
            if (facts == null) {
                continue; // not read (an older agent): nothing known, nothing claimed
            }
            if (!facts.installed()) {
                if (managed) {
                    out.add(new Finding(Severity.WARNING, Finding.Kind.GATE_AGENT_MISSING,
                            GateAgent.PACEMAKER_AGENT + " is not installed on " + r.node(),
                            "Pacemaker runs the output gate with this agent, but " + r.node() + " lacks it: the gate "
                                    + "cannot be opened or blocked there, so " + r.node() + " cannot take over cleanly. "
                                    + "Install it (setup does) at " + GateAgent.INSTALLED_PATH + ".",
                            List.of(GateAgent.INSTALLED_PATH + " does not exist", "console ships version " + shipped), r.node()));
                }
                continue;
            }
            // the version travels from the node: one that is no version is judged like a copy from before versions
            boolean readable = Version.parse(facts.version()).isPresent();
            if (!readable || GateAgent.compare(facts.version(), shipped) < 0) {
                reportedOlder = true;
                out.add(new Finding(Severity.WARNING, Finding.Kind.GATE_AGENT_OUTDATED,
                        r.node() + "'s gate agent is " + (facts.version() == null ? "from before versions"
                                : readable ? "version " + facts.version() : "of an unreadable version")
                                + ", older than this console's " + shipped,
                        "It may switch or report the gate differently from what Tandem expects. Reinstall it from this "
                                + "console (setup) on both nodes.",
                        List.of(GateAgent.INSTALLED_PATH + ": " + (facts.version() == null ? "no version line"
                                        : readable ? facts.version() : Texts.excerpt(facts.version())),
                                "console ships " + shipped), r.node()));
            }
        }
        if (!reportedOlder) {
            differing(e, out);
        }
    }

    /** Both newer than (or equal to) the console's, but not the same: the pair runs two gate implementations. */
    private static void differing(Evaluation e, List<Finding> out) {
        List<GateAgentFacts> both = e.readings().stream()
                .map(r -> r.snapshot() == null ? null : r.snapshot().gateAgent()).toList();
        if (both.stream().anyMatch(f -> f == null || !f.installed())) {
            return;
        }
        String a = both.get(0).version();
        String b = both.get(1).version();
        if (Objects.equals(a, b)) {
            return;
        }
        String nodeA = e.readings().get(0).node();
        String nodeB = e.readings().get(1).node();
        out.add(new Finding(Severity.WARNING, Finding.Kind.GATE_AGENT_OUTDATED,
                "The nodes run different gate agents: " + nodeA + " " + a + ", " + nodeB + " " + b,
                "After a failover the gate would be switched by another implementation than before. Install the same "
                        + "version on both nodes.",
                List.of(nodeA + ": " + a, nodeB + ": " + b, "console ships " + GateAgent.version()), null));
    }
}
