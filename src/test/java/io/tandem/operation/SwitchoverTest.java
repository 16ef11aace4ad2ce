package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * The make-before-break switchover and the restart of the active without a gap, through the API against the demo
 * lab's real agents (the gate is opened by Tandem through the agent, the move is the simulated Pacemaker's). Same
 * context as OperationsTest. The lab test (SwitchoverLabIT) counts the records at the SIEM.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class SwitchoverTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    OperationJournal journal;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    PlannedOverlaps overlaps;

    ClusterView hot;
    String initialActive;
    String viewer;
    String operator;
    DemoPairOperations pair;

    @BeforeEach
    void pairIsHealthy() throws Exception {
        hot = DemoFaults.pair(fleet, "demo-hot");
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        pair = new DemoPairOperations(mvc, states, journal, hot, viewer, operator);
        pair.awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)
                && s.parity() != null && s.parity().readiness() >= 1.0
                && s.health().findings(Finding.Kind.CONFIG_DRIFT).isEmpty());
        initialActive = pair.nodeWithRole(NodeRole.ACTIVE);
    }

    /** The demo lab is shared by every test on this context: leave its roles as found (other tests expect hot-a active). */
    @AfterEach
    void heal() throws Exception {
        DemoFaults.healAll(mvc, operator);
        if (pair.role(initialActive) != NodeRole.ACTIVE) {
            OperationView back = pair.run("SWITCHOVER", initialActive, "demo-hot");
            assertThat(back.status()).as(back.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
            pair.awaitState(s -> s.health().node(initialActive).role() == NodeRole.ACTIVE
                    && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)
                    && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty());
        }
    }

    @Test
    void aSwitchoverOpensTheTargetFirstAndReportsNoRecordLost() throws Exception {
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        String preflight = pair.preflight("SWITCHOVER", passive);
        assertThat(JsonPath.<String>read(preflight, "$.confirmPhrase")).isEqualTo("demo-hot");
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'BLOCK')].label")).isEmpty();
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'PASS')].label"))
                .anyMatch(l -> l.equals(passive + "'s template readiness is 100 % (" + states.state(hot.id()).orElseThrow()
                        .parity().inUseOnActive() + " in use)"))
                .anyMatch(l -> l.startsWith("Make-before-break: " + passive + "'s gate opens first"));
        assertThat(JsonPath.<List<String>>read(preflight, "$.plan")).anyMatch(s -> s.startsWith("Open " + passive + "'s gate"));
        assertThat(JsonPath.<List<String>>read(pair.preflight("SWITCHOVER", active), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .containsExactly(active + " is already ACTIVE");

        pair.start("SWITCHOVER", passive, passive).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:confirmation-required"));
        OperationView done = pair.run("SWITCHOVER", passive, "demo-hot");

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::status).containsOnly(OperationView.StepStatus.DONE);
        assertThat(done.steps().get(1).detail()).contains(passive + "'s gate is opened (nft applied the transaction) while "
                + active + "'s is still open");
        assertThat(done.steps().get(2).detail()).as("the source held blocked before Pacemaker moves")
                .startsWith(active + "'s gate is blocked by Tandem's hold");
        assertThat(done.steps().get(3).detail()).isEqualTo(passive + "'s gate reads OPEN and " + active
                + "'s is held blocked: " + passive + " alone sends.");
        assertThat(done.summary()).startsWith("Switched over from " + active + " to " + passive + ": 0 records lost")
                .contains("duplicated").contains("Pacemaker handed over in");
        assertThat(pair.role(passive)).isEqualTo(NodeRole.ACTIVE);
        pair.awaitState(s -> s.health().node(active).role() == NodeRole.PASSIVE_HOT
                && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty()
                && s.health().findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).isEmpty());
        assertThat(states.state(hot.id()).orElseThrow().health().findings(Finding.Kind.PACEMAKER_FAILURES))
                .as("Pacemaker's monitor read the hold as running, not as a failed gate").isEmpty();
    }

    /**
     * Both outputs open while a switchover runs is its planned overlap, judged as a WARNING that names the operation
     * (no split-brain page for Tandem's own handover); once no such operation runs, the same state is a split brain.
     * The gate is opened by the demo's fault so the overlap lasts long enough to be read.
     */
    @Test
    void bothOutputsOpenDuringASwitchoverIsAWarningNamingItAndASplitBrainOnceItEnded() throws Exception {
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        UUID running = journal.open(hot.id(), OperationKind.SWITCHOVER, passive, "test", List.of("Open " + passive + "'s gate"));
        try {
            overlaps.refresh();
            DemoFaults.inject(mvc, operator, "demo-hot", passive, "open-gate");
            pair.awaitState(s -> s.health().findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).stream()
                    .anyMatch(f -> f.severity() == Severity.WARNING));
            Finding planned = states.state(hot.id()).orElseThrow().health().findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).get(0);
            assertThat(planned.cause()).startsWith("Both outputs open for the switch over without a gap on " + passive
                    + " (operation " + running.toString().substring(0, 8) + ")");
            assertThat(planned.impact()).contains("none is lost");
        } finally {
            journal.finish(running, OperationView.Status.FAILED, "ended by the test");
        }
        overlaps.refresh();
        pair.awaitState(s -> s.health().findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).stream()
                .anyMatch(f -> f.severity() == Severity.CRITICAL && f.cause().startsWith("Both outputs open: ")));
    }

    @Test
    void theActiveRestartsWhileItsPeerCarriesTheOutputAndTakesItBack() throws Exception {
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        assertThat(JsonPath.<List<String>>read(pair.preflight("RESTART_ACTIVE_AND_BACK", passive), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .containsExactly(passive + " is PASSIVE_HOT, not the ACTIVE node");

        OperationView done = pair.run("RESTART_ACTIVE_AND_BACK", active, "demo-hot");

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::name)
                .contains("Restart NFO on " + active + " (nfo)", "Check that " + active + " can take over from " + passive + " again");
        assertThat(done.summary()).startsWith("Restarted " + active + " without an output gap.")
                .contains("Switched over from " + active + " to " + passive + ": 0 records lost")
                .contains("Switched over from " + passive + " to " + active + ": 0 records lost");
        assertThat(pair.role(active)).isEqualTo(NodeRole.ACTIVE);
    }
}
