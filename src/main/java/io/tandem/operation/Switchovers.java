package io.tandem.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.tandem.access.NodeConnections;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Survival;
import io.tandem.netflow.ParityReport;
import io.tandem.node.GateAgent;
import io.tandem.node.GateAgentFacts;
import io.tandem.node.GateChange;
import io.tandem.node.GateDestination;
import io.tandem.node.GateRule;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeOperations;
import io.tandem.node.NodeSnapshot;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;
import io.tandem.pacemaker.ClusterCommand;

/**
 * The make-before-break switchover of a Hot pair, and the restart of the active built on it. Both nodes of a Hot pair
 * already decode every record; only the gates decide which node's records reach the SIEM. So Tandem opens the
 * target's gate itself, then blocks the source's with a hold (gate agent 1.2 reads it as running until its deadline),
 * then asks Pacemaker to move the VIP (the gate follows it): Pacemaker blocks the source's gate for good and starts the
 * target's, which is open already, so no record falls between two closed gates. Records sent while both gates are open
 * reach the SIEM twice: with the hold, between two node calls (a fraction of a second); with an older gate agent on the
 * source, until Pacemaker blocks it (seconds).
 *
 * <p>Whatever fails after the target's gate was opened, the holds are undone before the error is reported: the source's
 * gate is opened again while Tandem still holds it, the target's is blocked again unless Pacemaker runs the gate there
 * (or the source no longer sends, when blocking it would leave no output), and the move's constraint is cleared.
 */
final class Switchovers {

    /** How long the passive's dropped output is counted before the handover, to know the pair's output rate. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(1);

    /** The first gate agent whose monitor reads Tandem's hold as running (an older one would report a failure). */
    static final String HOLDING_GATE_AGENT = "1.2";

    /**
     * How long the source's hold outlives the longest wait for Pacemaker's handover: if the console dies meanwhile, the
     * agent reports the hold as failed after its deadline and Pacemaker's recovery opens the source's output again.
     */
    static final Duration HOLD_MARGIN = Duration.ofSeconds(30);

    private final OperationPlans plans;
    private final PairStates states;
    private final NodeConnections connections;
    private final OperationProperties properties;
    private final Clock clock;

    Switchovers(OperationPlans plans, PairStates states, NodeConnections connections, OperationProperties properties,
                Clock clock) {
        this.plans = plans;
        this.states = states;
        this.connections = connections;
        this.properties = properties;
        this.clock = clock;
    }

    // ---- preflights ----

    /** The checks for making {@code target} active in place of {@code source}, judged from the pair's picture. */
    void check(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView source,
               Optional<PairStates.PairState> state, List<Check> checks) {
        if (cluster.mode() != ClusterMode.HOT) {
            checks.add(new Check(Verdict.BLOCK, "A Cold pair cannot switch over without a gap",
                    "Its passive runs no NFO: Pacemaker must start it and it must learn templates again (minutes). "
                            + "Use Fail over, which moves the pair with Pacemaker's plain move and reports the gap."));
            return;
        }
        if (blank(cluster.gateResource())) {
            checks.add(new Check(Verdict.BLOCK, "The pair names no gate resource",
                    "Make-before-break needs Pacemaker to own each node's output gate; set the gate resource of the pair."));
        }
        state.ifPresent(s -> {
            NodeState to = s.health().node(target.name());
            NodeState from = s.health().node(source.name());
            if (to.role() == NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, target.name() + " is already ACTIVE", "Choose the passive node."));
                return;
            }
            if (from.role() != NodeRole.ACTIVE) {
                checks.add(new Check(Verdict.BLOCK, "No node is ACTIVE now (" + source.name() + " is " + from.role() + ")",
                        "A switchover hands over a working output; first let Pacemaker recover or fix " + source.name() + "."));
                return;
            }
            if (to.role() != NodeRole.PASSIVE_HOT) {
                checks.add(new Check(Verdict.BLOCK, target.name() + " is " + to.role() + ", not a Hot passive", to.why()));
                return;
            }
            Survival survival = s.health().canSurviveLossOf(source.name());
            checks.add(survival.survives() ? new Check(Verdict.PASS, target.name() + " can take over", survival.reason())
                    : new Check(Verdict.BLOCK, target.name() + " cannot take over cleanly", survival.reason()));
            checks.add(readiness(s.parity(), target));
            List<Finding> drift = s.health().findings(Finding.Kind.CONFIG_DRIFT);
            checks.add(drift.isEmpty()
                    ? new Check(Verdict.PASS, "Both nodes run the same configuration", "No drift at the last comparison.")
                    : new Check(Verdict.BLOCK, drift.get(0).cause(), "The target would send records decoded under another "
                            + "configuration; copy the active's configuration first. " + String.join(", ", drift.get(0).details())));
            Optional<List<GateDestination>> destinations = blockedDestinations(s.observations().get(target.name()));
            checks.add(destinations.isPresent()
                    ? new Check(Verdict.PASS, target.name() + "'s gate is blocked for " + destinations.get().size()
                            + (destinations.get().size() == 1 ? " destination" : " destinations"),
                            "Tandem opens it before Pacemaker moves, and can block it again with the same rules if the move fails.")
                    : new Check(Verdict.BLOCK, target.name() + "'s gate holds no drop rules Tandem can read",
                            "Tandem must know the rules to restore them if the handover fails."));
            s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).forEach(f -> checks.add(new Check(Verdict.WARN, f.cause(),
                    "The move adds its own constraint and removes it afterwards; the leftover one may pull the resource back.")));
            if (checks.stream().noneMatch(c -> c.verdict() == Verdict.BLOCK)) {
                Optional<String> noHold = olderGateAgent(s.observations().get(source.name()))
                        .map(version -> source.name() + "'s gate agent is " + version + ", and only " + HOLDING_GATE_AGENT
                                + " or later lets Tandem hold it blocked at once. Reinstall the gate agent (guided setup) to "
                                + "shorten the overlap.");
                checks.add(noHold.isEmpty()
                        ? new Check(Verdict.PASS, "Make-before-break: " + target.name() + "'s gate opens first, then "
                                + source.name() + "'s is held blocked", "No record is lost; records sent between the two "
                                + "(a fraction of a second) reach the SIEM twice. Pacemaker then moves the gate. This assumes "
                                + "every exporter sends to both nodes, as Hot mode needs: records sent to the VIP alone would "
                                + "reach " + target.name() + " only once the VIP moved.")
                        : new Check(Verdict.WARN, "Make-before-break: " + target.name() + "'s gate opens first; "
                                + source.name() + "'s stays open until Pacemaker blocks it", "No record is lost, but the "
                                + "records of those seconds reach the SIEM twice: " + noHold.get()));
            }
        });
    }

    private static Check readiness(ParityReport parity, ClusterView.NodeView target) {
        if (parity == null) {
            return new Check(Verdict.BLOCK, "Template readiness of " + target.name() + " is unknown",
                    "Tandem compares templates only for nodes read through the agent with template capture; without it "
                            + "the target may drop records it cannot decode after the switch.");
        }
        if (parity.readiness() < 1.0 || !parity.missingOnPassive().isEmpty() || !parity.conflicts().isEmpty()) {
            return new Check(Verdict.BLOCK, String.format(Locale.ROOT, "%s's template readiness is %.0f %% (%d of %d in use)",
                    target.name(), parity.readiness() * 100, parity.readyOnPassive(), parity.inUseOnActive()),
                    "Records of the missing or conflicting templates would be lost after the switch; wait for the "
                            + "exporters to resend their templates to both nodes.");
        }
        return new Check(Verdict.PASS, target.name() + "'s template readiness is 100 % (" + parity.inUseOnActive()
                + " in use)", "Every template the active uses is on the target with the same definition.");
    }

    /** Checks for restarting the active without a gap: the switchover to its peer, and the peer back if asked. */
    void checkRestart(ClusterView cluster, ClusterView.NodeView active, ClusterView.NodeView peer,
                      Optional<PairStates.PairState> state, boolean back, List<Check> checks) {
        Optional<NodeRole> role = state.map(s -> s.health().node(active.name()).role());
        if (role.isPresent() && role.get() != NodeRole.ACTIVE) {
            checks.add(new Check(Verdict.BLOCK, active.name() + " is " + role.get() + ", not the ACTIVE node",
                    "This restarts the active without a gap; restart a passive with Restart NFO."));
            return;
        }
        check(cluster, peer, active, state, checks);
        if (checks.stream().noneMatch(c -> c.verdict() == Verdict.BLOCK)) {
            checks.add(new Check(Verdict.WARN, "The pair cannot survive losing " + peer.name() + " while " + active.name()
                    + " restarts", "Usually seconds; the output stays with " + peer.name() + "."));
            if (back) {
                checks.add(new Check(Verdict.PASS, "Then " + active.name() + " takes the output back the same way",
                        "Only once it runs again with 100 % template readiness; the operation checks that before moving."));
            }
        }
    }

    // ---- steps ----

    /** What one switchover measured, for the operation's summary. */
    static final class Measure {
        String source;
        String target;
        double ratePerSecond;
        List<GateDestination> targetRules = List.of();
        Instant openRequestedAt;
        Instant openedAt;
        boolean held;
        /** Tandem may hold the source's gate blocked (its hold was asked, maybe applied): undo opens it. */
        boolean sourceHeld;
        /** When the source's hold was in place (console clock): the end of the overlap. */
        Instant sourceHeldAt;
        Instant movedAt;
        Double swapSeconds;
        String figures;
    }

    List<Step> switchover(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView source,
                          boolean recheck) {
        return switchover(cluster, target, source, recheck, new Measure());
    }

    private List<Step> switchover(ClusterView cluster, ClusterView.NodeView target, ClusterView.NodeView source,
                                  boolean recheck, Measure m) {
        m.source = source.name();
        m.target = target.name();
        String resource = OperationPlans.movedResource(cluster);
        List<Step> steps = new ArrayList<>();
        if (recheck) {
            steps.add(new Step("Check that " + target.name() + " can take over from " + source.name() + " again", () -> {
                List<Check> checks = new ArrayList<>();
                check(cluster, target, source, states.state(cluster.id()), checks);
                List<Check> blocking = checks.stream().filter(c -> c.verdict() == Verdict.BLOCK).toList();
                if (!blocking.isEmpty()) {
                    throw new IllegalStateException(blocking.get(0).label() + ": " + blocking.get(0).detail());
                }
                return Step.Result.done(checks.stream().map(Check::label).reduce((a, b) -> a + "; " + b).orElse("ready"));
            }));
        }
        steps.add(new Step("Count the output at both gates for " + RATE_WINDOW.toSeconds() + " s", () -> {
            GateReading first = gate(cluster, target);
            Thread.sleep(RATE_WINDOW.toMillis());
            GateReading secondRead = gate(cluster, target);
            GateState second = secondRead.gate();
            GateState sourceGate = gate(cluster, source).gate();
            if (second.status() != GateStatus.BLOCKED || sourceGate.status() != GateStatus.OPEN) {
                throw new IllegalStateException("Expected " + target.name() + "'s gate BLOCKED and " + source.name()
                        + "'s OPEN, read " + second.status() + " and " + sourceGate.status() + "; nothing was changed.");
            }
            m.targetRules = second.rules().stream().filter(GateRule::gateDrop).map(GateRule::destination).distinct().toList();
            double seconds = Math.max(0.001, Duration.between(first.at(), secondRead.at()).toMillis() / 1000.0);
            m.ratePerSecond = Math.max(0, second.droppedPackets() - first.gate().droppedPackets()) / seconds;
            return Step.Result.done(String.format(Locale.ROOT, "%s drops %.1f packets/s of output at its gate "
                    + "(%d rules); %s's gate is open.", target.name(), m.ratePerSecond, m.targetRules.size(), source.name()));
        }));
        steps.add(new Step("Open " + target.name() + "'s gate (Tandem holds it open for the handover)", () -> {
            m.openRequestedAt = clock.instant();
            NodeOperations.Outcome outcome = connections.call(cluster.id(), target.id(),
                    (access, node) -> access.gate(node, GateChange.opening()));
            m.held = true;
            OperationPlans.requireSuccess(outcome, "opening the gate");
            // nft applied the one transaction that empties the chain: the target sends from here. It is read back
            // after the source's hold, not before: a node's reading takes a while (seconds under load), all of it
            // both gates open
            return Step.Result.done(target.name() + "'s gate is opened (nft applied the transaction) while "
                    + source.name() + "'s is still open: from here both send.");
        }));
        steps.add(new Step("Hold " + source.name() + "'s gate blocked until Pacemaker blocks it", () -> guarded(cluster, m,
                resource, () -> holdSource(cluster, source, m))));
        // guarded: a target that cannot be read (gone mid-operation) is undone like one read BLOCKED, the source first
        steps.add(new Step("Read " + target.name() + "'s gate back OPEN", () -> guarded(cluster, m, resource, () -> {
            // both times of the figures without a hold are the target's clock
            GateReading opened = gate(cluster, target);
            m.openedAt = opened.at();
            if (opened.gate().status() != GateStatus.OPEN) {
                throw new IllegalStateException(target.name() + "'s gate reads " + opened.gate().status() + " after opening it.");
            }
            return Step.Result.done(target.name() + "'s gate reads OPEN" + (m.sourceHeldAt != null ? " and "
                    + source.name() + "'s is held blocked: " + target.name() + " alone sends." : " while " + source.name()
                    + "'s still sends until Pacemaker blocks it."));
        })));
        // move-with-constraint, not move: pcs 0.11's move simulates first and waits after, and every second of that
        // is a second of both gates open (the lab: source blocked 11.4 s after the request with move, 6.5 s with this,
        // under the same load); the wait below and the clear after it do what move would have done around it
        steps.add(new Step("Ask Pacemaker to move " + resource + " to " + target.name()
                + " (pcs resource move-with-constraint)", () -> guarded(cluster, m, resource, () -> {
                    m.movedAt = clock.instant();
                    NodeOperations.Outcome outcome;
                    try {
                        outcome = connections.call(cluster.id(), target.id(), (access, node) -> access.pacemaker(node,
                                new ClusterCommand.MoveWithConstraint(resource, target.name())));
                    } catch (io.tandem.node.NodeAccessException.TimedOut e) {
                        // the constraint may have been written all the same; the nodes say whether Pacemaker moved
                        return Step.Result.done("pcs resource move-with-constraint did not answer in time (" + e.getMessage()
                                + "); the next step judges the move from the nodes.");
                    }
                    OperationPlans.requireSuccess(outcome, "pcs resource move-with-constraint");
                    return Step.Result.done(OperationPlans.firstLine(outcome.stdout(), "Pacemaker has the constraint "
                            + "cli-prefer-" + resource + " and moves " + resource + " to " + target.name() + "."));
                })));
        steps.add(new Step("Wait until Pacemaker runs the gate on " + target.name() + " and " + source.name()
                + "'s gate is blocked", () -> guarded(cluster, m, resource, () -> {
                    PairStates.PairState seen = plans.await(cluster, properties.failoverTimeout(), m.movedAt,
                            s -> handedOver(s, target.name(), source.name()),
                            target.name() + " ACTIVE with Pacemaker's gate and " + source.name() + " PASSIVE_HOT");
                    m.held = false; // Pacemaker owns the target's gate now, and has blocked the source's itself
                    m.sourceHeld = false;
                    m.swapSeconds = Duration.between(m.movedAt, clock.instant()).toMillis() / 1000.0;
                    return Step.Result.done(String.format(Locale.ROOT, "Handed over %.1f s after the move: %s is ACTIVE "
                            + "with Pacemaker's gate, %s is %s.", m.swapSeconds, target.name(), source.name(),
                            seen.health().node(source.name()).role()));
                })));
        // like finally: move-with-constraint's cli-prefer stays until cleared, so this runs after any failure too
        steps.add(Step.cleanup("Remove the temporary move constraint (pcs resource clear " + resource + ")",
                new Step.Fix(OperationKind.CLEAR_CONSTRAINTS, resource), () -> {
            NodeOperations.Outcome outcome = connections.call(cluster.id(), target.id(),
                    (access, node) -> access.pacemaker(node, new ClusterCommand.Clear(resource, null)));
            OperationPlans.requireSuccess(outcome, "pcs resource clear");
            return Step.Result.done(OperationPlans.firstLine(outcome.stdout(), "No constraint was left."));
        }).ifInterrupted("Check on the pair page that no move constraint is left (a leftover one keeps " + resource
                + " on " + target.name() + ") and remove it: pcs resource clear " + resource + "."));
        steps.add(new Step("Count what the gates let through twice or dropped on both", true, () -> {
            // the source first: the target's read, later, ends the overlap, so it is never counted short
            GateState sourceGate = gate(cluster, source).gate();
            GateReading targetRead = gate(cluster, target);
            m.figures = figures(m, targetRead.gate(), sourceGate, targetRead.at());
            return Step.Result.done(m.figures);
        }));
        return steps;
    }

    /**
     * From the gates' counters: a record is lost only if both gates dropped it. The target's gate was read OPEN
     * before Pacemaker was asked to move, while the source's was open, so only drops on the target since then can
     * be losses (times by the target's clock); duplicates are the output sent while both were open, from the output
     * rate counted at the target's gate before the handover, minus what the source's gate has dropped since Pacemaker
     * blocked it.
     */
    private static String figures(Measure m, GateState targetGate, GateState sourceGate, Instant endAt) {
        long lost = targetGate.status() == GateStatus.BLOCKED ? targetGate.droppedPackets() : 0;
        // with the hold, Pacemaker's stop rewrote the source's rules (and counters): the overlap is at most the time
        // from asking the target to open until the source's hold was in place, by the console's clock
        double overlap = m.sourceHeldAt != null
                ? Duration.between(m.openRequestedAt, m.sourceHeldAt).toMillis() / 1000.0
                : Math.max(0, Duration.between(m.openedAt, endAt).toMillis() / 1000.0
                - (m.ratePerSecond > 0 ? sourceGate.droppedPackets() / m.ratePerSecond : 0));
        long duplicated = Math.round(m.ratePerSecond * overlap);
        return String.format(Locale.ROOT, "Switched over from %s to %s: %d records lost (%s's gate has dropped %d "
                        + "since it opened), about %d duplicated (both gates open %.1f s at %.1f records/s)%s.",
                m.source, m.target, lost, m.target, lost, duplicated, overlap, m.ratePerSecond,
                m.swapSeconds == null ? "" : String.format(Locale.ROOT, "; Pacemaker handed over in %.1f s", m.swapSeconds));
    }

    /**
     * Blocks the source's gate with a hold that its gate agent reads as running, so that Pacemaker, which still runs the
     * gate there, sees no failure before its own stop replaces the hold. With an older agent on the source the gate
     * stays open until Pacemaker blocks it: more duplicates, never a monitor failure.
     */
    private Step.Result holdSource(ClusterView cluster, ClusterView.NodeView source, Measure m) throws Exception {
        Optional<PairStates.PairState> state = states.state(cluster.id());
        Optional<String> old = olderGateAgent(state.map(s -> s.observations().get(source.name())).orElse(null));
        if (old.isPresent()) {
            return Step.Result.done("Not held: " + source.name() + "'s gate agent is " + old.get() + " (a hold needs "
                    + HOLDING_GATE_AGENT + "); its gate stays open until Pacemaker blocks it.");
        }
        Instant until = clock.instant().plus(properties.failoverTimeout()).plus(HOLD_MARGIN);
        m.sourceHeld = true; // from here undo opens it again, whether or not the call below got through
        NodeOperations.Outcome outcome;
        try {
            outcome = connections.call(cluster.id(), source.id(),
                    (access, node) -> access.gate(node, GateChange.holding(m.targetRules, until)));
        } catch (io.tandem.node.NodeAccessException e) {
            return Step.Result.done("Could not hold " + source.name() + "'s gate (" + e.getMessage() + "); it stays open "
                    + "until Pacemaker blocks it.");
        }
        if (outcome.exitCode() != 0) {
            m.sourceHeld = false;
            return Step.Result.done("Could not hold " + source.name() + "'s gate (" + OperationPlans.firstLine(
                    outcome.stderr(), "exit " + outcome.exitCode()) + "); it stays open until Pacemaker blocks it.");
        }
        m.sourceHeldAt = clock.instant();
        return Step.Result.done(String.format(Locale.ROOT, "%s's gate is blocked by Tandem's hold (until %s, gate agent "
                + "reads it as running); both sent for %.2f s.", source.name(), until.truncatedTo(ChronoUnit.SECONDS),
                Duration.between(m.openRequestedAt, m.sourceHeldAt).toMillis() / 1000.0));
    }

    /** The node's gate agent version when it is known to be older than the one that reads a hold. */
    private static Optional<String> olderGateAgent(NodeObservation observation) {
        GateAgentFacts facts = observation == null || observation.snapshot() == null ? null
                : observation.snapshot().gateAgent();
        if (facts == null || !facts.installed()) {
            return Optional.of(facts == null ? "unknown" : "not installed");
        }
        if (facts.version() == null) {
            return Optional.of("unversioned (before 1.1)");
        }
        return GateAgent.compare(facts.version(), HOLDING_GATE_AGENT) < 0 ? Optional.of(facts.version()) : Optional.empty();
    }

    private static boolean handedOver(PairStates.PairState s, String target, String source) {
        NodeState to = s.health().node(target);
        NodeState from = s.health().node(source);
        return to.role() == NodeRole.ACTIVE && from.role() == NodeRole.PASSIVE_HOT
                && to.pacemaker() != null && to.pacemaker().gateStarted();
    }

    /** Runs a step of the handover; if it fails, the hold is undone before the failure is reported. */
    private Step.Result guarded(ClusterView cluster, Measure m, String resource, Step.Action action) throws Exception {
        try {
            return action.run();
        } catch (Exception e) {
            String undone = undo(cluster, m, resource, true);
            throw new IllegalStateException((e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " Undone: " + undone, e);
        }
    }

    /**
     * Gives the gates back to Pacemaker: blocks the target's gate again when Tandem still holds it and the source
     * still sends (blocking it otherwise would leave no output at all), then clears the move's constraint.
     */
    private String undo(ClusterView cluster, Measure m, String resource, boolean clear) {
        List<String> done = new ArrayList<>();
        ClusterView.NodeView target = node(cluster, m.target);
        ClusterView.NodeView source = node(cluster, m.source);
        if (m.sourceHeld) {
            // before the target is blocked again: the source must send first, or nothing would
            try {
                GateState sourceGate = gate(cluster, source).gate();
                if (sourceGate.heldUntil().isPresent()) {
                    NodeOperations.Outcome outcome = connections.call(cluster.id(), source.id(),
                            (access, node) -> access.gate(node, GateChange.opening()));
                    OperationPlans.requireSuccess(outcome, "opening the gate again");
                    done.add(m.source + "'s gate opened again");
                } else {
                    done.add(m.source + "'s gate is no longer held (" + sourceGate.status() + ")");
                }
                m.sourceHeld = false;
            } catch (Exception e) {
                done.add("CRITICAL: could not end the hold of " + m.source + "'s gate (" + e.getMessage() + "); its "
                        + "gate agent reports the hold as failed after its deadline and Pacemaker opens it again");
            }
        }
        if (m.held) {
            try {
                PairStates.PairState now = states.state(cluster.id()).orElse(null);
                boolean pacemakerOwns = now != null && now.health().node(m.target).pacemaker() != null
                        && now.health().node(m.target).pacemaker().gateStarted();
                GateState sourceGate = gate(cluster, source).gate();
                if (pacemakerOwns) {
                    done.add("Pacemaker runs the gate on " + m.target + ", so it stays open");
                } else if (sourceGate.status() != GateStatus.OPEN) {
                    done.add("CRITICAL: " + m.target + "'s gate is left OPEN because " + m.source + "'s reads "
                            + sourceGate.status() + " (blocking it would stop all output); check the pair now");
                } else {
                    NodeOperations.Outcome outcome = connections.call(cluster.id(), target.id(),
                            (access, node) -> access.gate(node, GateChange.blocking(m.targetRules)));
                    OperationPlans.requireSuccess(outcome, "blocking the gate again");
                    m.held = false;
                    done.add(m.target + "'s gate blocked again");
                }
            } catch (Exception e) {
                done.add("CRITICAL: could not block " + m.target + "'s gate again (" + e.getMessage() + "); both outputs "
                        + "may be open");
            }
        }
        if (clear) {
            try {
                NodeOperations.Outcome outcome = connections.call(cluster.id(), target.id(),
                        (access, node) -> access.pacemaker(node, new ClusterCommand.Clear(resource, null)));
                OperationPlans.requireSuccess(outcome, "pcs resource clear");
                done.add("move constraint cleared");
            } catch (Exception e) {
                done.add("CRITICAL: pcs resource clear " + resource + " failed (" + e.getMessage() + "); a cli-prefer "
                        + "constraint may be left");
            }
        }
        return String.join("; ", done) + ".";
    }

    /** The restart of the active without an output gap: switch over, restart it, optionally switch back. */
    List<Step> restartActive(ClusterView cluster, ClusterView.NodeView active, ClusterView.NodeView peer, boolean back) {
        Measure away = new Measure();
        List<Step> steps = new ArrayList<>(switchover(cluster, peer, active, false, away));
        Instant[] restartedAt = new Instant[1];
        steps.add(new Step("Restart NFO on " + active.name() + " (" + active.serviceUnit() + ")", () -> {
            restartedAt[0] = clock.instant();
            return Step.Result.done(plans.restartService(cluster, active));
        }));
        steps.add(new Step("Wait until " + active.name() + " runs NFO again as the Hot passive", () -> Step.Result.done(
                plans.awaitRunning(cluster, active, restartedAt[0]))));
        steps.add(awaitReadyToTakeBack(cluster, active, peer, () -> restartedAt[0]));
        Measure home = new Measure();
        if (back) {
            steps.addAll(switchover(cluster, active, peer, true, home));
        }
        // the summary gives every handover's figures, not only the last one's
        steps.add(new Step("Sum up the handovers", true, () -> Step.Result.done("Restarted " + active.name()
                + " without an output gap. " + away.figures + (back ? " " + home.figures : ""))));
        return steps;
    }

    /**
     * Waits until {@code node}, passive again, could take the output back from {@code peer}: PASSIVE_HOT with 100 %
     * template readiness and the pair able to survive losing {@code peer}. NFO may reload its template cache before it
     * binds the flow ports, so readiness alone is not "ready": the wait ends on the same survival judgement the switch
     * back checks first.
     *
     * @param since readings taken before it say nothing (the restart's or the handover's end)
     */
    private Step awaitReadyToTakeBack(ClusterView cluster, ClusterView.NodeView node, ClusterView.NodeView peer,
                                      java.util.function.Supplier<Instant> since) {
        return new Step("Wait until " + node.name() + " holds every template in use again and could take over", () -> {
            PairStates.PairState seen = plans.await(cluster, properties.restartTimeout(), since.get(),
                    s -> s.health().node(node.name()).role() == NodeRole.PASSIVE_HOT && s.parity() != null
                            && s.parity().readiness() >= 1.0 && s.parity().conflicts().isEmpty()
                            && s.health().canSurviveLossOf(peer.name()).survives(),
                    node.name() + " PASSIVE_HOT with 100 % template readiness, able to take over from " + peer.name());
            return Step.Result.done(node.name() + " is PASSIVE_HOT with 100 % template readiness ("
                    + seen.parity().inUseOnActive() + " in use) and could take over from " + peer.name() + ".");
        });
    }

    /**
     * The drill of a Hot pair (ADR 0019): the switchover from {@code active} to {@code passive}, the wait until
     * {@code active} could take over again, and the switchover back (checked again first), each leg with its own
     * figures. Each leg's clear is a clean-up of its own, so a failed first leg still leaves no constraint.
     */
    List<Step> drill(ClusterView cluster, ClusterView.NodeView active, ClusterView.NodeView passive) {
        Measure there = new Measure();
        Measure back = new Measure();
        List<Step> steps = new ArrayList<>(switchover(cluster, passive, active, false, there));
        // a reading from before the handover shows it ACTIVE, never ready to take over: the move's start will do
        steps.add(awaitReadyToTakeBack(cluster, active, passive, () -> there.movedAt));
        steps.addAll(switchover(cluster, active, passive, true, back));
        steps.add(new Step("Sum up the drill", true, () -> Step.Result.done("Drill: the output went to " + passive.name()
                + " and back to " + active.name() + ". There: " + there.figures + " Back: " + back.figures)));
        return steps;
    }

    // ---- reading ----

    /** A gate as read from the node, and when, by the node's clock. */
    private record GateReading(GateState gate, Instant at) {
    }

    /** The node's gate read now, straight from the node (not the monitor's last picture). */
    private GateReading gate(ClusterView cluster, ClusterView.NodeView node) throws Exception {
        NodeSnapshot snapshot = connections.call(cluster.id(), node.id(), (access, target) -> access.snapshot(target));
        if (snapshot.gate() == null) {
            throw new IllegalStateException("Could not read " + node.name() + "'s gate: "
                    + snapshot.failure("gate").map(NodeSnapshot.PartFailure::message).orElse("no answer"));
        }
        return new GateReading(snapshot.gate(), snapshot.takenAt());
    }

    private static Optional<List<GateDestination>> blockedDestinations(NodeObservation observation) {
        if (observation == null || observation.snapshot() == null || observation.snapshot().gate() == null) {
            return Optional.empty();
        }
        List<GateDestination> rules = observation.snapshot().gate().rules().stream().filter(GateRule::gateDrop)
                .map(GateRule::destination).distinct().toList();
        return rules.isEmpty() ? Optional.empty() : Optional.of(rules);
    }

    private static ClusterView.NodeView node(ClusterView cluster, String name) {
        return cluster.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
