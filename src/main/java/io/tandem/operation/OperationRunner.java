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
import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.node.NodeAccessException;
import io.tandem.operation.OperationView.Status;
import io.tandem.operation.OperationView.StepStatus;

/**
 * Starts operations after checking their preflight again on the server and the typed confirmation, then runs their
 * steps in the background, journaling each before and after it runs. One operation per pair at a time (the journal
 * refuses a second). A step that fails stops the operation; nothing after it runs.
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
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "operation");
        thread.setDaemon(true);
        return thread;
    });

    OperationRunner(FleetService fleet, OperationPlans plans, OperationJournal journal, AuditLog audit, MeterRegistry meters) {
        this.fleet = fleet;
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

    /** The checks and steps an operation would run now, without running anything. */
    public Preflight preflight(UUID clusterId, OperationKind kind, String node) {
        return plans.plan(fleet.get(clusterId), kind, node).preflight();
    }

    /**
     * The preflight of each operation that applies to this node in its pair's mode (no configuration copy in a Cold
     * pair), for the pair page's buttons: an operation the preflight blocks is offered disabled, with the reason.
     */
    public java.util.List<Preflight> preflights(UUID clusterId, String node) {
        ClusterView cluster = fleet.get(clusterId);
        return java.util.Arrays.stream(OperationKind.values())
                .filter(kind -> kind != OperationKind.COPY_CONFIG || cluster.mode() == io.tandem.fleet.ClusterMode.HOT)
                .map(kind -> plans.plan(cluster, kind, node).preflight()).toList();
    }

    /**
     * Starts the operation when its preflight allows it and {@code confirmation} is the phrase it asks for.
     *
     * @return the new operation's id; follow it with {@link #find}
     */
    public UUID start(UUID clusterId, OperationKind kind, String node, String confirmation, String user) {
        ClusterView cluster = fleet.get(clusterId);
        OperationPlans.Plan plan = plans.plan(cluster, kind, node);
        Preflight preflight = plan.preflight();
        if (!preflight.allowed()) {
            throw new Rejected(Rejected.Kind.CONFLICT, "preflight-failed", preflight.blocking().stream()
                    .map(c -> new Rejected.Violation(null, c.label() + ": " + c.detail())).toList(),
                    kind.label() + " on " + node + " is not safe now: " + preflight.blocking().get(0).label() + ".");
        }
        if (confirmation == null || !confirmation.strip().equals(preflight.confirmPhrase())) {
            throw Rejected.invalid("confirmation-required", "confirm",
                    "Type '" + preflight.confirmPhrase() + "' to confirm " + kind.label().toLowerCase() + " on " + node + ".");
        }
        UUID id = journal.open(clusterId, kind, node, user, preflight.plan(), plan.steps().stream().map(Step::ifInterrupted).toList());
        audit.record("OPERATION_START", cluster.name(), Outcome.SUCCESS,
                Map.of("operation", id.toString(), "kind", kind.name(), "node", node));
        workers.execute(() -> run(id, cluster, kind, plan.steps(), user));
        return id;
    }

    public java.util.Optional<OperationView> find(UUID id) {
        return journal.find(id);
    }

    public List<OperationView> recent(UUID clusterId, int limit) {
        return journal.recent(clusterId, limit);
    }

    private void run(UUID id, ClusterView cluster, OperationKind kind, List<Step> steps, String user) {
        Status status = Status.SUCCEEDED;
        String summary = null;
        Step headline = null; // once a headline step ran, later details no longer replace the summary
        for (int i = 0; i < steps.size(); i++) {
            journal.stepStarted(id, i);
            try {
                Step.Result result = steps.get(i).action().run();
                journal.stepEnded(id, i, StepStatus.DONE, result.detail());
                if (result.finishEarly()) {
                    summary = result.detail();
                    break;
                }
                if (headline == null || steps.get(i).headline()) {
                    summary = result.detail();
                    headline = steps.get(i).headline() ? steps.get(i) : null;
                }
            } catch (Exception e) {
                String detail = describe(e);
                journal.stepEnded(id, i, StepStatus.FAILED, detail);
                status = Status.FAILED;
                summary = steps.get(i).name() + " failed: " + detail;
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                break;
            }
        }
        journal.finish(id, status, summary);
        ended(meters, cluster.name(), kind, status).increment();
        audit.record(user, "OPERATION_END", cluster.name(), status == Status.SUCCEEDED ? Outcome.SUCCESS : Outcome.FAILURE,
                Map.of("operation", id.toString(), "status", status.name(), "summary", String.valueOf(summary)));
        log.info("operation {} on {} ended {}: {}", id, cluster.name(), status, summary);
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
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
