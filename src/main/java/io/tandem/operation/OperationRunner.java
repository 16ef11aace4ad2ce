package io.tandem.operation;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.instances.PairLeases;
import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.AgentBuild;
import io.tandem.monitor.PairStates;
import io.tandem.node.NodeAccessException;
import io.tandem.operation.OperationView.Status;
import io.tandem.operation.OperationView.StepStatus;

/**
 * Starts operations after checking their preflight again on the server and the typed confirmation, then runs their
 * steps in the background, journaling each before and after it runs. One operation per pair at a time (the journal
 * refuses a second). A step that fails stops the operation: nothing after it runs except its clean-up steps, which
 * always run; a clean-up that fails leaves a CRITICAL finding on the pair ({@link FailedCleanups}).
 */
@Component
public class OperationRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperationRunner.class);
    /** Operations that ended, by pair, kind and outcome (Prometheus: {@code tandem_operations_total}). */
    public static final String ENDED_METRIC = "tandem.operations";

    private final FleetService fleet;
    private final OperationPlans plans;
    private final OperationJournal journal;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final FailedCleanups failedCleanups;
    private final PacemakerControls controls;
    private final PlannedOverlaps overlaps;
    private final AgentInstalls installs;
    private final SetupOperations setups;
    private final PairStates states;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "operation");
        thread.setDaemon(true);
        return thread;
    });

    OperationRunner(FleetService fleet, OperationPlans plans, OperationJournal journal, AuditLog audit, MeterRegistry meters,
                    FailedCleanups failedCleanups, PacemakerControls controls, PlannedOverlaps overlaps, AgentInstalls installs,
                    SetupOperations setups, PairStates states) {
        this.fleet = fleet;
        this.states = states;
        this.setups = setups;
        this.overlaps = overlaps;
        this.installs = installs;
        this.controls = controls;
        this.failedCleanups = failedCleanups;
        this.plans = plans;
        this.journal = journal;
        this.audit = audit;
        this.meters = meters;
    }

    /** The counter of operations of this kind on this pair that ended so (also used to show zeros before the first). */
    public static io.micrometer.core.instrument.Counter ended(MeterRegistry meters, String pair, OperationKind kind, Status outcome) {
        return meters.counter(ENDED_METRIC, "pair", pair, "kind", kind.name().toLowerCase(java.util.Locale.ROOT),
                "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The checks and steps an operation would run now, without running anything; a Hot pair's configuration copy that
     * may run also shows the files it would write, with their diffs.
     */
    public Preflight preflight(UUID clusterId, OperationKind kind, String node) {
        ClusterView cluster = fleet.get(clusterId);
        Preflight preflight = plan(cluster, kind, node, true, null).preflight();
        // the diffs read the nodes' files: asked for on this page and API only, never for the pair page's buttons
        return copiesFiles(kind, cluster) && preflight.allowed() ? preflight.withCopy(plans.previewCopy(cluster, node)) : preflight;
    }

    /** Only a Hot pair's copy writes files; a Cold pair's configuration is on the DRBD volume. */
    private static boolean copiesFiles(OperationKind kind, ClusterView cluster) {
        return kind == OperationKind.COPY_CONFIG && cluster.mode() == io.tandem.fleet.ClusterMode.HOT;
    }

    /** A Pacemaker control previews with crm_simulate for the page; on start its first step previews again. */
    private OperationPlans.Plan plan(ClusterView cluster, OperationKind kind, String node, boolean preview, List<String> files) {
        if (kind.setup()) {
            throw Rejected.invalid("setup-operation", "kind", kind.label() + " starts from the setup wizard or with the setup "
                    + "form ('setup' in the request body), not from a preflight.");
        }
        if (kind.agentLifecycle()) {
            return installs.plan(cluster, kind, node);
        }
        return kind.pacemakerControl() ? controls.plan(cluster, kind, node, preview) : plans.plan(cluster, kind, node, files);
    }

    /**
     * The preflight of each operation that applies to this node in its pair's mode (no configuration copy in a Cold
     * pair), for the pair page's buttons: an operation the preflight blocks is offered disabled, with the reason.
     */
    public java.util.List<Preflight> preflights(UUID clusterId, String node) {
        ClusterView cluster = fleet.get(clusterId);
        return java.util.Arrays.stream(OperationKind.values())
                .filter(kind -> !kind.pacemakerControl() && !kind.setup())
                .filter(kind -> !kind.hotOnly() || cluster.mode() == io.tandem.fleet.ClusterMode.HOT)
                // its preflight lists the node's backups (a node call): offered on the backups page, not on every refresh
                .filter(kind -> kind != OperationKind.ROLLBACK_CONFIG)
                // theirs reads the node over SSH (java, disk, what is installed): asked for on the node's page only
                .filter(kind -> !kind.agentLifecycle())
                .map(kind -> plans.plan(cluster, kind, node).preflight()).toList();
    }

    /** The node's agent for its card on the pair page: the build its latest reading shows, and what may be done to it. */
    public AgentCard agentCard(UUID clusterId, String node) {
        ClusterView.NodeView view = fleet.get(clusterId).nodes().stream().filter(n -> n.name().equals(node)).findFirst()
                .orElseThrow(() -> Rejected.notFound("Node", node));
        AgentBuild build = states.state(clusterId).map(state -> state.agentOf(node))
                .orElseGet(() -> AgentBuild.of(view.access(), null));
        return AgentCard.of(node, view.access(), build);
    }

    /**
     * Starts the operation when its preflight allows it and {@code confirmation} is the phrase it asks for.
     *
     * @return the new operation's id; follow it with {@link #find}
     */
    public UUID start(UUID clusterId, OperationKind kind, String node, String confirmation, String user) {
        return start(clusterId, kind, node, confirmation, user, null);
    }

    /**
     * As {@link #start(UUID, OperationKind, String, String, String)}, copying only the chosen {@code files} (null:
     * every changed file). A file the copy would not write now, or one outside the target's configuration, is
     * refused (400) with its path.
     */
    public UUID start(UUID clusterId, OperationKind kind, String node, String confirmation, String user, List<String> files) {
        ClusterView cluster = fleet.get(clusterId);
        if (files != null && !copiesFiles(kind, cluster)) {
            throw Rejected.invalid("files-not-applicable", "files", "Only a Hot pair's configuration copy takes a choice of "
                    + "files; leave 'files' out.");
        }
        OperationPlans.Plan plan = plan(cluster, kind, node, false, files);
        Preflight preflight = plan.preflight();
        if (!preflight.allowed()) {
            throw new Rejected(Rejected.Kind.CONFLICT, "preflight-failed", preflight.blocking().stream()
                    .map(c -> new Rejected.Violation(null, c.label() + ": " + c.detail())).toList(),
                    kind.label() + " on " + node + " is not safe now: " + preflight.blocking().get(0).label() + ".");
        }
        if (files != null) {
            requireChoosable(cluster, node, files);
        }
        return launch(cluster, kind, node, confirmation, user, plan, files == null ? Map.of()
                : Map.of("files", String.join(", ", files)));
    }

    /**
     * Starts setup, undo setup or dismantle (ADMIN, checked by the caller) with the setup form: {@code confirmation} is
     * the pair's name. The form's hacluster password goes only into the host-auth step's commands, in memory; the
     * journal, the audit and any refusal name the steps, never the form.
     */
    public UUID startSetup(UUID clusterId, OperationKind kind, String node, String confirmation, String user,
                           io.tandem.setup.SetupForm form, String confirmDataLoss) {
        return startSetup(clusterId, kind, node, confirmation, user, form, confirmDataLoss, false);
    }

    /** @param resumeOnly SETUP that continues a setup that stopped part-way, refused (409) when there is none */
    public UUID startSetup(UUID clusterId, OperationKind kind, String node, String confirmation, String user,
                           io.tandem.setup.SetupForm form, String confirmDataLoss, boolean resumeOnly) {
        ClusterView cluster = fleet.get(clusterId);
        OperationPlans.Plan plan = setups.plan(cluster, kind, node, new SetupOperations.Request(form, confirmDataLoss, resumeOnly));
        return launch(cluster, kind, node, confirmation, user, plan, Map.of());
    }

    private UUID launch(ClusterView cluster, OperationKind kind, String node, String confirmation, String user,
                        OperationPlans.Plan plan, Map<String, String> audited) {
        Preflight preflight = plan.preflight();
        UUID clusterId = cluster.id();
        if (confirmation == null || !confirmation.strip().equals(preflight.confirmPhrase())) {
            throw Rejected.invalid("confirmation-required", "confirm",
                    "Type '" + preflight.confirmPhrase() + "' to confirm " + kind.label().toLowerCase() + " on " + node + ".");
        }
        UUID id = journal.openSteps(clusterId, kind, preflight.node(), user, plan.steps());
        if (kind.opensBothOutputs(cluster.mode())) {
            overlaps.refresh(); // before its first step opens a gate, not up to a second later
        }
        Map<String, String> details = new java.util.LinkedHashMap<>(Map.of("operation", id.toString(), "kind", kind.name(), "node", node));
        details.putAll(audited);
        audit.record("OPERATION_START", cluster.name(), Outcome.SUCCESS, details);
        workers.execute(() -> run(id, cluster, kind, plan.steps(), user));
        return id;
    }

    private void requireChoosable(ClusterView cluster, String node, List<String> files) {
        try {
            plans.requireChoosable(cluster, node, files);
        } catch (Rejected rejected) {
            throw rejected;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw Rejected.conflict("nodes-unreadable", "files", "Cannot compare the nodes' files to check the choice: "
                    + describe(e));
        }
    }

    /** The Pacemaker controls that apply to the pair now, for its page. */
    public List<PacemakerControls.Offer> controls(UUID clusterId) {
        return controls.offers(fleet.get(clusterId));
    }

    public java.util.Optional<OperationView> find(UUID id) {
        return journal.find(id);
    }

    public List<OperationView> recent(UUID clusterId, int limit) {
        return journal.recent(clusterId, limit);
    }

    /**
     * Runs the steps in order. A failed step stops the operation's work, but clean-up steps run like {@code finally}
     * blocks: after a failure, a timed-out wait or an early finish, each clean-up still runs (with the thread's
     * interrupt set aside, so a console shutting down still removes what the operation put in place).
     * <p>
     * No step that changes a node runs unless its start is in the journal and the operation is still this console's:
     * a console cut off from the database (another one marks its operation INTERRUPTED and may start the next) stops
     * there. Clean-ups run even then, since they take away what this operation put in place; what they did is journaled
     * when the database answers again, else logged.
     */
    void run(UUID id, ClusterView cluster, OperationKind kind, List<Step> steps, String user) {
        Status status = Status.SUCCEEDED;
        String summary = null;
        String cleanupFailures = null;
        boolean stopped = false; // a step failed or finished early: only clean-ups run from here on
        boolean interrupted = false;
        Step headline = null; // once a headline step ran, later details no longer replace the summary
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (stopped && !step.cleanup()) {
                continue; // stays PENDING, marked SKIPPED when the operation ends
            }
            if (step.cleanup()) {
                interrupted |= Thread.interrupted();
            }
            String notMine = startStep(id, i);
            if (notMine != null && !step.cleanup()) {
                summary = status == Status.FAILED ? summary : step.name() + " did not run: " + notMine;
                status = Status.FAILED;
                stopped = true;
                continue;
            }
            try {
                Step.Result result = step.action().run();
                endStep(id, i, StepStatus.DONE, result.detail());
                if (stopped) {
                    continue; // a clean-up after a failure: the failure stays the summary
                }
                if (result.finishEarly()) {
                    summary = result.detail();
                    stopped = true;
                    continue;
                }
                if (headline == null || step.headline()) {
                    summary = result.detail();
                    headline = step.headline() ? step : null;
                }
            } catch (Exception e) {
                String detail = describe(e);
                endStep(id, i, StepStatus.FAILED, detail);
                if (e instanceof InterruptedException) {
                    interrupted = true;
                }
                if (step.cleanup()) {
                    cleanupFailures = (cleanupFailures == null ? "" : cleanupFailures + " ") + "Clean-up \"" + step.name()
                            + "\" failed: " + detail;
                } else if (status != Status.FAILED) {
                    summary = step.name() + " failed: " + detail;
                }
                status = Status.FAILED;
                stopped = true;
            }
        }
        if (cleanupFailures != null) {
            summary = summary == null ? cleanupFailures : summary + " " + cleanupFailures;
        }
        try {
            journal.finish(id, status, summary);
            failedCleanups.refresh(cluster);
            if (kind.opensBothOutputs(cluster.mode())) {
                overlaps.refresh(); // from now on both outputs open is a split brain again
            }
        } catch (RuntimeException e) {
            log.warn("operation {} on {} ended {} but the journal could not record it: {} ({})", id, cluster.name(), status,
                    summary, e.toString());
        }
        ended(meters, cluster.name(), kind, status).increment();
        try {
            audit.record(user, "OPERATION_END", cluster.name(), status == Status.SUCCEEDED ? Outcome.SUCCESS : Outcome.FAILURE,
                    Map.of("operation", id.toString(), "status", status.name(), "summary", String.valueOf(summary)));
        } catch (RuntimeException e) {
            log.warn("operation {} on {}: its end could not be audited: {}", id, cluster.name(), e.toString());
        }
        log.info("operation {} on {} ended {}: {}", id, cluster.name(), status, summary);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Journals a step's start; null when it may run, else why this console may not run it. */
    private String startStep(UUID id, int position) {
        try {
            return journal.stepStarted(id, position) ? null
                    : "the operation is no longer this console's (another console marked it interrupted: this one was cut off "
                    + "from the database for longer than a lease)";
        } catch (RuntimeException e) {
            log.warn("operation {}: step {} not journaled, the database does not answer: {}", id, position, e.toString());
            return "its start could not be journaled (the database does not answer): " + e.getMessage();
        }
    }

    private void endStep(UUID id, int position, StepStatus status, String detail) {
        try {
            journal.stepEnded(id, position, status, detail);
        } catch (RuntimeException e) {
            log.warn("operation {}: step {} ended {} ({}) but the journal could not record it: {}", id, position, status, detail,
                    e.toString());
        }
    }

    private static String describe(Exception e) {
        if (e instanceof NodeAccessException n) {
            return n.reason() + ": " + n.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Operations a previous console left running cannot be driven any more; say so instead of showing them running. */
    @EventListener(ApplicationReadyEvent.class)
    void interruptLeftovers() {
        int interrupted = journal.interruptLeftovers();
        if (interrupted > 0) {
            log.warn("{} operation(s) were running when the console last stopped; marked INTERRUPTED", interrupted);
        }
        failedCleanups.refreshAll();
    }

    /** Another console sharing the database stopped renewing: the operations it ran have nobody to drive them. */
    @EventListener
    void consolesGone(PairLeases.InstancesGone gone) {
        int interrupted = journal.interruptLeftovers();
        if (interrupted > 0) {
            log.warn("{} operation(s) of console(s) {} that stopped were marked INTERRUPTED", interrupted, gone.instances());
        }
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
