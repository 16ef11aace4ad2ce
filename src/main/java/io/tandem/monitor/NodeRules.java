package io.tandem.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;

/** Findings about reading the nodes themselves: reachability, pinned keys, freshness, unreadable parts, the gate. */
final class NodeRules {

    private NodeRules() {
    }

    static void check(Evaluation e, List<Finding> out) {
        for (NodeReading r : e.readings()) {
            access(e, r, out);
            staleness(e, r, out);
            unreadableParts(e, r, out);
            gate(r, out);
        }
    }

    private static void access(Evaluation e, NodeReading r, List<Finding> out) {
        NodeObservation.ReadFailure failure = r.observation().failure();
        if (failure == null) {
            return;
        }
        String node = r.node();
        if (failure.keyChanged()) {
            out.add(new Finding(Severity.CRITICAL, Finding.Kind.KEY_CHANGED,
                    "KEY CHANGED on " + node + ": it presented a key that is not the pinned one",
                    "Tandem refuses to talk to " + node + " (possible attack, or the node was reinstalled); its state "
                            + "is unknown. Verify the fingerprint out of band, then re-pin it on the node page.",
                    List.of(failure.message()), node));
            return;
        }
        if (r.observation().neverRead()) {
            out.add(new Finding(Severity.WARNING, Finding.Kind.NODE_UNREACHABLE, node + " has not been read yet",
                    "Tandem has no facts about " + node + " yet; its first reading follows within seconds.",
                    List.of(failure.message()), node));
            return;
        }
        String peer = e.peerOf(node);
        boolean peerSends = e.state(peer).role() == NodeRole.ACTIVE;
        // "no readable node is sending" is about both nodes at once: the peer's reading must postdate the loss
        boolean peerReadSince = e.readTogether();
        PacemakerOpinion seen = e.state(node).pacemaker();
        boolean onlineInPacemaker = seen != null && seen.member() && seen.online();
        boolean offlineInPacemaker = seen != null && seen.member() && !seen.online();
        out.add(new Finding(peerSends || !peerReadSince ? Severity.WARNING : Severity.CRITICAL, Finding.Kind.NODE_UNREACHABLE,
                "Cannot read " + node + ": " + failure.reason() + (onlineInPacemaker
                        ? ". " + accessName(e, node, true) + " is not answering; Pacemaker on " + seen.reportedBy() + " sees " + node + " online"
                        : offlineInPacemaker
                        ? ". " + node + " is down: Pacemaker on " + seen.reportedBy() + " sees it offline"
                        : ""),
                (onlineInPacemaker
                        ? node + " itself is up as far as its cluster can tell: what fails is Tandem's access to it ("
                                + accessName(e, node, false) + ", or the network between Tandem and " + node + "). "
                        : "")
                + (peerSends
                        ? "Tandem cannot tell whether " + node + " could take over from " + peer + "."
                        : !peerReadSince
                        ? "Whether " + peer + " has taken over is not known yet: its latest reading is from before "
                                + node + " was lost."
                        : "No readable node is sending output: unless " + node + " is, all flow data is being lost."),
                List.of(failure.message()), node));
    }

    /** What Tandem reads the node through, as the operator would name it when it does not answer. */
    private static String accessName(Evaluation e, String node, boolean first) {
        return e.observation().settingsOf(node).map(ClusterView.NodeView::access)
                .map(kind -> kind == io.tandem.fleet.AccessKind.SSH ? "SSH on " + node : (first ? "The" : "the") + " Tandem agent on " + node)
                .orElse((first ? "Tandem's" : "its") + " access to " + node);
    }

    private static void staleness(Evaluation e, NodeReading r, List<Finding> out) {
        PairObservation o = e.observation();
        if (r.observation().neverRead()) {
            return; // no reading has an age: counting from the placeholder's time would say "since 1970"
        }
        Duration age = Duration.between(r.observation().observedAt(), o.now());
        if (age.compareTo(o.freshnessBound()) <= 0) {
            return;
        }
        out.add(new Finding(Severity.WARNING, Finding.Kind.STALE_DATA,
                "Data from " + r.node() + " is " + Texts.duration(age) + " old (bound " + Texts.duration(o.freshnessBound()) + ")",
                "What is shown for " + r.node() + " may no longer be true. Check the collector and the connection to it.",
                List.of("observed at " + r.observation().observedAt(), "now " + o.now()), r.node()));
    }

    private static void unreadableParts(Evaluation e, NodeReading r, List<Finding> out) {
        // a Hot pair has no DRBD: its absence or noise there says nothing about the pair
        List<String> parts = r.unreadable().stream()
                .filter(line -> e.mode() == ClusterMode.COLD || !line.startsWith("drbd:")).toList();
        if (parts.isEmpty()) {
            return;
        }
        String names = String.join(", ", parts.stream().map(line -> line.substring(0, line.indexOf(':'))).distinct().toList());
        out.add(new Finding(Severity.WARNING, Finding.Kind.FACTS_MISSING,
                "Could not read " + names + " on " + r.node(),
                "Tandem cannot vouch for " + r.node() + " where these facts are missing; findings that need them are silent.",
                Texts.capped(parts), r.node()));
    }

    private static void gate(NodeReading r, List<Finding> out) {
        GateState gate = r.snapshot() == null ? null : r.snapshot().gate();
        if (gate == null || (gate.status() != GateStatus.ABSENT && gate.problems().isEmpty())) {
            return;
        }
        boolean absent = gate.status() == GateStatus.ABSENT;
        List<String> details = new ArrayList<>(gate.problems());
        details.add(0, "gate " + gate.status() + ", " + gate.rules().size() + " rule(s), "
                + gate.droppedPackets() + " packets dropped");
        out.add(new Finding(Severity.WARNING, Finding.Kind.GATE_UNRELIABLE,
                absent ? r.node() + " has no output gate (nft table inet tandem missing)"
                        : r.node() + "'s output gate deviates from the convention: " + gate.problems().get(0),
                absent ? "Nothing can block NFO's output on " + r.node() + ": whenever NFO runs there it sends to "
                        + "the SIEM, whatever Pacemaker decides. Check: nft list table inet tandem"
                        : "The gate may not do what its status says. Check: nft -a list table inet tandem",
                Texts.capped(details), r.node()));
    }
}
