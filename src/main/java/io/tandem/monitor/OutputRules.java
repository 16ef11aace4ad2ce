package io.tandem.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tandem.fleet.ClusterMode;
import io.tandem.node.UdpFacts;

/** Where the pair's output comes from right now, and whether the passive could take it over. */
final class OutputRules {

    private OutputRules() {
    }

    static void check(Evaluation e, List<Finding> out) {
        List<NodeState> states = e.states();
        long active = states.stream().filter(s -> s.role() == NodeRole.ACTIVE).count();
        boolean allKnown = states.stream().allMatch(s -> s.role().known());
        // both findings are about the two nodes at once: only from readings that overlap in time
        if (active == 2 && e.readTogether()) {
            out.add(plannedOverlap(e) ? overlapUnderWay(e) : splitBrain(e));
        } else if (active == 0 && allKnown && e.readTogether()) {
            out.add(noOutput(e));
        }
        e.passiveNode().ifPresent(passive -> passiveReadiness(e, passive, out));
    }

    /**
     * How long both outputs may be open for an operation that opens them on purpose: a switchover's overlap lasts as
     * long as Pacemaker takes to block the former active (seconds). Longer, it is a split brain like any other.
     */
    static final Duration PLANNED_OVERLAP_LIMIT = Duration.ofSeconds(30);

    /** Both outputs open because an operation said it would open them, and not for longer than that takes. */
    private static boolean plannedOverlap(Evaluation e) {
        if (e.observation().plannedOverlap() == null) {
            return false;
        }
        Instant bothOpen = e.states().stream().map(s -> e.observation().outputSince(s.node())).max(Instant::compareTo)
                .orElse(Instant.MIN);
        return !bothOpen.equals(Instant.MIN) && !e.observation().now().isAfter(bothOpen.plus(PLANNED_OVERLAP_LIMIT));
    }

    /**
     * The same fact as a split brain, judged for what it is: a WARNING that names the operation, not a page that
     * says duplicates are flooding the SIEM (Tandem's own switchover counts them in its summary).
     */
    private static Finding overlapUnderWay(Evaluation e) {
        NodeState a = e.states().get(0);
        NodeState b = e.states().get(1);
        return new Finding(Severity.WARNING, Finding.Kind.SPLIT_BRAIN_OUTPUT,
                "Both outputs open for " + e.observation().plannedOverlap() + ": " + a.node() + " and " + b.node()
                        + " both send to the SIEM",
                "Planned make-before-break handover: records sent until Pacemaker blocks the former active reach the SIEM "
                        + "twice, none is lost. Open for longer than " + PLANNED_OVERLAP_LIMIT.toSeconds()
                        + " s, this is a split brain.",
                roleLines(e), null);
    }

    private static Finding splitBrain(Evaluation e) {
        NodeState a = e.states().get(0);
        NodeState b = e.states().get(1);
        return new Finding(Severity.CRITICAL, Finding.Kind.SPLIT_BRAIN_OUTPUT,
                "Both outputs open: " + a.node() + " and " + b.node() + " both send to the SIEM",
                "Every flow record reaches the SIEM twice: duplicate events, doubled counts and licence volume. "
                        + "Block the output of the node that should be passive" + gatePlacement(e) + ".",
                roleLines(e), null);
    }

    private static Finding noOutput(Evaluation e) {
        NodeState a = e.states().get(0);
        NodeState b = e.states().get(1);
        boolean bothBlocked = a.role() == NodeRole.PASSIVE_HOT && b.role() == NodeRole.PASSIVE_HOT;
        String cause = bothBlocked
                ? "Both outputs blocked: NFO runs on " + a.node() + " and " + b.node() + " with the gate BLOCKED"
                : "No node sends output: " + a.node() + " " + a.role() + ", " + b.node() + " " + b.role();
        return new Finding(Severity.CRITICAL, Finding.Kind.NO_OUTPUT, cause,
                "All flow data is being lost now: nothing reaches the SIEM" + gatePlacement(e) + ".",
                roleLines(e), null);
    }

    /** Pacemaker's intended placement, which is where an operator looks first. */
    private static String gatePlacement(Evaluation e) {
        if (e.pacemaker() == null) {
            return "";
        }
        List<String> open = e.states().stream().filter(s -> s.pacemaker() != null && s.pacemaker().gateStarted())
                .map(NodeState::node).toList();
        return open.isEmpty() ? "; Pacemaker has the gate resource open nowhere"
                : "; Pacemaker means the output to be open on " + String.join(" and ", open);
    }

    private static List<String> roleLines(Evaluation e) {
        return e.states().stream().map(s -> s.node() + ": " + s.role() + " — " + s.why()).toList();
    }

    private static void passiveReadiness(Evaluation e, String passive, List<Finding> out) {
        NodeState state = e.state(passive);
        String active = e.peerOf(passive);
        if (!state.role().known()) {
            return; // the unreachable or facts-missing finding says it; guessing readiness would be inventing facts
        }
        List<String> details = new ArrayList<>(List.of(passive + ": " + state.role() + " — " + state.why()));
        if (e.mode() == ClusterMode.HOT) {
            if (state.role() != NodeRole.PASSIVE_HOT) {
                out.add(notReady(passive, "Passive " + passive + " is not running NFO (" + state.why() + ")",
                        "It learns no templates and must start first: losing " + active + " means an output outage "
                                + "and data dropped until templates are re-learned. Check: systemctl status "
                                + e.service(passive), details));
                return;
            }
            UdpFacts udp = e.reading(passive).snapshot().udp();
            List<Integer> deaf = udp == null ? List.of() : udp.portsWithoutSocket(e.flowPorts(passive));
            if (!deaf.isEmpty()) {
                out.add(notReady(passive, "Passive " + passive + " has no socket on UDP " + join(deaf)
                                + ": it receives no flows",
                        "It learns no templates: after losing " + active + " the data of every NetFlow v9/IPFIX "
                                + "template would be dropped until exporters resend them. Check: ss -ulpn",
                        details));
            }
            return;
        }
        if (state.role() != NodeRole.PASSIVE_COLD) {
            String impact = switch (state.role()) {
                case PASSIVE_HOT, ACTIVE -> "NFO is running on the Cold passive outside Pacemaker's plan, on a "
                        + "configuration copy it must not use. Stop it: systemctl stop " + e.service(passive);
                case FAILED -> "Its last run failed; Pacemaker's start on failover may fail the same way. Check: "
                        + "journalctl -u " + e.service(passive);
                default -> "Its DRBD copy is not a ready Secondary: Pacemaker cannot promote it and start NFO, so "
                        + "losing " + active + " stops output. Check: drbdadm status " + e.cluster().drbdResource();
            };
            out.add(notReady(passive, "Cold passive " + passive + " cannot take over: " + state.why(), impact, details));
        }
    }

    private static Finding notReady(String passive, String cause, String impact, List<String> details) {
        return new Finding(Severity.WARNING, Finding.Kind.PASSIVE_NOT_READY, cause, impact, details, passive);
    }

    private static String join(List<Integer> ports) {
        return String.join(", ", ports.stream().map(String::valueOf).toList());
    }
}
