package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.support.BlackHole;
import io.tandem.support.ConsoleTest;

/**
 * Every operation kind can be journaled: the database's check on the kind lists them all. Each migration that adds
 * kinds rewrites the whole list, so two branches adding kinds at once can drop each other's; this finds it.
 */
@ConsoleTest
class OperationKindsStoredTest {

    @Autowired
    OperationJournal journal;
    @Autowired
    FleetService fleet;

    @Test
    void everyKindIsAcceptedByTheJournal() throws Exception {
        try (BlackHole hole = BlackHole.open()) {
            ClusterView pair = fleet.create(hole.pair(AccessKind.AGENT));
            List<String> refused = new ArrayList<>();
            for (OperationKind kind : OperationKind.values()) {
                try {
                    UUID id = journal.open(pair.id(), kind, pair.nodes().get(0).name(), "test", List.of("a step"));
                    journal.finish(id, OperationView.Status.SUCCEEDED, "stored");
                } catch (RuntimeException e) {
                    refused.add(kind + ": " + e.getMessage());
                }
            }
            assertThat(refused).as("kinds the database refuses").isEmpty();
            fleet.delete(pair.id());
        }
    }
}
