package io.tandem.operation;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.Finding;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;

/**
 * A clean-up step that failed (or never ran because the console stopped) leaves something on the pair that Tandem
 * put there to do its work, such as the {@code cli-prefer} of a move that makes Pacemaker pull the resource back
 * later. Each becomes a CRITICAL finding on the pair, judged from the journal (so it survives a console restart),
 * with its fix as one click, until an operation doing that fix succeeds.
 */
@Component
class FailedCleanups {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final OperationJournal journal;
    private final FleetService fleet;
    private final PairStates states;

    FailedCleanups(OperationJournal journal, FleetService fleet, PairStates states) {
        this.journal = journal;
        this.fleet = fleet;
        this.states = states;
    }

    /** Raises (or withdraws) the pair's finding from the journal as it is now. */
    void refresh(ClusterView cluster) {
        Map<UUID, List<OperationJournal.FailedCleanup>> byPair = byPair();
        states.raised(cluster, findings(byPair.getOrDefault(cluster.id(), List.of())));
    }

    /** Every pair's, once at start (the console may have stopped with a clean-up failed or not yet run). */
    void refreshAll() {
        Map<UUID, List<OperationJournal.FailedCleanup>> byPair = byPair();
        for (ClusterView cluster : fleet.list()) {
            states.raised(cluster, findings(byPair.getOrDefault(cluster.id(), List.of())));
        }
    }

    private Map<UUID, List<OperationJournal.FailedCleanup>> byPair() {
        return journal.unrepairedCleanups().stream().collect(Collectors.groupingBy(OperationJournal.FailedCleanup::clusterId));
    }

    /** One finding per pair (a finding's key is its kind and node): the latest failure first, every one in the details. */
    static List<Finding> findings(List<OperationJournal.FailedCleanup> failed) {
        if (failed.isEmpty()) {
            return List.of();
        }
        OperationJournal.FailedCleanup latest = failed.get(failed.size() - 1);
        List<OperationJournal.FailedCleanup> newestFirst = new java.util.ArrayList<>(failed);
        java.util.Collections.reverse(newestFirst);
        List<String> details = newestFirst.stream().map(f -> AT.format(f.at()) + ", " + f.operationKind().label()
                + " (operation " + f.operationId() + "): " + f.step() + ": " + f.detail()).toList();
        return List.of(new Finding(Severity.CRITICAL, Finding.Kind.CLEANUP_FAILED,
                "The clean-up of a " + latest.operationKind().label().toLowerCase(Locale.ROOT) + " did not run to the end: "
                        + latest.step(),
                "What the operation put in place to do its work may still be there (" + latest.detail()
                        + "). Run the fix now; Tandem shows this until it succeeds.",
                details, null).withRemedy(new Finding.Remedy(latest.fix().kind().name(), latest.fix().subject(),
                latest.fix().kind().label() + ": " + latest.fix().subject() + "…")));
    }
}
