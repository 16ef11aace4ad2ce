package io.tandem.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.tandem.drbd.DrbdResource;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeReading;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.node.NodeSnapshot;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;

/**
 * What operations mean for a Cold pair, where the configuration lives on the DRBD volume and the passive runs no NFO:
 * the "copy" checks that DRBD keeps the passive's replica instead of copying files; a failover needs the passive's
 * disk UpToDate and connected, or the operator's typed acceptance of losing what was not replicated; and its summary
 * says how long NFO took to answer on the new active.
 */
final class ColdOperations {

    private final OperationPlans plans;
    private final PairStates states;
    private final OperationProperties properties;
    private final Clock clock;

    ColdOperations(OperationPlans plans, PairStates states, OperationProperties properties, Clock clock) {
        this.plans = plans;
        this.states = states;
        this.properties = properties;
        this.clock = clock;
    }

    /** The phrase that accepts the loss of unreplicated data: longer than the pair's name, so never typed by habit. */
    static String dataLossPhrase(ClusterView cluster) {
        return "accept data loss on " + cluster.name();
    }

    /** The passive's DRBD resource as its own drbdsetup last reported it. */
    static Optional<DrbdResource> replica(ClusterView cluster, PairStates.PairState state, String node) {
        NodeReading reading = state.readings().get(node);
        if (reading == null || reading.drbd() == null || cluster.drbdResource() == null) {
            return Optional.empty();
        }
        return reading.drbd().resource(cluster.drbdResource());
    }

    /**
     * Why the replica is not a safe copy, or empty when it is (connected, every disk UpToDate). Both nodes' views
     * count: the two readings are taken apart, and the first one to see the link down is right.
     */
    static Optional<String> replicaProblem(ClusterView cluster, Optional<PairStates.PairState> state, String node) {
        if (state.isEmpty()) {
            return Optional.of("Tandem has not read the pair yet");
        }
        Optional<DrbdResource> replica = replica(cluster, state.get(), node);
        if (replica.isEmpty()) {
            return Optional.of(node + " reports no DRBD resource " + cluster.drbdResource());
        }
        Optional<String> own = problem(replica.get(), node + "'s DRBD");
        if (own.isPresent()) {
            return own;
        }
        return cluster.nodes().stream().map(ClusterView.NodeView::name).filter(n -> !n.equals(node))
                .flatMap(peer -> replica(cluster, state.get(), peer).flatMap(r -> problem(r, peer + "'s view of the DRBD link"))
                        .stream()).findFirst();
    }

    private static Optional<String> problem(DrbdResource r, String whose) {
        if (r.isSplitBrain()) {
            return Optional.of("DRBD split brain (" + whose + ")");
        }
        if (!r.isConnected()) {
            return Optional.of(whose + ": not connected to its peer");
        }
        if (!r.isUpToDateBothSides()) {
            return Optional.of(whose + ": a disk is not UpToDate" + (r.isResyncing() ? " (resyncing "
                    + r.resyncPercentDone().stream().mapToObj(p -> String.format(Locale.ROOT, "%.1f %%", p)).findFirst()
                    .orElse("") + ")" : ""));
        }
        return Optional.empty();
    }

    // ---- the copy of a Cold pair ----

    List<Step> copy(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView source,
                    Optional<PairStates.PairState> state, List<Check> checks) {
        checks.add(new Check(Verdict.PASS, "In Cold mode DRBD keeps the configuration in sync",
                "The configuration lives on the replicated volume (" + cluster.drbdResource() + "), mounted on the "
                        + "active: every change reaches " + target.name() + "'s disk block by block as it is written, "
                        + "so Tandem copies no file. This operation checks that the replica is current instead."));
        state.ifPresent(s -> {
            NodeRole role = s.health().node(target.name()).role();
            if (role == NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, target.name() + " is the ACTIVE node",
                        "Check the replica on the passive, " + source.name() + ", instead."));
            }
        });
        Optional<String> problem = replicaProblem(cluster, state, target.name());
        checks.add(problem.isEmpty()
                ? new Check(Verdict.PASS, target.name() + "'s replica is UpToDate and connected",
                        "What the active wrote is on " + target.name() + "'s disk; it starts with it after a failover.")
                : new Check(Verdict.BLOCK, problem.get(), "The replica is behind or cut off; a file copy cannot fix a "
                        + "block device: reconnect DRBD and let it resync (the pair page shows its progress)."));
        return List.of(new Step("Check that DRBD keeps " + target.name() + "'s copy current (UpToDate, connected)", () -> {
            Instant since = clock.instant();
            PairStates.PairState seen = plans.await(cluster, properties.restartTimeout(), since, s -> true, "a fresh reading");
            Optional<String> now = replicaProblem(cluster, Optional.of(seen), target.name());
            if (now.isPresent()) {
                throw new IllegalStateException(now.get() + "; nothing was changed.");
            }
            DrbdResource r = replica(cluster, seen, target.name()).orElseThrow();
            return Step.Result.nothingMoreToDo("DRBD keeps the configuration: " + target.name() + " is " + r.role()
                    + " with its disk UpToDate and connected to its peer; nothing to copy.");
        }));
    }

    // ---- the failover of a Cold pair ----

    /**
     * The replica check of a Cold failover. Returns true when the operator must type the data-loss phrase: the target's
     * replica is not a safe copy, and the DRBD findings that would otherwise block the failover are turned into
     * cautions the operator accepts by typing it.
     */
    boolean checkFailover(ClusterView cluster, ClusterView.NodeView target, Optional<PairStates.PairState> state,
                          List<Check> checks) {
        Optional<String> problem = replicaProblem(cluster, state, target.name());
        if (problem.isEmpty()) {
            checks.add(new Check(Verdict.PASS, target.name() + "'s DRBD disk is UpToDate and connected",
                    "Everything the active wrote is on " + target.name() + "; nothing is lost by the move."));
            return false;
        }
        if (problem.get().startsWith("DRBD split brain") || state.isEmpty()) {
            checks.add(new Check(Verdict.BLOCK, problem.get(), "Resolve the split brain first; a failover now would "
                    + "pick one of two diverged copies."));
            return false;
        }
        checks.add(new Check(Verdict.WARN, problem.get() + ": accepting loses data",
                "Writes the active made that have not reached " + target.name() + " are lost when it takes over. Type '"
                        + dataLossPhrase(cluster) + "' to accept that."));
        return true;
    }

    /** DRBD states a failover may proceed through once the operator accepts losing what was not replicated. */
    private static final java.util.Set<io.tandem.monitor.Finding.Kind> ACCEPTABLE = java.util.EnumSet.of(
            io.tandem.monitor.Finding.Kind.DRBD_DEGRADED, io.tandem.monitor.Finding.Kind.DRBD_RESYNCING);

    /**
     * Turns what blocks a Cold failover into cautions, once the loss is accepted by typing, when every finding that
     * stops the target taking over is a DRBD replica that is behind or cut off (never a split brain or anything else).
     */
    static List<Check> acceptingDataLoss(List<Check> checks, Optional<PairStates.PairState> state, String current) {
        List<io.tandem.monitor.Finding> blockers = state.map(s -> s.health().canSurviveLossOf(current).blockers())
                .orElse(List.of());
        if (blockers.isEmpty() || !blockers.stream().allMatch(f -> ACCEPTABLE.contains(f.kind()) || replicaNotReady(f, state))) {
            return checks;
        }
        java.util.Set<String> causes = new java.util.HashSet<>();
        blockers.forEach(f -> causes.add(f.cause()));
        return checks.stream().map(c -> c.verdict() == Verdict.BLOCK
                && (c.label().endsWith(" cannot take over cleanly") || causes.contains(c.label())
                // a Cold passive whose replica is not UpToDate reads STOPPED; with only DRBD findings, that is the replica
                || c.label().endsWith(" is STOPPED, not a ready passive"))
                ? new Check(Verdict.WARN, c.label(), c.detail() + " (accepted by typing the data-loss phrase)") : c).toList();
    }

    /** A Cold passive that reads STOPPED is one whose DRBD copy is not a ready Secondary (Roles, OutputRules). */
    private static boolean replicaNotReady(io.tandem.monitor.Finding finding, Optional<PairStates.PairState> state) {
        return finding.kind() == io.tandem.monitor.Finding.Kind.PASSIVE_NOT_READY && finding.node() != null
                && state.map(s -> s.health().node(finding.node()).role() == io.tandem.monitor.NodeRole.STOPPED).orElse(false);
    }

    /**
     * The failover's steps with the time until NFO answered on the new active: the move's start is noted, and after
     * the role swap a step waits until NFO on the target has its flow ports bound; its detail sums the failover up.
     */
    List<Step> withNfoAnswer(ClusterView cluster, ClusterView.NodeView target, List<Step> failover) {
        Instant[] movedAt = new Instant[1];
        String[] swapped = new String[1];
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < failover.size(); i++) {
            Step step = failover.get(i);
            if (i == 0) {
                steps.add(step.with(step.headline(), () -> {
                    movedAt[0] = clock.instant();
                    return step.action().run();
                }));
            } else if (step.headline()) {
                steps.add(step.with(false, () -> {
                    Step.Result result = step.action().run();
                    swapped[0] = result.detail();
                    return result;
                }));
                steps.add(new Step("Wait until NFO answers on " + target.name() + " (flow ports bound)", true, () -> {
                    PairStates.PairState seen = plans.await(cluster, properties.restartTimeout(), movedAt[0],
                            s -> answers(s, target), "NFO on " + target.name() + " receiving on " + target.flowPorts());
                    Duration took = Duration.between(movedAt[0], clock.instant());
                    NodeSnapshot snapshot = seen.observations().get(target.name()).snapshot();
                    return Step.Result.done(String.format(Locale.ROOT, "%s NFO answered on %s %.1f s after the move "
                            + "(NFO %s/%s, flow ports %s bound).", swapped[0] == null ? "" : swapped[0], target.name(),
                            took.toMillis() / 1000.0, snapshot.service().state(), snapshot.service().subState(),
                            target.flowPorts()).strip());
                }));
            } else {
                steps.add(step);
            }
        }
        return steps;
    }

    // ---- the drill of a Cold pair ----

    /**
     * The drill's steps (ADR 0019): the failover to {@code passive} with the time until NFO answered there, the wait
     * until {@code active} is the Cold passive again with its replica current and could take over, and the failover
     * back; each failover's own clean-up clears its move's constraint whatever failed before. The last step sums up
     * both legs as each failover's headline step reported it.
     */
    List<Step> drill(ClusterView cluster, ClusterView.NodeView active, ClusterView.NodeView passive,
                     List<Step> failoverThere, List<Step> failoverBack) {
        String[] there = new String[1];
        String[] back = new String[1];
        List<Step> steps = new ArrayList<>(leg(withNfoAnswer(cluster, passive, failoverThere), there));
        steps.add(new Step("Wait until " + active.name() + " is the Cold passive again, its DRBD disk UpToDate and "
                + "connected, and could take over", () -> {
            PairStates.PairState seen = plans.await(cluster, properties.restartTimeout(), clock.instant(),
                    s -> s.health().node(active.name()).role() == NodeRole.PASSIVE_COLD
                            && replicaProblem(cluster, Optional.of(s), active.name()).isEmpty()
                            && s.health().canSurviveLossOf(passive.name()).survives(),
                    active.name() + " PASSIVE_COLD with its DRBD disk UpToDate and connected, able to take over from "
                            + passive.name());
            DrbdResource r = replica(cluster, seen, active.name()).orElseThrow();
            return Step.Result.done(active.name() + " is PASSIVE_COLD (DRBD " + r.role() + ", UpToDate, connected) and "
                    + "could take over from " + passive.name() + ".");
        }));
        steps.addAll(leg(withNfoAnswer(cluster, active, failoverBack), back));
        steps.add(new Step("Sum up the drill", true, () -> Step.Result.done("Drill: the output went to " + passive.name()
                + " and back to " + active.name() + ". There: " + there[0] + " Back: " + back[0])));
        return steps;
    }

    /** One failover of the drill, its headline's detail kept for the drill's summary instead of being the summary. */
    private static List<Step> leg(List<Step> failover, String[] figures) {
        return failover.stream().map(step -> !step.headline() ? step : step.with(false, () -> {
            Step.Result result = step.action().run();
            figures[0] = result.detail();
            return result;
        })).toList();
    }

    private static boolean answers(PairStates.PairState state, ClusterView.NodeView target) {
        var observation = state.observations().get(target.name());
        if (observation == null || observation.snapshot() == null) {
            return false;
        }
        NodeSnapshot snapshot = observation.snapshot();
        return snapshot.service() != null && snapshot.service().running() && snapshot.udp() != null
                && snapshot.udp().portsWithoutSocket(target.flowPorts()).isEmpty();
    }
}
