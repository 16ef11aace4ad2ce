package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.access.NodeConnections;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * A switchover whose move does not happen, against the demo lab's agents and simulated Pacemaker: a ban placed after
 * the preflight keeps the VIP off the target and the wait gives up at once ({@code failover-timeout=0s}). By then Tandem holds the target's gate
 * open and the source's blocked; the undo opens the source again before it blocks the target (so output never
 * stops), and the clean-up removes the constraints. The pair is left as it was, with no failure for Pacemaker's
 * monitor to find.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true",
        "tandem.operations.failover-timeout=0s"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class SwitchoverUndoTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    OperationJournal journal;
    @Autowired
    NodeConnections connections;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    @Test
    void aMoveThatDoesNotHappenGivesTheOutputBackToTheSourceFirst() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String operator = users.token(users.create(Role.OPERATOR));
        DemoPairOperations pair = new DemoPairOperations(mvc, states, journal, hot,
                users.token(users.create(Role.VIEWER)), operator);
        pair.awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)
                && s.parity() != null && s.parity().readiness() >= 1.0);
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        String resource = OperationPlans.movedResource(hot);
        ClusterView.NodeView target = hot.nodes().stream().filter(n -> n.name().equals(passive)).findFirst().orElseThrow();

        // the ban lands while the first step counts the output for a second: after the preflight, before the move
        var started = pair.start("SWITCHOVER", passive, "demo-hot", null);
        connections.call(hot.id(), target.id(), (access, node) -> access.pacemaker(node, new ClusterCommand.Ban(resource, passive)));
        OperationView failed = pair.follow(started);

        assertThat(failed.status()).as(failed.summary()).isEqualTo(OperationView.Status.FAILED);
        assertThat(failed.steps()).extracting(OperationView.StepView::detail)
                .anyMatch(d -> d != null && d.startsWith(active + "'s gate is blocked by Tandem's hold"))
                .anyMatch(d -> d != null && d.contains("Undone: " + active + "'s gate opened again; " + passive
                        + "'s gate blocked again; move constraint cleared."));
        pair.awaitState(s -> s.health().node(active).role() == NodeRole.ACTIVE
                && s.health().node(passive).role() == NodeRole.PASSIVE_HOT
                && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty()
                && s.health().findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).isEmpty());
        assertThat(states.state(hot.id()).orElseThrow().health().findings(Finding.Kind.PACEMAKER_FAILURES))
                .as("the hold was ended before its deadline: no failed gate for Pacemaker").isEmpty();
        DemoFaults.healAll(mvc, operator);
    }
}
