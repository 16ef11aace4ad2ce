package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.operation.OperationView.StepStatus;
import io.tandem.support.BlackHole;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * The setup's drill (issue 14, ADR 0019): the output handed to the passive and back, through the API against the
 * demo lab's real agents and simulated Pacemaker/DRBD, and offered on the pair page and after a succeeded setup. Same
 * context as SwitchoverTest and ColdOperationsTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class DrillTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    OperationJournal journal;
    @Autowired
    OperationPlans plans;
    @Autowired
    OperationRunner runner;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    String viewer;
    String operator;

    private DemoPairOperations healthyHot() throws Exception {
        DemoPairOperations pair = pair("demo-hot");
        pair.awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)
                && s.parity() != null && s.parity().readiness() >= 1.0
                && s.health().findings(Finding.Kind.CONFIG_DRIFT).isEmpty()
                && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty());
        return pair;
    }

    private DemoPairOperations healthyCold() throws Exception {
        DemoPairOperations pair = pair("demo-cold");
        pair.awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_COLD)
                && s.health().findings().stream().noneMatch(f -> f.kind().name().startsWith("DRBD"))
                && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty());
        return pair;
    }

    private DemoPairOperations pair(String name) {
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        return new DemoPairOperations(mvc, states, journal, DemoFaults.pair(fleet, name), viewer, operator);
    }

    @AfterEach
    void heal() throws Exception {
        if (operator != null) {
            DemoFaults.healAll(mvc, operator);
        }
    }

    @Test
    void aHotDrillHandsTheOutputOverAndBackAndReportsBothLegs() throws Exception {
        DemoPairOperations pair = healthyHot();
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        String preflight = pair.preflight("DRILL", active);
        assertThat(JsonPath.<String>read(preflight, "$.confirmPhrase")).isEqualTo("demo-hot");
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'BLOCK')].label")).as(preflight).isEmpty();
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'PASS')].label"))
                .contains(passive + " can take over", "Then " + active + " takes the output back the same way");
        assertThat(JsonPath.<List<String>>read(pair.preflight("DRILL", passive), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .containsExactly(passive + " is PASSIVE_HOT, not the ACTIVE node");
        pair.start("DRILL", active, active).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:confirmation-required"));

        OperationView done = pair.run("DRILL", active, "demo-hot");

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::status).containsOnly(StepStatus.DONE);
        assertThat(done.steps()).extracting(OperationView.StepView::name)
                .contains("Open " + passive + "'s gate (Tandem holds it open for the handover)",
                        "Check that " + active + " can take over from " + passive + " again",
                        "Open " + active + "'s gate (Tandem holds it open for the handover)");
        assertThat(done.steps()).extracting(OperationView.StepView::name)
                .filteredOn(n -> n.startsWith("Remove the temporary move constraint (pcs resource clear ")).hasSize(2);
        assertThat(done.summary()).startsWith("Drill: the output went to " + passive + " and back to " + active + ".")
                .contains("There: Switched over from " + active + " to " + passive + ": 0 records lost")
                .contains("Back: Switched over from " + passive + " to " + active + ": 0 records lost")
                .containsPattern("(?s)Pacemaker handed over in \\d+\\.\\d s.*Pacemaker handed over in \\d+\\.\\d s");
        pair.awaitState(s -> s.health().node(active).role() == NodeRole.ACTIVE
                && s.health().node(passive).role() == NodeRole.PASSIVE_HOT
                && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty()
                && s.health().findings(Finding.Kind.CLEANUP_FAILED).isEmpty());
    }

    @Test
    void aColdDrillFailsOverAndBackAndSaysWhenNfoAnsweredEachTime() throws Exception {
        DemoPairOperations pair = healthyCold();
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_COLD);
        String preflight = pair.preflight("DRILL", active);
        assertThat(JsonPath.<String>read(preflight, "$.confirmPhrase")).isEqualTo("demo-cold");
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'BLOCK')].label")).as(preflight).isEmpty();
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'PASS')].label"))
                .contains(passive + " can take over", passive + "'s DRBD disk is UpToDate and connected");

        OperationView done = pair.run("DRILL", active, "demo-cold");

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::status).containsOnly(StepStatus.DONE);
        assertThat(done.steps()).extracting(OperationView.StepView::name)
                .contains("Wait until NFO answers on " + passive + " (flow ports bound)",
                        "Wait until NFO answers on " + active + " (flow ports bound)")
                .filteredOn(n -> n.startsWith("Remove the temporary move constraint")).hasSize(2);
        assertThat(done.summary()).startsWith("Drill: the output went to " + passive + " and back to " + active + ".")
                .containsPattern("There: Roles swapped \\d+\\.\\d s after the move: " + passive + " is ACTIVE.*NFO answered on "
                        + passive + " \\d+\\.\\d s after the move")
                .containsPattern("Back: Roles swapped \\d+\\.\\d s after the move: " + active + " is ACTIVE.*NFO answered on "
                        + active + " \\d+\\.\\d s after the move");
        pair.awaitState(s -> s.health().node(active).role() == NodeRole.ACTIVE
                && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty()
                && s.health().findings(Finding.Kind.CLEANUP_FAILED).isEmpty());
    }

    @Test
    void aDrillIsRefusedWithTheReasonWhileThePassiveCouldNotTakeOverAndNothingRuns() throws Exception {
        DemoPairOperations pair = healthyHot();
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        DemoFaults.inject(mvc, operator, "demo-hot", passive, "stop-templates");
        pair.awaitState(s -> s.parity() != null && s.parity().readiness() < 1.0);
        UUID newest = newest(hot);

        assertThat(JsonPath.<List<String>>read(pair.preflight("DRILL", active), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .anyMatch(l -> l.startsWith(passive + "'s template readiness is "));
        pair.start("DRILL", active, "demo-hot").andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:preflight-failed"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith(
                        "Drill: hand over and back on " + active + " is not safe now: ")));
        assertThat(newest(hot)).as("nothing was journaled, nothing ran").isEqualTo(newest);
        assertThat(pair.role(active)).isEqualTo(NodeRole.ACTIVE);

        // a Cold passive cut off from DRBD: refused too, never with the data-loss phrase a failover would accept
        DemoPairOperations cold = healthyCold();
        String coldActive = cold.nodeWithRole(NodeRole.ACTIVE);
        String coldPassive = cold.nodeWithRole(NodeRole.PASSIVE_COLD);
        DemoFaults.inject(mvc, operator, "demo-cold", coldPassive, "break-drbd");
        cold.awaitState(s -> s.health().findings().stream().anyMatch(f -> f.kind().name().startsWith("DRBD")));
        String refused = cold.preflight("DRILL", coldActive);
        assertThat(JsonPath.<String>read(refused, "$.confirmPhrase")).isEqualTo("demo-cold");
        assertThat(JsonPath.<List<String>>read(refused, "$.checks[?(@.verdict == 'BLOCK')].label")).as(refused)
                .anyMatch(l -> l.contains("DRBD") && l.contains("not connected"));
    }

    /**
     * The first leg finds the passive's gate open (another hand opened it after the preflight): the leg fails before
     * anything was changed, the later steps are skipped, and the clean-up that clears the move's constraint still runs.
     */
    @Test
    void aFailedLegStillRunsTheCleanUpAndTheDrillFailsWithTheLegsError() throws Exception {
        DemoPairOperations pair = healthyHot();
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        OperationPlans.Plan plan = plans.plan(hot, OperationKind.DRILL, active);
        assertThat(plan.preflight().allowed()).as(plan.preflight().checks().toString()).isTrue();

        DemoFaults.inject(mvc, operator, "demo-hot", passive, "open-gate");
        UUID id = journal.openSteps(hot.id(), OperationKind.DRILL, active, "test", plan.steps());
        runner.run(id, hot, OperationKind.DRILL, plan.steps(), "test");

        OperationView done = journal.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo(OperationView.Status.FAILED);
        assertThat(done.summary()).isEqualTo("Count the output at both gates for 1 s failed: Expected " + passive
                + "'s gate BLOCKED and " + active + "'s OPEN, read OPEN and OPEN; nothing was changed.");
        List<OperationView.StepView> steps = done.steps();
        assertThat(steps.get(0).status()).isEqualTo(StepStatus.FAILED);
        // each leg's clear is a clean-up: both run after the failed first step, everything else is skipped
        List<OperationView.StepView> cleanups = steps.stream()
                .filter(s -> s.name().startsWith("Remove the temporary move constraint (pcs resource clear ")).toList();
        assertThat(cleanups).hasSize(2).allSatisfy(c -> {
            assertThat(c.status()).as("the clean-up ran after the failed leg").isEqualTo(StepStatus.DONE);
            assertThat(c.detail()).isEqualTo("No constraint was left.");
        });
        assertThat(steps.subList(1, steps.size())).filteredOn(s -> !cleanups.contains(s))
                .extracting(OperationView.StepView::status).containsOnly(StepStatus.SKIPPED);
        assertThat(pair.role(active)).isEqualTo(NodeRole.ACTIVE);
    }

    @Test
    void theDrillIsOfferedOnTheActivesOperationsOnThePairPage() throws Exception {
        DemoPairOperations pair = healthyHot();
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        MockHttpSession session = TestUsers.login(mvc, users.create(Role.OPERATOR));

        String onActive = page(get("/clusters/" + hot.id() + "/operations/actions").param("node", active), session);
        assertThat(onActive).contains("data-operation=\"DRILL\"", "Drill: hand over and back…",
                "/clusters/" + hot.id() + "/operations/new?kind=DRILL&amp;node=" + active);
        String onPassive = page(get("/clusters/" + hot.id() + "/operations/actions").param("node", passive), session);
        assertThat(onPassive).contains("data-operation=\"DRILL\" data-unavailable=\"true\"",
                passive + " is PASSIVE_HOT, not the ACTIVE node");
        assertThat(page(get("/clusters/" + hot.id() + "/operations/new").param("kind", "DRILL").param("node", active), session))
                .contains("Drill: hand over and back: " + active, "Then " + active + " takes the output back the same way");
    }

    @Test
    void aSucceededSetupOffersTheDrillAndAFailedOneDoesNot() throws Exception {
        try (BlackHole hole = BlackHole.open()) {
            ClusterView built = fleet.create(hole.pair(AccessKind.AGENT));
            try {
                String node = built.nodes().get(0).name();
                UUID succeeded = journal.open(built.id(), OperationKind.SETUP, node, "test", List.of("1. Authorize pcsd"));
                journal.finish(succeeded, OperationView.Status.SUCCEEDED, "The pair is set up: " + node + " ACTIVE");
                UUID failed = journal.open(built.id(), OperationKind.SETUP, node, "test", List.of("1. Authorize pcsd"));
                journal.finish(failed, OperationView.Status.FAILED, "1. Authorize pcsd failed");
                MockHttpSession session = TestUsers.login(mvc, users.create(Role.OPERATOR));

                assertThat(page(get("/operations/" + succeeded), session)).contains("id=\"drill-offer\"", "Run a drill",
                        "href=\"/clusters/" + built.id() + "/operations/new?kind=DRILL&amp;node=" + node + "\"");
                assertThat(page(get("/operations/" + failed), session)).doesNotContain("Run a drill");
                assertThat(page(get("/operations/" + succeeded), TestUsers.login(mvc, users.create(Role.VIEWER))))
                        .as("a viewer may not start it").doesNotContain("Run a drill");
            } finally {
                fleet.delete(built.id());
            }
        }
    }

    private UUID newest(ClusterView pair) {
        return journal.recent(pair.id(), 1).stream().findFirst().map(OperationView::id).orElse(null);
    }

    private String page(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
                        MockHttpSession session) throws Exception {
        return mvc.perform(request.session(session)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
    }
}
