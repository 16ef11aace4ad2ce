package io.tandem.operation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.node.GateChange;
import io.tandem.node.NodeOperations;
import io.tandem.node.SetupCommand;
import io.tandem.operation.OperationView.StepStatus;
import io.tandem.operation.Preflight.Check;
import io.tandem.operation.Preflight.Verdict;
import io.tandem.setup.SetupForm;
import io.tandem.setup.SetupPlan;
import io.tandem.setup.SetupPlan.PlanStep;
import io.tandem.setup.SetupService;

/**
 * Setup's apply, undo and dismantle as journaled operations (ADR 0018). Apply turns each step of the setup plan into one
 * journaled step that runs its typed commands on its node ({@link io.tandem.access.NodeAccess#setupStep}) and stops at
 * the first command that fails, with pcs's own words; the last step asks the monitor for the verdict. Undo replays
 * the journal of the pair's last setup backwards with each step's undo. The hacluster password lives only in the
 * closure of the host-auth step, in memory, for the duration of the operation.
 */
@Component
class SetupOperations {

    private static final Set<NodeRole> PASSIVE = Set.of(NodeRole.PASSIVE_HOT, NodeRole.PASSIVE_COLD);

    private final SetupService setup;
    private final NodeConnections connections;
    private final OperationPlans plans;
    private final OperationJournal journal;
    private final OperationProperties properties;
    private final Clock clock;
    private final PairStates states;

    SetupOperations(SetupService setup, NodeConnections connections, OperationPlans plans, OperationJournal journal,
                    OperationProperties properties, Clock clock, PairStates states) {
        this.states = states;
        this.setup = setup;
        this.connections = connections;
        this.plans = plans;
        this.journal = journal;
        this.properties = properties;
        this.clock = clock;
    }

    /** What a setup operation needs besides kind and node: the form (SETUP, UNDO_SETUP) and the typed data-loss phrase. */
    /** @param resumeOnly SETUP only when it continues a setup that stopped part-way (the wizard's Resume) */
    record Request(SetupForm form, String confirmDataLoss, boolean resumeOnly) {
        Request(SetupForm form, String confirmDataLoss) {
            this(form, confirmDataLoss, false);
        }

        @Override
        public String toString() {
            return "Request[form=" + form + ", confirmDataLoss=" + confirmDataLoss + ", resumeOnly=" + resumeOnly + "]"; // the form's toString hides the password
        }
    }

    OperationPlans.Plan plan(ClusterView cluster, OperationKind kind, String node, Request request) {
        return switch (kind) {
            case SETUP -> apply(cluster, node, request);
            case UNDO_SETUP -> undo(cluster, node, request);
            case DISMANTLE -> dismantle(cluster, node);
            default -> throw new IllegalArgumentException(kind + " is not a setup operation");
        };
    }

    // ---- apply ----

    private OperationPlans.Plan apply(ClusterView cluster, String node, Request request) {
        SetupForm form = requireForm(request);
        OperationView stopped = stoppedSetup(cluster);
        if (stopped == null && request.resumeOnly()) {
            throw Rejected.conflict("nothing-to-resume", "kind", "No setup of this pair stopped part-way after finishing a step: "
                    + "nothing to resume. Run a dry run and apply instead.");
        }
        SetupService.Ready ready = stopped != null
                ? setup.replan(cluster.id(), form) // the cluster it began exists: discovery would only refuse it
                : setup.ready(cluster.id(), form); // 400 for the form, 409 when a cluster exists
        requireActive(ready, node);
        SetupPlan plan = ready.plan();
        Set<String> done = stopped == null ? Set.of() : resumable(stopped, plan);
        List<Check> checks = new ArrayList<>();
        if (stopped != null) {
            checks.add(new Check(Verdict.WARN, "Resumes the setup of " + stopped.createdAt() + " (" + stopped.status() + ")",
                    done.size() + " step(s) it finished are not run again; the rest run from '" + plan.steps().stream()
                            .map(SetupOperations::name).filter(n -> !done.contains(n)).findFirst().orElse("") + "'. A step it "
                            + "left part-way runs again from its start; if that fails, undo the setup instead."));
        } else {
            checks.add(new Check(Verdict.PASS, "Neither node belongs to a cluster", "Discovery found no cluster on "
                    + ready.activeNode() + " or " + ready.passiveNode() + "."));
        }
        plan.warnings().forEach(w -> checks.add(new Check(Verdict.WARN, w, "From the plan; shown before you confirm.")));
        String typed = request.confirmDataLoss() == null ? null : request.confirmDataLoss().strip();
        for (PlanStep step : plan.steps()) {
            if (step.confirmation() != null && !done.contains(name(step)) && !step.confirmation().equals(typed)) {
                throw Rejected.invalid("data-loss-confirmation-required", "confirmDataLoss", "Step " + step.number() + " ("
                        + step.title() + ") destroys data: type '" + step.confirmation() + "' as confirmDataLoss.");
            }
        }
        SetupPlan.Given given = new SetupPlan.Given(form.haclusterPassword(), typed);
        List<Step> steps = new ArrayList<>();
        for (PlanStep step : plan.steps()) {
            if (done.contains(name(step))) {
                // journaled as done again, so that undo (which reads the newest setup) reverts it too
                steps.add(new Step(name(step), () -> Step.Result.done("Done by the setup of " + stopped.createdAt() + "; not run again.")));
                continue;
            }
            steps.add(switch (step.actions().task()) {
                case NODE -> nodeStep(cluster, name(step), step.node(), step.changes(), () -> step.actions().commands(given), false);
                case COPY_CONFIG -> copyStep(cluster, step, ready);
                case VERIFY -> verifyStep(cluster, step, ready);
            });
        }
        return new OperationPlans.Plan(new Preflight(OperationKind.SETUP, ready.activeNode(), checks,
                steps.stream().map(Step::name).toList(), cluster.name()), steps);
    }

    /**
     * The pair's newest setup when it stopped part-way (FAILED, or INTERRUPTED by a console that stopped) after finishing
     * at least one step, and no undo or dismantle ran since: apply then resumes it instead of starting over.
     */
    private OperationView stoppedSetup(ClusterView cluster) {
        OperationView last = journal.recent(cluster.id(), 50).stream().filter(o -> o.kind().setup())
                .max(Comparator.comparing(OperationView::createdAt)).orElse(null);
        if (last == null || last.kind() != OperationKind.SETUP || last.running() || last.status() == OperationView.Status.SUCCEEDED) {
            return null;
        }
        return last.steps().stream().anyMatch(s -> s.status() == StepStatus.DONE) ? last : null;
    }

    /** The names of the steps the stopped setup finished; the form must make the plan it ran (the journal names each step). */
    private static Set<String> resumable(OperationView stopped, SetupPlan plan) {
        Set<String> planned = plan.steps().stream().map(SetupOperations::name).collect(Collectors.toSet());
        Set<String> done = new java.util.HashSet<>();
        for (OperationView.StepView step : stopped.steps()) {
            if (!planned.contains(step.name())) {
                throw Rejected.conflict("setup-form-differs", "setup", "The setup of " + stopped.createdAt() + " stopped part-way and "
                        + "ran '" + step.name() + "', which this form does not plan: send the form it ran with to resume it, or undo it.");
            }
            if (step.status() == StepStatus.DONE) {
                done.add(step.name());
            }
        }
        return done;
    }

    /** Journal names: the plan's number and title and the node, so undo finds each step again in a plan made anew. */
    static String name(PlanStep step) {
        return step.number() + ". " + step.title() + " (on " + step.node() + ")";
    }

    @FunctionalInterface
    private interface Commands {
        List<SetupCommand> get();
    }

    /**
     * Runs the commands in order on the step's node; the first that fails ends the step with its exit code and words.
     *
     * @param bestEffort run every command and report failures in the detail instead of failing (undo of a step that
     *        itself failed part-way: some of what it would undo was never made)
     */
    private Step nodeStep(ClusterView cluster, String name, String nodeName, String changes, Commands commands, boolean bestEffort) {
        ClusterView.NodeView node = node(cluster, nodeName);
        return new Step(name, () -> {
            List<String> said = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (SetupCommand command : commands.get()) {
                NodeOperations.Outcome outcome = connections.call(cluster.id(), node.id(), (access, target) -> access.setupStep(target, command));
                if (!outcome.succeeded()) {
                    String error = command.describe() + " failed with exit " + outcome.exitCode() + ": "
                            + OperationPlans.firstLine(outcome.stderr(), OperationPlans.firstLine(outcome.stdout(), "no output"));
                    if (!bestEffort) {
                        throw new IllegalStateException(error);
                    }
                    failed.add(error);
                    continue;
                }
                requireAuthorized(command, outcome);
                said.add(command.describe() + ": " + OperationPlans.firstLine(outcome.stdout(), "exit 0"));
            }
            return Step.Result.done(String.join("; ", said) + (failed.isEmpty() ? "" : " Not undone: " + String.join("; ", failed)));
        }).ifInterrupted("the step may have run part-way on " + node.name() + ". Check there what it changes ("
                + changes + "), then undo or dismantle.");
    }

    /**
     * pcs host auth exits 0 only when every node authorised; its per-node lines are the step's check. pcs 0.11 prints
     * them on stderr ({@code print_to_stderr(f"{node}: Authorized")} in pcs/utils.py), so both streams are read.
     */
    static void requireAuthorized(SetupCommand command, NodeOperations.Outcome outcome) {
        if (command instanceof SetupCommand.HostAuth auth) {
            String out = (outcome.stdout() == null ? "" : outcome.stdout()) + "\n" + (outcome.stderr() == null ? "" : outcome.stderr());
            for (SetupCommand.Host host : auth.hosts()) {
                if (!out.contains(host.name() + ": Authorized")) {
                    throw new IllegalStateException("pcs host auth did not report '" + host.name() + ": Authorized': "
                            + OperationPlans.firstLine(out.strip(), "no output"));
                }
            }
        }
    }

    /** Hot: the active's configuration to the passive with the copy operation's own steps, once the pair has its roles. */
    private Step copyStep(ClusterView cluster, PlanStep step, SetupService.Ready ready) {
        return new Step(name(step), () -> {
            awaitRoles(cluster, ready, clock.instant());
            OperationPlans.Plan copy = plans.plan(cluster, OperationKind.COPY_CONFIG, ready.passiveNode());
            if (!copy.preflight().allowed()) {
                throw new IllegalStateException("The copy's preflight refused: " + copy.preflight().blocking().stream()
                        .map(c -> c.label() + " (" + c.detail() + ")").collect(Collectors.joining("; ")));
            }
            List<String> said = new ArrayList<>();
            for (Step part : copy.steps()) {
                Step.Result result = part.action().run();
                said.add(result.detail());
                if (result.finishEarly()) {
                    break;
                }
            }
            return Step.Result.done(String.join(" ", said));
        }).ifInterrupted("the copy may have run part-way; open the pair's drift view and copy the configuration again.");
    }

    private Step verifyStep(ClusterView cluster, PlanStep step, SetupService.Ready ready) {
        return new Step(name(step), true, () -> {
            PairStates.PairState seen = plans.await(cluster, properties.failoverTimeout(), clock.instant(), s ->
                            s.health().node(ready.activeNode()).role() == NodeRole.ACTIVE
                                    && PASSIVE.contains(s.health().node(ready.passiveNode()).role())
                                    && s.health().worst().map(w -> w != Severity.CRITICAL).orElse(true),
                    ready.activeNode() + " ACTIVE, " + ready.passiveNode() + " passive and no critical finding");
            return Step.Result.done("The pair is set up: " + ready.activeNode() + " is ACTIVE, " + ready.passiveNode() + " is "
                    + seen.health().node(ready.passiveNode()).role() + "; " + seen.health().summary());
        }).ifInterrupted("setup ran every step; see the pair page for the monitor's verdict.");
    }

    private void awaitRoles(ClusterView cluster, SetupService.Ready ready, Instant since) throws Exception {
        plans.await(cluster, properties.failoverTimeout(), since,
                s -> s.health().node(ready.activeNode()).role() == NodeRole.ACTIVE
                        && PASSIVE.contains(s.health().node(ready.passiveNode()).role()),
                ready.activeNode() + " ACTIVE and " + ready.passiveNode() + " passive");
    }

    // ---- undo ----

    /**
     * The steps the pair's last setup ran (journal: DONE, and the one that FAILED), undone newest first. The form
     * must make the same plan (the journal names each step), so undo reverts exactly what ran.
     */
    private OperationPlans.Plan undo(ClusterView cluster, String node, Request request) {
        SetupService.Ready ready = setup.replan(cluster.id(), requireForm(request));
        requireActive(ready, node);
        OperationView last = journal.recent(cluster.id(), 50).stream().filter(o -> o.kind() == OperationKind.SETUP)
                .max(Comparator.comparing(OperationView::createdAt))
                .orElseThrow(() -> Rejected.conflict("nothing-to-undo", "kind", "This pair has no setup to undo."));
        if (last.running()) {
            throw Rejected.conflict("operation-running", "kind", "The setup is still running; wait for it to end.");
        }
        Map<String, PlanStep> byName = ready.plan().steps().stream().collect(Collectors.toMap(SetupOperations::name, Function.identity()));
        List<Step> steps = new ArrayList<>();
        List<OperationView.StepView> ran = new ArrayList<>(last.steps().stream()
                .filter(s -> s.status() == StepStatus.DONE || s.status() == StepStatus.FAILED).toList());
        ran.sort(Comparator.comparingInt(OperationView.StepView::position).reversed());
        for (OperationView.StepView done : ran) {
            PlanStep step = byName.get(done.name());
            if (step == null) {
                throw Rejected.conflict("setup-form-differs", "setup", "The setup of " + last.createdAt() + " ran '" + done.name()
                        + "', which this form does not plan: send the form that setup ran with.");
            }
            if (!step.actions().undo().isEmpty()) {
                boolean failed = done.status() == StepStatus.FAILED;
                steps.add(nodeStep(cluster, (failed ? "Undo, as far as it ran: " : "Undo: ") + done.name(), step.node(),
                        "what '" + done.name() + "' made", () -> step.actions().undo(), failed));
            }
        }
        if (steps.isEmpty()) {
            throw Rejected.conflict("nothing-to-undo", "kind", "The last setup changed nothing on the nodes.");
        }
        List<Check> checks = List.of(new Check(Verdict.WARN, "Reverts " + steps.size() + " step(s) of the setup of "
                + last.createdAt(), "Newest first. Deleting the resources stops NFO where Pacemaker ran it; its service unit "
                + "then starts it again on each node setup took it from, so the output pauses for that long."));
        return new OperationPlans.Plan(new Preflight(OperationKind.UNDO_SETUP, ready.activeNode(), checks,
                steps.stream().map(Step::name).toList(), cluster.name()), steps);
    }

    // ---- dismantle ----

    /** Stops and destroys the cluster, hands NFO back to its unit on {@code keep} with the output open, removes the gate agent. */
    private OperationPlans.Plan dismantle(ClusterView cluster, String keepName) {
        ClusterView.NodeView keep = node(cluster, keepName);
        ClusterView.NodeView other = cluster.nodes().stream().filter(n -> !n.id().equals(keep.id())).findFirst().orElseThrow();
        boolean cold = cluster.mode() == ClusterMode.COLD;
        if (cold) {
            requireRunsNfo(cluster, keep);
        }
        List<Step> steps = new ArrayList<>();
        if (cold) {
            // the mount, the VIP and NFO stay where they run: a stopping cluster in maintenance mode stops no resource
            steps.add(commands(cluster, keep, "Tell Pacemaker to leave every resource as it runs (maintenance-mode=true)",
                    new SetupCommand.Pcs(List.of("property", "set", "maintenance-mode=true"))));
        }
        steps.add(commands(cluster, keep, "Stop the cluster on both nodes (pcs cluster stop --all)",
                new SetupCommand.ClusterAll(SetupCommand.ClusterAll.Verb.STOP)));
        steps.add(commands(cluster, keep, "Destroy the cluster on both nodes (pcs cluster destroy --all)",
                new SetupCommand.ClusterAll(SetupCommand.ClusterAll.Verb.DESTROY)));
        steps.add(commands(cluster, keep, "Hand NFO on " + keep.name() + " back to " + keep.serviceUnit() + " and start it",
                new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.ENABLE), new SetupCommand.NfoUnit(SetupCommand.NfoUnit.Action.START)));
        steps.add(new Step("Open " + keep.name() + "'s output", () -> {
            NodeOperations.Outcome outcome = connections.call(cluster.id(), keep.id(), (access, target) -> access.gate(target, GateChange.opening()));
            OperationPlans.requireSuccess(outcome, "opening the gate");
            return Step.Result.done(keep.name() + "'s output is open.");
        }).ifInterrupted("check " + keep.name() + "'s output on the pair page; open it if it is blocked."));
        for (ClusterView.NodeView n : List.of(keep, other)) {
            steps.add(commands(cluster, n, "Remove the gate agent from " + n.name(), new SetupCommand.GateAgentFile(false)));
        }
        steps.add(commands(cluster, keep, "Forget pcsd's tokens for the pair",
                new SetupCommand.HostDeauth(List.of(keep.name(), other.name()))));
        steps.add(new Step("Check that " + keep.name() + " runs NFO standalone with its output open", true, () -> {
            PairStates.PairState seen = plans.await(cluster, properties.restartTimeout(), clock.instant(),
                    s -> s.health().node(keep.name()).role() == NodeRole.ACTIVE
                            && s.health().node(other.name()).role() != NodeRole.ACTIVE,
                    keep.name() + " ACTIVE and " + other.name() + " not");
            return Step.Result.done("Dismantled: " + keep.name() + " is ACTIVE on its own, " + other.name() + " is "
                    + seen.health().node(other.name()).role() + " (NFO stopped there and left disabled).");
        }));
        List<Check> checks = new ArrayList<>();
        if (cold) {
            checks.add(new Check(Verdict.PASS, keep.name() + " runs NFO now", "Pacemaker is put in maintenance mode before the "
                    + "cluster stops, so NFO, its mounted data, the VIP and the open output stay on " + keep.name() + ": the output "
                    + "does not pause."));
            checks.add(new Check(Verdict.WARN, "The data stays mounted and the VIP assigned until " + keep.name() + " reboots",
                    "Pacemaker mounted them; for a standalone server that boots on its own, add the mount to /etc/fstab and the "
                            + "address to the network configuration on " + keep.name() + ". DRBD, where setup built it, is left up "
                            + "and its resource file in place."));
        } else {
            checks.add(new Check(Verdict.WARN, "NFO stops on both nodes while the cluster stops",
                    "Its output pauses until " + keep.name() + " runs NFO again on its own, seconds usually."));
        }
        checks.add(new Check(Verdict.WARN, other.name() + " keeps NFO stopped and disabled",
                "Only " + keep.name() + " sends; a second standalone NFO would duplicate the output."));
        return new OperationPlans.Plan(new Preflight(OperationKind.DISMANTLE, keep.name(), checks,
                steps.stream().map(Step::name).toList(), cluster.name()), steps);
    }

    /**
     * A Cold pair's data is mounted where NFO runs: dismantle keeps that node, never moves the data to the other one
     * (move the pair first with a switchover or failover).
     */
    private void requireRunsNfo(ClusterView cluster, ClusterView.NodeView keep) {
        NodeRole role = states.state(cluster.id()).map(s -> s.health().node(keep.name()).role()).orElse(null);
        if (role != NodeRole.ACTIVE) {
            throw Rejected.conflict("keep-not-active", "node", "Keep the node that runs NFO now: a Cold pair's data is mounted "
                    + "there, and " + keep.name() + " is " + (role == null ? "not read yet" : role) + ". Fail the pair over to "
                    + keep.name() + " first, or keep the other node.");
        }
    }

    private Step commands(ClusterView cluster, ClusterView.NodeView node, String title, SetupCommand... commands) {
        return nodeStep(cluster, title, node.name(), title, () -> List.of(commands), false);
    }

    // ---- shared ----

    private static SetupForm requireForm(Request request) {
        if (request == null || request.form() == null) {
            throw Rejected.invalid("invalid-setup", "setup", "Send the setup form as 'setup' (mode, clusterName, activeNode, "
                    + "outputs, vip, haclusterPassword, fencing, drbd).");
        }
        return request.form();
    }

    private static void requireActive(SetupService.Ready ready, String node) {
        if (!ready.activeNode().equals(node)) {
            throw Rejected.invalid("node-not-active", "node", "'node' is the node that starts active: the form's activeNode, "
                    + ready.activeNode() + ".");
        }
    }

    private static ClusterView.NodeView node(ClusterView cluster, String name) {
        return cluster.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> Rejected.invalid("unknown-node", "node", "'" + name + "' is not a node of " + cluster.name() + "."));
    }
}
