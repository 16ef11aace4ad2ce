package io.tandem.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tandem.drbd.DrbdRole;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeSnapshot;
import io.tandem.pacemaker.Ban;
import io.tandem.pacemaker.ClusterNode;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.Constraint;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.Failure;

/** Pacemaker's own health, and every place where Pacemaker believes something the nodes deny. */
final class PacemakerRules {

    /** Policies under which a partition without quorum stops (or fences) its resources. */
    private static final Set<String> STOPPING_POLICIES = Set.of("stop", "demote", "suicide");

    private PacemakerRules() {
    }

    static void check(Evaluation e, List<Finding> out) {
        e.readings().forEach(r -> quorum(r, out));
        offline(e, out);
        PacemakerView view = e.pacemaker();
        if (view == null) {
            return;
        }
        membership(e, view, out);
        unknownResources(e, view, out);
        e.readings().forEach(r -> disagreements(e, view, r, out));
        failures(view, out);
        leftoverConstraints(e, view, out);
        fencing(view, out);
    }

    /**
     * A two-node cluster without fencing cannot settle a split: when the nodes lose contact, each may take the
     * resources and open its output, and nothing stops the other.
     */
    private static void fencing(PacemakerView view, List<Finding> out) {
        ClusterStatus status = view.status();
        long members = status.nodes().stream().filter(n -> n.type() == ClusterNode.Type.MEMBER).count();
        boolean enabled = status.options().stonithEnabled();
        List<String> devices = status.fencingDevices().stream().map(p -> p.id() + " (" + p.agent() + ")").toList();
        if (members != 2 || (enabled && !devices.isEmpty())) {
            return;
        }
        out.add(new Finding(Severity.WARNING, Finding.Kind.NO_FENCING,
                enabled ? "Fencing is enabled but no fence device is configured in this two-node cluster"
                        : "This two-node cluster runs without fencing (stonith-enabled=false)",
                "If the nodes lose contact, each may believe the other dead, start NFO and open its output: duplicate "
                        + "data in the SIEM that nothing stops. Configure a fence device (pcs stonith create ...) and "
                        + "set stonith-enabled=true.",
                List.of("stonith-enabled=" + enabled, devices.isEmpty() ? "no fence devices" : "fence devices: " + String.join(", ", devices),
                        "as " + view.reportedBy() + " sees it"), null));
    }

    private static void quorum(NodeReading r, List<Finding> out) {
        Optional<ClusterStatus> status = r.clusterStatus();
        if (status.isEmpty() || status.get().quorum()) {
            return;
        }
        String policy = status.get().options().noQuorumPolicy();
        boolean stops = STOPPING_POLICIES.contains(policy);
        out.add(new Finding(stops ? Severity.CRITICAL : Severity.WARNING, Finding.Kind.NO_QUORUM,
                "Pacemaker on " + r.node() + " has no quorum (no-quorum-policy=" + policy + ")",
                stops ? "Pacemaker on " + r.node() + " stops the resources it runs there and starts none: no output "
                        + "from it and no failover to it. Check: corosync-quorumtool -s"
                        : "Pacemaker on " + r.node() + " will not start or move anything. Check: corosync-quorumtool -s",
                List.of(), r.node()));
    }

    /** Per node, every reason Pacemaker cannot run resources there: its own crm_mon and the chosen view. */
    private static void offline(Evaluation e, List<Finding> out) {
        for (NodeReading r : e.readings()) {
            List<String> reasons = new ArrayList<>();
            if (r.pacemaker() instanceof CrmMonResult.NotRunning notRunning) {
                reasons.add("Pacemaker is not running on " + r.node() + " (" + notRunning.description() + ")");
            } else if (r.pacemaker() instanceof CrmMonResult.ToolError error) {
                reasons.add("crm_mon on " + r.node() + " failed: " + error.code() + " " + error.message());
            }
            if (e.pacemaker() != null && r.reachable()) {
                Optional<ClusterNode> node = e.pacemaker().node(r);
                String seenFrom = " (as " + e.pacemaker().reportedBy() + " sees it)";
                if (node.isEmpty()) {
                    reasons.add(r.node() + " is not a node of the Pacemaker cluster" + seenFrom);
                } else if (!node.get().online()) {
                    reasons.add(r.node() + " is offline in Pacemaker" + (node.get().unclean() ? ", unclean (awaiting fencing)" : "") + seenFrom);
                }
            }
            if (!reasons.isEmpty()) {
                out.add(new Finding(Severity.WARNING, Finding.Kind.NODE_OFFLINE_IN_PACEMAKER, reasons.get(0),
                        "Pacemaker cannot run or move resources to " + r.node() + ": losing " + e.peerOf(r.node())
                                + " would not fail over. Check: pcs status",
                        reasons, r.node()));
            }
        }
    }

    private static void membership(Evaluation e, PacemakerView view, List<Finding> out) {
        if (view.status().options().maintenanceMode()) {
            out.add(new Finding(Severity.WARNING, Finding.Kind.MAINTENANCE,
                    "Pacemaker is in maintenance mode (maintenance-mode=true)",
                    "Pacemaker neither monitors, recovers nor fails over anything: losing a node is an outage. "
                            + "End it: pcs property set maintenance-mode=false",
                    List.of(), null).withRemedy(new Finding.Remedy("MAINTENANCE_OFF", e.cluster().name(), "End maintenance mode…")));
        }
        for (NodeReading r : e.readings()) {
            view.node(r).ifPresent(node -> {
                if (node.maintenance()) {
                    out.add(new Finding(Severity.WARNING, Finding.Kind.MAINTENANCE,
                            r.node() + " is in maintenance in Pacemaker",
                            "Pacemaker does not manage resources on " + r.node() + ": no recovery there and no "
                                    + "failover to it. End it: pcs node unmaintenance " + r.node(),
                            List.of(), r.node()));
                }
                if (node.standby() || node.standbyOnFail()) {
                    out.add(new Finding(Severity.WARNING, Finding.Kind.STANDBY,
                            r.node() + " is in standby" + (node.standbyOnFail() ? " after a failure (standby_onfail)" : ""),
                            "Pacemaker will run nothing on " + r.node() + ": losing " + e.peerOf(r.node())
                                    + " would stop output. End it: pcs node unstandby " + r.node(),
                            List.of(), r.node()).withRemedy(new Finding.Remedy("NODE_UNSTANDBY", r.node(),
                            "Take " + r.node() + " out of standby…")));
                }
            });
        }
    }

    /** A resource name that Pacemaker does not know makes every comparison below silently true: say so. */
    private static void unknownResources(Evaluation e, PacemakerView view, List<Finding> out) {
        ClusterView c = e.cluster();
        List<String> names = new ArrayList<>(List.of(c.nfoResource()));
        if (c.gateResource() != null && !c.gateResource().isBlank()) {
            names.add(c.gateResource());
        }
        List<String> unknown = names.stream().filter(id -> !view.knows(id)).toList();
        if (!unknown.isEmpty()) {
            out.add(new Finding(Severity.WARNING, Finding.Kind.PACEMAKER_DISAGREES,
                    "Pacemaker has no resource named " + String.join(", ", unknown),
                    "Tandem cannot compare Pacemaker's placement with the nodes. Check the pair's resource names "
                            + "against: pcs resource status",
                    List.of("Pacemaker resources: " + String.join(", ", view.status().resourceIds())), null));
        }
    }

    private static void disagreements(Evaluation e, PacemakerView view, NodeReading r, List<Finding> out) {
        NodeSnapshot snapshot = r.snapshot();
        if (snapshot == null) {
            return;
        }
        PacemakerOpinion says = e.state(r.node()).pacemaker();
        ClusterView c = e.cluster();
        String node = r.node();
        List<String> contradictions = new ArrayList<>();
        if (snapshot.service() != null && view.knows(c.nfoResource())) {
            boolean running = snapshot.service().running();
            if (says.nfoStarted() && !running) {
                contradictions.add("Pacemaker has " + c.nfoResource() + " started on " + node + ", but " + node
                        + " says " + e.service(node) + " is " + Roles.describe(snapshot.service()));
            } else if (!says.nfoStarted() && running) {
                contradictions.add(node + " runs " + e.service(node) + ", but Pacemaker has " + c.nfoResource()
                        + " stopped there");
            }
        }
        if (snapshot.gate() != null && snapshot.gate().status() != GateStatus.ABSENT && view.knows(c.gateResource())) {
            boolean open = snapshot.gate().status() == GateStatus.OPEN;
            Optional<java.time.Instant> held = snapshot.gate().heldUntil();
            if (says.gateStarted() && !open && held.isPresent() && snapshot.takenAt().isBefore(held.get())) {
                // a switchover's hold (ADR 0002, agent 1.2): the gate agent reads it as running too, and Pacemaker's
                // stop replaces it when it moves; the node's role line says so. Expired, it is a contradiction below.
            } else if (says.gateStarted() && !open) {
                contradictions.add("Pacemaker has " + c.gateResource() + " started on " + node
                        + " (output open), but " + node + "'s gate is BLOCKED" + held.map(until -> " by Tandem's "
                        + "handover hold, expired at " + until + ": the gate agent reports it failed").orElse(""));
            } else if (!says.gateStarted() && open) {
                contradictions.add(node + "'s output gate is OPEN, but Pacemaker has " + c.gateResource()
                        + " stopped there (output meant blocked)");
            }
        }
        NodeRole role = e.state(node).role();
        if (says.vipHere() && (role == NodeRole.PASSIVE_HOT || role == NodeRole.STOPPED || role == NodeRole.FAILED)) {
            contradictions.add("Pacemaker placed " + c.vipResource() + " on " + node + ", which is " + role
                    + ": flows sent to the VIP are not forwarded");
        }
        Optional<String> drbdPrimitive = view.drbd(c);
        if (e.mode() == ClusterMode.COLD && drbdPrimitive.isPresent()) {
            r.drbdResource(c.drbdResource()).ifPresent(drbd -> {
                boolean primary = drbd.role() == DrbdRole.PRIMARY;
                if (says.drbdPromoted() != primary) {
                    contradictions.add("Pacemaker has " + drbdPrimitive.get() + (says.drbdPromoted() ? " Promoted" : " not Promoted")
                            + " on " + node + ", but DRBD there is " + Roles.drbdWord(drbd.role()));
                }
            });
        }
        if (!contradictions.isEmpty()) {
            out.add(new Finding(Severity.WARNING, Finding.Kind.PACEMAKER_DISAGREES, contradictions.get(0),
                    "Pacemaker acts on a picture that is not true: its next failover may open the wrong output or "
                            + "none. Check: crm_resource --why -r " + c.nfoResource() + " and the node's own state",
                    contradictions, node));
        }
    }

    private static void failures(PacemakerView view, List<Finding> out) {
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        Map<String, String> firstResource = new LinkedHashMap<>();
        for (Failure f : view.status().failures()) {
            if (f.resource() != null && !f.resource().isBlank()) {
                firstResource.putIfAbsent(f.node(), f.resource());
            }
            byNode.computeIfAbsent(f.node(), n -> new ArrayList<>()).add(f.opKey() + " on " + f.node() + ": "
                    + f.exitStatus() + " (rc " + f.exitCode() + ")"
                    + (f.lastRcChange() == null ? "" : ", " + f.lastRcChange())
                    + (f.exitReason() == null || f.exitReason().isBlank() ? "" : ": " + f.exitReason()));
        }
        byNode.forEach((node, lines) -> out.add(new Finding(Severity.WARNING, Finding.Kind.PACEMAKER_FAILURES,
                Texts.count(lines.size(), "failed Pacemaker action", "failed Pacemaker actions") + " on " + node
                        + ": " + lines.get(0),
                "Each failure counts toward migration-threshold; at the threshold Pacemaker bans the resource from "
                        + node + " until cleaned up. After fixing the cause: pcs resource cleanup --node " + node,
                Texts.capped(lines), node.isBlank() ? null : node).withRemedy(firstResource.containsKey(node)
                ? new Finding.Remedy("CLEANUP_RESOURCE", firstResource.get(node), "Clean up " + firstResource.get(node) + "…")
                : null)));
    }

    /** cli-ban and cli-prefer left by a move, from the CIB when a node gave it and crm_mon's bans otherwise. */
    private static void leftoverConstraints(Evaluation e, PacemakerView view, List<Finding> out) {
        Map<String, Leftover> byId = new LinkedHashMap<>();
        for (NodeReading r : e.readings()) {
            if (r.cib() != null) {
                for (Constraint c : r.cib().leftoverMoves()) {
                    if (c instanceof Constraint.Location l) {
                        byId.putIfAbsent(l.id(), new Leftover(l.id(), l.resource(), l.node(), l.isBan()));
                    }
                }
            }
        }
        for (Ban ban : view.status().leftoverMoveBans()) {
            byId.putIfAbsent(ban.id(), new Leftover(ban.id(), ban.resource(), ban.node(), true));
        }
        Map<String, List<Leftover>> byNode = new LinkedHashMap<>();
        byId.values().forEach(l -> byNode.computeIfAbsent(l.node() == null ? "" : l.node(), n -> new ArrayList<>()).add(l));
        byNode.forEach((key, leftovers) -> {
            String node = key.isBlank() ? null : key;
            String where = node == null ? "its node" : node;
            Leftover first = leftovers.stream().filter(Leftover::ban).findFirst().orElse(leftovers.get(0));
            List<String> details = leftovers.stream().map(l -> l.id() + ": " + (l.ban() ? "keeps " : "pins ")
                    + l.resource() + (l.ban() ? " off " : " to ") + l.node()).toList();
            String clear = "pcs resource clear " + first.resource();
            Finding.Remedy remedy = new Finding.Remedy("CLEAR_CONSTRAINTS", first.resource(),
                    "Clear the move constraints of " + first.resource() + "…");
            out.add(first.ban()
                    ? new Finding(Severity.WARNING, Finding.Kind.LEFTOVER_CONSTRAINT,
                            "Leftover " + first.id() + " keeps " + first.resource() + " off " + where,
                            "Pacemaker will not fail over to " + where + ": losing its peer stops output. Remove it: "
                                    + clear, details, node).withRemedy(remedy)
                    : new Finding(Severity.INFO, Finding.Kind.LEFTOVER_CONSTRAINT,
                            "Leftover " + first.id() + " pins " + first.resource() + " to " + where,
                            "When " + where + " returns after a failure, Pacemaker moves " + first.resource()
                                    + " back to it: an unplanned second failover. Remove it: " + clear,
                            details, node).withRemedy(remedy));
        });
    }

    private record Leftover(String id, String resource, String node, boolean ban) {
    }
}
