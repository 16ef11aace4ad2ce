package io.tandem.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeReading;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Survival;
import io.tandem.node.NodeOperations;
import io.tandem.operation.OperationKind.Subject;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.ClusterNode;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.Constraint;

/**
 * Pacemaker controls as operations: clear leftover move constraints, clean up failures, node standby/unstandby,
 * maintenance mode on/off, resource enable/disable. Each is one allow-listed pcs command. Its preflight judges from
 * the monitor's picture (as every operation's does) and shows what Pacemaker would then do: {@code crm_simulate} on a
 * copy of the live CIB with the command applied to the copy. The steps preview again (journaled), run the command on
 * a node where Pacemaker runs, and wait until the monitor's own readings show the effect.
 */
@Component
public class PacemakerControls {

    /** The journal's subject column. */
    private static final int MAX_SUBJECT = 63;

    private final OperationPlans plans;
    private final PairStates states;
    private final NodeConnections connections;
    private final OperationProperties properties;
    private final Clock clock;

    PacemakerControls(OperationPlans plans, PairStates states, NodeConnections connections, OperationProperties properties,
                      Clock clock) {
        this.plans = plans;
        this.states = states;
        this.connections = connections;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param subject the node (standby, unstandby), the resource (clear, cleanup, enable, disable) or the pair's name
     *        (maintenance; blank means the pair)
     * @param preview run crm_simulate now for the preflight page; the operation's first step previews again anyway
     */
    OperationPlans.Plan plan(ClusterView cluster, OperationKind kind, String subject, boolean preview) {
        if (!kind.pacemakerControl()) {
            throw new IllegalArgumentException(kind + " is not a Pacemaker control");
        }
        String target = subject(cluster, kind, subject);
        List<Check> checks = new ArrayList<>();
        Optional<PairStates.PairState> state = plans.currentState(cluster, checks);
        Optional<Pacemaker> pacemaker = state.flatMap(s -> pacemaker(cluster, s));
        if (state.isPresent() && pacemaker.isEmpty()) {
            checks.add(new Check(Verdict.BLOCK, "No node reports a running Pacemaker",
                    "Tandem runs pcs on a node where Pacemaker runs and reads its effect from crm_mon; neither is possible now."));
        }
        ClusterCommand command = command(cluster, kind, target, pacemaker);
        pacemaker.ifPresent(p -> {
            if (kind.subject() == Subject.RESOURCE && !p.status().resourceIds().contains(target)) {
                checks.add(new Check(Verdict.BLOCK, "Pacemaker has no resource named " + target,
                        "Resources: " + String.join(", ", p.status().resourceIds())));
            } else {
                judge(cluster, kind, target, command, state.get(), p, checks);
            }
        });
        NodeOperations.Simulation simulation = null;
        if (preview && pacemaker.isPresent() && checks.stream().noneMatch(c -> c.verdict() == Verdict.BLOCK)) {
            simulation = previewChecks(cluster, pacemaker.get(), command, checks);
        }
        ClusterView.NodeView runOn = pacemaker.map(Pacemaker::runOn).orElse(cluster.nodes().get(0));
        List<Step> steps = steps(cluster, kind, target, command, runOn);
        String phrase = kind.subject() == Subject.PAIR ? cluster.name() : target;
        return new OperationPlans.Plan(new Preflight(kind, target, checks, steps.stream().map(Step::name).toList(), phrase,
                simulation), steps);
    }

    /** The subject, checked: a node of the pair, a resource id pcs accepts (shape only here), or the pair itself. */
    private static String subject(ClusterView cluster, OperationKind kind, String subject) {
        String given = subject == null ? "" : subject.strip();
        return switch (kind.subject()) {
            case PAIR -> {
                if (!given.isEmpty() && !given.equals(cluster.name())) {
                    throw Rejected.invalid("unknown-subject", "node", kind.label() + " acts on the whole pair; give '"
                            + cluster.name() + "' or nothing, not '" + clip(given) + "'.");
                }
                yield cluster.name();
            }
            case NODE -> cluster.nodes().stream().map(ClusterView.NodeView::name).filter(given::equals).findFirst()
                    .orElseThrow(() -> Rejected.invalid("unknown-node", "node", "'" + clip(given) + "' is not a node of "
                            + cluster.name() + "; choose " + cluster.nodes().get(0).name() + " or " + cluster.nodes().get(1).name() + "."));
            case RESOURCE -> {
                if (given.length() > MAX_SUBJECT || !ClusterCommand.RESOURCE_ID.matcher(given).matches()) {
                    throw Rejected.invalid("invalid-resource", "node", "'" + clip(given) + "' is not a Pacemaker resource id "
                            + "(a letter or '_' first, then letters, digits, '_', '.', '-'; at most " + MAX_SUBJECT + ").");
                }
                yield given;
            }
        };
    }

    /** The Pacemaker view the monitor judges from, and the node pcs runs on: one that reads it, quorate first. */
    private record Pacemaker(ClusterStatus status, ClusterView.NodeView runOn, NodeReading reading) {
    }

    private static Optional<Pacemaker> pacemaker(ClusterView cluster, PairStates.PairState state) {
        Pacemaker best = null;
        for (ClusterView.NodeView node : cluster.nodes()) {
            NodeReading reading = state.readings().get(node.name());
            if (reading == null || !reading.observation().reachable() || reading.clusterStatus().isEmpty()) {
                continue;
            }
            Pacemaker candidate = new Pacemaker(reading.clusterStatus().get(), node, reading);
            if (best == null || !best.status().quorum() && candidate.status().quorum()) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The pcs command, with the node named as Pacemaker knows it (its host name when that is the member). */
    private static ClusterCommand command(ClusterView cluster, OperationKind kind, String target, Optional<Pacemaker> pacemaker) {
        return switch (kind) {
            case CLEAR_CONSTRAINTS -> new ClusterCommand.Clear(target, null);
            case CLEANUP_RESOURCE -> new ClusterCommand.Cleanup(target, null);
            case NODE_STANDBY -> new ClusterCommand.Standby(pacemakerName(cluster, target, pacemaker));
            case NODE_UNSTANDBY -> new ClusterCommand.Unstandby(pacemakerName(cluster, target, pacemaker));
            case MAINTENANCE_ON -> new ClusterCommand.Maintenance(true);
            case MAINTENANCE_OFF -> new ClusterCommand.Maintenance(false);
            case RESOURCE_ENABLE -> new ClusterCommand.Enable(target);
            case RESOURCE_DISABLE -> new ClusterCommand.Disable(target);
            default -> throw new IllegalArgumentException(kind + " is not a Pacemaker control");
        };
    }

    private static String pacemakerName(ClusterView cluster, String node, Optional<Pacemaker> pacemaker) {
        if (pacemaker.isEmpty()) {
            return node;
        }
        return pacemaker.get().reading().observation().node().equals(node) ? pacemaker.get().reading().pacemakerName(pacemaker.get().status())
                : node;
    }

    /**
     * A control the pair page offers now, from the monitor's picture: what applies to each of the pair's resources
     * and nodes in their current state (enable for a stopped resource, disable for a running one, and so on).
     *
     * @param urgent a finding asks for it (a leftover constraint, failures, standby, maintenance)
     */
    public record Offer(OperationKind kind, String subject, String label, boolean urgent) {
    }

    List<Offer> offers(ClusterView cluster) {
        Optional<PairStates.PairState> state = states.state(cluster.id());
        Optional<Pacemaker> pacemaker = state.flatMap(s -> pacemaker(cluster, s));
        if (pacemaker.isEmpty()) {
            return List.of();
        }
        ClusterStatus status = pacemaker.get().status();
        List<Offer> offers = new ArrayList<>();
        boolean maintenance = status.options().maintenanceMode();
        offers.add(maintenance ? new Offer(OperationKind.MAINTENANCE_OFF, cluster.name(), "End maintenance mode…", true)
                : new Offer(OperationKind.MAINTENANCE_ON, cluster.name(), "Maintenance mode on…", false));
        for (ClusterView.NodeView node : cluster.nodes()) {
            String pcmk = pacemakerName(cluster, node.name(), pacemaker);
            boolean standby = status.node(pcmk).map(ClusterNode::standby).orElse(false);
            offers.add(standby ? new Offer(OperationKind.NODE_UNSTANDBY, node.name(), "Unstandby " + node.name() + "…", true)
                    : new Offer(OperationKind.NODE_STANDBY, node.name(), "Standby " + node.name() + "…", false));
        }
        List<String> resources = new ArrayList<>();
        java.util.stream.Stream.of(cluster.vipResource(), cluster.gateResource(), cluster.nfoResource(), cluster.drbdResource())
                .filter(r -> r != null && !r.isBlank() && status.resourceIds().contains(r) && !resources.contains(r))
                .forEach(resources::add);
        status.failures().stream().map(f -> f.resource()).filter(r -> r != null && status.resourceIds().contains(r)
                && !resources.contains(r)).forEach(resources::add);
        for (String resource : resources) {
            if (!leftovers(state.get(), status, resource).isEmpty()) {
                offers.add(new Offer(OperationKind.CLEAR_CONSTRAINTS, resource, "Clear " + resource + "'s move constraints…", true));
            }
            if (status.failures().stream().anyMatch(f -> resource.equals(f.resource()))) {
                offers.add(new Offer(OperationKind.CLEANUP_RESOURCE, resource, "Clean up " + resource + "'s failures…", true));
            }
            offers.add(status.nodesRunning(resource).isEmpty()
                    ? new Offer(OperationKind.RESOURCE_ENABLE, resource, "Enable " + resource + "…", false)
                    : new Offer(OperationKind.RESOURCE_DISABLE, resource, "Disable " + resource + "…", false));
        }
        return offers;
    }

    // ---- what Tandem checks before each control ----

    private void judge(ClusterView cluster, OperationKind kind, String target, ClusterCommand command,
                       PairStates.PairState state, Pacemaker p, List<Check> checks) {
        ClusterStatus status = p.status();
        if (!status.quorum()) {
            checks.add(new Check(Verdict.BLOCK, p.runOn().name() + "'s Pacemaker has no quorum",
                    "A partition without quorum must not change the cluster; restore the membership first (corosync-quorumtool -s)."));
            return;
        }
        switch (kind) {
            case CLEAR_CONSTRAINTS -> {
                List<String> leftovers = leftovers(state, status, target);
                checks.add(leftovers.isEmpty()
                        ? new Check(Verdict.WARN, "Tandem sees no cli-prefer or cli-ban constraint on " + target,
                                "pcs resource clear removes nothing then; the preview shows whether Pacemaker would move anything.")
                        : new Check(Verdict.PASS, "Removes " + String.join(", ", leftovers),
                                "Constraints a move or ban left behind; Pacemaker then places " + target + " by its own rules again."));
            }
            case CLEANUP_RESOURCE -> {
                long failures = status.failures().stream().filter(f -> target.equals(f.resource())).count();
                checks.add(failures == 0
                        ? new Check(Verdict.WARN, "Tandem sees no failed action of " + target,
                                "Cleanup re-probes " + target + " on every node anyway; nothing else changes.")
                        : new Check(Verdict.PASS, "Forgets " + failures + " failed action" + (failures == 1 ? "" : "s") + " of " + target,
                                "Fail counts reset: a resource banned by migration-threshold may start again where it failed. "
                                        + "Fix the cause first."));
            }
            case NODE_STANDBY -> {
                String pcmk = command.node();
                boolean already = status.node(pcmk).map(ClusterNode::standby).orElse(false);
                NodeRole role = state.health().node(target).role();
                Survival survival = state.health().canSurviveLossOf(target);
                if (already) {
                    checks.add(new Check(Verdict.WARN, target + " is already in standby", "Nothing changes."));
                } else if (role == NodeRole.ACTIVE && !survival.survives()) {
                    checks.add(new Check(Verdict.BLOCK, target + " is ACTIVE and its peer cannot take over", survival.reason()));
                } else if (role == NodeRole.ACTIVE) {
                    checks.add(new Check(Verdict.WARN, target + " is ACTIVE: Pacemaker moves its resources to the peer",
                            "A failover with an output gap of seconds (Hot) or minutes (Cold). " + survival.reason() + "."));
                } else {
                    checks.add(new Check(Verdict.WARN, "While " + target + " is in standby the pair cannot survive losing its peer",
                            "For patching: standby the passive, patch, unstandby, and check its readiness before anything else."));
                }
            }
            case NODE_UNSTANDBY -> {
                boolean standby = status.node(command.node()).map(ClusterNode::standby).orElse(false);
                checks.add(standby ? new Check(Verdict.PASS, target + " is in standby; Pacemaker may run resources there again",
                        "Check the preview: Pacemaker may move resources back if constraints prefer " + target + ".")
                        : new Check(Verdict.WARN, target + " is not in standby", "Nothing changes."));
            }
            case MAINTENANCE_ON -> checks.add(status.options().maintenanceMode()
                    ? new Check(Verdict.WARN, "Maintenance mode is already on", "Nothing changes.")
                    : new Check(Verdict.WARN, "Pacemaker stops managing the whole cluster",
                            "No monitoring, no recovery, no failover until maintenance mode ends: losing the active is an outage."));
            case MAINTENANCE_OFF -> checks.add(status.options().maintenanceMode()
                    ? new Check(Verdict.PASS, "Pacemaker manages the cluster again",
                            "It probes every resource and starts, stops or moves what differs from its configuration: see the preview.")
                    : new Check(Verdict.WARN, "Maintenance mode is already off", "Nothing changes."));
            case RESOURCE_DISABLE -> checks.add(carriesOutput(cluster, target)
                    ? new Check(Verdict.WARN, target + " carries the pair's output: disabling it stops the output",
                            "Pacemaker stops " + target + " on every node; nothing fails over. The preview lists what stops.")
                    : new Check(Verdict.WARN, "Pacemaker stops " + target + " on every node", "The preview lists what stops."));
            case RESOURCE_ENABLE -> checks.add(new Check(Verdict.PASS, "Pacemaker may start " + target + " again",
                    "It starts where its constraints allow: see the preview."));
            default -> throw new IllegalArgumentException(kind.name());
        }
    }

    private static boolean carriesOutput(ClusterView cluster, String resource) {
        return resource.equals(cluster.vipResource()) || resource.equals(cluster.gateResource())
                || resource.equals(cluster.nfoResource());
    }

    /** cli-prefer/cli-ban ids on the resource: from any node's CIB, and crm_mon's bans. */
    private static List<String> leftovers(PairStates.PairState state, ClusterStatus status, String resource) {
        List<String> ids = new ArrayList<>();
        state.readings().values().stream().filter(r -> r.cib() != null).forEach(r -> r.cib().leftoverMoves().stream()
                .filter(c -> c instanceof Constraint.Location l && resource.equals(l.resource()))
                .map(c -> ((Constraint.Location) c).id()).filter(id -> !ids.contains(id)).forEach(ids::add));
        status.leftoverMoveBans().stream().filter(b -> resource.equals(b.resource())).map(b -> b.id())
                .filter(id -> !ids.contains(id)).forEach(ids::add);
        return ids;
    }

    /** Runs the preview on the node pcs would run on and turns what Pacemaker would do into checks. */
    private NodeOperations.Simulation previewChecks(ClusterView cluster, Pacemaker p, ClusterCommand command, List<Check> checks) {
        NodeOperations.Simulation simulation;
        try {
            simulation = connections.call(cluster.id(), p.runOn().id(), (access, node) -> access.simulate(node, command));
        } catch (Exception e) {
            checks.add(new Check(Verdict.BLOCK, "Cannot preview on " + p.runOn().name() + ": " + describe(e),
                    "Tandem shows what Pacemaker would do before it asks; without a preview it does not run the command."));
            return null;
        }
        if (!simulation.succeeded()) {
            checks.add(new Check(Verdict.BLOCK, "Pacemaker refused it on a copy of the CIB", simulation.refusal()));
            return simulation;
        }
        String which = simulation.applied() ? "With " + String.join(" ", command.argv()) + " applied to a copy of the live CIB"
                : "The CIB as it is (" + command.verb() + " does not edit the CIB, so only the live run shows its effect)";
        if (simulation.transitions().isEmpty()) {
            checks.add(new Check(Verdict.PASS, "Pacemaker would start, stop or move nothing", which + ", crm_simulate plans no action."));
        } else {
            List<String> touching = simulation.transitions().stream().filter(t -> touchesOutput(cluster, t)).toList();
            checks.add(new Check(touching.isEmpty() ? Verdict.PASS : Verdict.WARN,
                    "Pacemaker would: " + String.join("; ", simulation.transitions()),
                    which + ", from crm_simulate" + (touching.isEmpty() ? "." : "; this touches the output: " + String.join("; ", touching))));
        }
        return simulation;
    }

    private static boolean touchesOutput(ClusterView cluster, String transition) {
        String[] words = transition.split(" ");
        return words.length > 1 && (words[1].equals(cluster.vipResource()) || words[1].equals(cluster.gateResource())
                || words[1].equals(cluster.nfoResource()) || words[1].startsWith(cluster.nfoResource() + ":"));
    }

    // ---- the steps ----

    private List<Step> steps(ClusterView cluster, OperationKind kind, String target, ClusterCommand command,
                             ClusterView.NodeView runOn) {
        String pcs = String.join(" ", command.argv());
        Instant[] ranAt = new Instant[1];
        return List.of(
                new Step("Preview on " + runOn.name() + ": crm_simulate on a copy of the CIB with " + pcs, () -> {
                    NodeOperations.Simulation simulation = connections.call(cluster.id(), runOn.id(),
                            (access, node) -> access.simulate(node, command));
                    if (!simulation.succeeded()) {
                        throw new IllegalStateException("Pacemaker refused it on a copy of the CIB: " + simulation.refusal()
                                + " Nothing was changed.");
                    }
                    return Step.Result.done(simulation.transitions().isEmpty() ? "Pacemaker would start, stop or move nothing."
                            : "Pacemaker would: " + String.join("; ", simulation.transitions()) + ".");
                }),
                new Step("Run " + pcs + " on " + runOn.name(), () -> {
                    ranAt[0] = clock.instant();
                    NodeOperations.Outcome outcome = connections.call(cluster.id(), runOn.id(),
                            (access, node) -> access.pacemaker(node, command));
                    OperationPlans.requireSuccess(outcome, pcs);
                    return Step.Result.done(OperationPlans.firstLine(outcome.stdout(),
                            OperationPlans.firstLine(outcome.stderr(), pcs + " succeeded (exit 0).")));
                }),
                new Step("Wait until Tandem reads " + effect(kind, target), true, () -> {
                    plans.await(cluster, properties.controlTimeout(), ranAt[0], seen(kind, target, command), effect(kind, target));
                    return Step.Result.done(done(kind, target) + " (" + pcs + ", read back from crm_mon "
                            + String.format("%.1f s", java.time.Duration.between(ranAt[0], clock.instant()).toMillis() / 1000.0)
                            + " after it ran).");
                }));
    }

    private static String effect(OperationKind kind, String target) {
        return switch (kind) {
            case CLEAR_CONSTRAINTS -> "no cli-prefer or cli-ban constraint on " + target;
            case CLEANUP_RESOURCE -> "no failed action of " + target;
            case NODE_STANDBY -> target + " in standby";
            case NODE_UNSTANDBY -> target + " out of standby";
            case MAINTENANCE_ON -> "maintenance mode on";
            case MAINTENANCE_OFF -> "maintenance mode off";
            case RESOURCE_ENABLE -> target + " running";
            case RESOURCE_DISABLE -> target + " stopped everywhere";
            default -> kind.label();
        };
    }

    private static String done(OperationKind kind, String target) {
        return switch (kind) {
            case CLEAR_CONSTRAINTS -> "No move constraint is left on " + target;
            case CLEANUP_RESOURCE -> target + " has no failed action left";
            case NODE_STANDBY -> target + " is in standby";
            case NODE_UNSTANDBY -> target + " is out of standby";
            case MAINTENANCE_ON -> "Maintenance mode is on";
            case MAINTENANCE_OFF -> "Maintenance mode is off";
            case RESOURCE_ENABLE -> target + " runs";
            case RESOURCE_DISABLE -> target + " is stopped everywhere";
            default -> kind.label();
        };
    }

    /** The effect, judged from every node that reads Pacemaker (readings after the command, see await). */
    private static Predicate<PairStates.PairState> seen(OperationKind kind, String target, ClusterCommand command) {
        return state -> {
            List<NodeReading> readers = state.readings().values().stream()
                    .filter(r -> r.observation().reachable() && r.clusterStatus().isPresent()).toList();
            if (readers.isEmpty()) {
                return false;
            }
            return readers.stream().allMatch(r -> {
                ClusterStatus status = r.clusterStatus().get();
                return switch (kind) {
                    case CLEAR_CONSTRAINTS -> leftovers(state, status, target).isEmpty();
                    case CLEANUP_RESOURCE -> status.failures().stream().noneMatch(f -> target.equals(f.resource()));
                    case NODE_STANDBY -> status.node(command.node()).map(ClusterNode::standby).orElse(false);
                    case NODE_UNSTANDBY -> !status.node(command.node()).map(ClusterNode::standby).orElse(true);
                    case MAINTENANCE_ON -> status.options().maintenanceMode();
                    case MAINTENANCE_OFF -> !status.options().maintenanceMode();
                    case RESOURCE_ENABLE -> !status.nodesRunning(target).isEmpty();
                    case RESOURCE_DISABLE -> status.nodesRunning(target).isEmpty();
                    default -> false;
                };
            });
        };
    }

    private static String describe(Exception e) {
        if (e instanceof io.tandem.node.NodeAccessException n) {
            return n.reason() + ": " + n.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String clip(String text) {
        String cleaned = text.codePoints().limit(64).map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return text.length() > 64 ? cleaned + "…" : cleaned;
    }
}
