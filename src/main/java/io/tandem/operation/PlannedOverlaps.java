package io.tandem.operation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.PairStates;

/**
 * Tells the monitor which pairs have an operation under way that opens both outputs on purpose (a make-before-break
 * switchover), so that moment is judged for what it is and not paged as a split brain. Read from the journal, so a
 * console judging a pair whose switchover another console runs knows it too: at each start and end of an operation
 * here, and every second for the other consoles'.
 */
@Component
class PlannedOverlaps {

    private static final Logger log = LoggerFactory.getLogger(PlannedOverlaps.class);

    private final OperationJournal journal;
    private final FleetService fleet;
    private final PairStates states;

    PlannedOverlaps(OperationJournal journal, FleetService fleet, PairStates states) {
        this.journal = journal;
        this.fleet = fleet;
        this.states = states;
    }

    /** Reads the running operations and tells the monitor about every pair; a database that does not answer changes nothing. */
    @Scheduled(fixedDelay = 1000, initialDelay = 1000)
    void refresh() {
        Map<UUID, String> under = new HashMap<>();
        try {
            List<ClusterView> clusters = fleet.list();
            Map<UUID, ClusterMode> modes = new HashMap<>();
            clusters.forEach(c -> modes.put(c.id(), c.mode()));
            for (OperationJournal.Running op : journal.running()) {
                if (op.kind().opensBothOutputs(modes.get(op.clusterId()))) {
                    under.put(op.clusterId(), "the " + op.kind().label().toLowerCase(java.util.Locale.ROOT) + " on " + op.node()
                            + " (operation " + op.operationId().toString().substring(0, 8) + ")");
                }
            }
            for (ClusterView cluster : clusters) {
                states.overlapPlanned(cluster, under.get(cluster.id()));
            }
        } catch (RuntimeException e) {
            log.debug("running operations not read; the planned overlaps stay as they were: {}", e.toString());
        }
    }
}
