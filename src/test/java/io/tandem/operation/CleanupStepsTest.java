package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.Finding;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.operation.OperationView.StepStatus;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * Clean-up steps run like {@code finally} whatever failed before them, and a clean-up that fails leaves a CRITICAL
 * finding on the pair with its fix, until an operation doing that fix succeeds. The runner and the journal are the
 * real ones (embedded PostgreSQL), the pair is the demo's; the steps are written here so each can be made to fail.
 * Same context as OperationsTest. The Pacemaker lab proves the same for a real failover (PacemakerControlsIT).
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class CleanupStepsTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    OperationJournal journal;
    @Autowired
    OperationRunner runner;
    @Autowired
    FailedCleanups failedCleanups;
    @Autowired
    org.springframework.test.web.servlet.MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    /**
     * Every test here reads demo-hot's picture: in a context just started, the monitor may not have read both nodes'
     * Pacemaker yet (the pacemaker page then offers nothing, and the picture may be absent).
     */
    @org.junit.jupiter.api.BeforeEach
    void demoHotIsPictured() throws Exception {
        ClusterView pair = DemoFaults.pair(fleet, "demo-hot");
        for (int i = 0; i < 240 && !pictured(pair); i++) {
            Thread.sleep(250);
        }
        assertThat(pictured(pair)).as("demo-hot's picture with both nodes' Pacemaker within 60 s").isTrue();
    }

    private boolean pictured(ClusterView pair) {
        return states.state(pair.id()).map(s -> pair.nodes().stream().allMatch(n -> s.readings().get(n.name()) != null
                && s.readings().get(n.name()).clusterStatus().isPresent())).orElse(false);
    }

    @Test
    void pacemakerControlsAreOfferedOnThePairPageAndTheirRolesAreChecked() throws Exception {
        ClusterView pair = DemoFaults.pair(fleet, "demo-hot");
        TestUsers.Credentials person = users.create(io.tandem.identity.Role.OPERATOR);
        var session = (org.springframework.mock.web.MockHttpSession) mvc.perform(
                org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin()
                        .user(person.username()).password(person.password())).andReturn().getRequest().getSession(false);
        String node = pair.nodes().get(1).name();
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                        "/clusters/" + pair.id() + "/operations/pacemaker").session(session))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content().string(
                        org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("data-control=\"NODE_STANDBY\""),
                                org.hamcrest.Matchers.containsString("data-control=\"MAINTENANCE_ON\""),
                                org.hamcrest.Matchers.containsString("kind=NODE_STANDBY&amp;node=" + node))));

        // maintenance mode on needs ADMIN: an operator's token is refused before anything is checked or run
        String operator = users.token(person);
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/clusters/" + pair.id() + "/operations")
                        .header("Authorization", "Bearer " + operator).contentType("application/json")
                        .content("{\"kind\": \"MAINTENANCE_ON\", \"node\": \"demo-hot\", \"confirm\": \"demo-hot\"}"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isForbidden())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.type")
                        .value("urn:tandem:problem:role-required"));
        // a resource name that cannot be one is a 400 naming the field
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/clusters/" + pair.id() + "/operations/preflight")
                        .param("kind", "RESOURCE_DISABLE").param("node", "--force").header("Authorization", "Bearer " + operator))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isBadRequest())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.type")
                        .value("urn:tandem:problem:invalid-resource"));
        // the demo's simulated Pacemaker cannot preview: the control is blocked, never run unpreviewed
        Preflight standby = runner.preflight(pair.id(), OperationKind.NODE_STANDBY, node);
        for (int i = 0; i < 120 && standby.blocking().stream().noneMatch(c -> c.label().startsWith("Cannot preview on")); i++) {
            Thread.sleep(500); // until both demo nodes are read, the preflight blocks before it previews
            standby = runner.preflight(pair.id(), OperationKind.NODE_STANDBY, node);
        }
        assertThat(standby.allowed()).isFalse();
        assertThat(standby.blocking()).anyMatch(c -> c.label().startsWith("Cannot preview on"));
    }

    @Test
    void cleanUpsRunAfterAFailureAndAFailedOneIsACriticalFindingUntilItsFixSucceeds() throws Exception {
        ClusterView pair = DemoFaults.pair(fleet, "demo-hot");
        AtomicInteger cleanupRuns = new AtomicInteger();
        Step.Fix fix = new Step.Fix(OperationKind.CLEAR_CONSTRAINTS, "nfo-vip");
        List<Step> steps = List.of(
                new Step("Move", () -> Step.Result.done("moved")),
                new Step("Wait for the roles to swap", () -> {
                    throw new IllegalStateException("Waited 0 s for nfo-b ACTIVE");
                }),
                new Step("Never runs after the failure", () -> Step.Result.done("must not run")),
                Step.cleanup("Remove the constraint that works", fix, () -> {
                    cleanupRuns.incrementAndGet();
                    return Step.Result.done("Removing constraint: cli-prefer-nfo-vip");
                }),
                Step.cleanup("Remove the constraint (pcs resource clear nfo-vip)", fix, () -> {
                    cleanupRuns.incrementAndGet();
                    throw new IllegalStateException("pcs resource clear failed with exit 1: Error: unable to get cib");
                }));

        UUID id = journal.openSteps(pair.id(), OperationKind.FAILOVER, "demo-hot", "test", steps);
        runner.run(id, pair, OperationKind.FAILOVER, steps, "test");

        OperationView done = journal.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo(OperationView.Status.FAILED);
        assertThat(done.steps()).extracting(OperationView.StepView::status).containsExactly(StepStatus.DONE,
                StepStatus.FAILED, StepStatus.SKIPPED, StepStatus.DONE, StepStatus.FAILED);
        assertThat(cleanupRuns).as("both clean-ups ran after the failed wait").hasValue(2);
        assertThat(done.summary()).startsWith("Wait for the roles to swap failed: Waited 0 s")
                .contains("Clean-up \"Remove the constraint (pcs resource clear nfo-vip)\" failed: pcs resource clear failed");

        Finding critical = cleanupFinding(pair).orElseThrow();
        assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(critical.cause()).contains("fail over").contains("pcs resource clear nfo-vip");
        assertThat(critical.remedy()).isEqualTo(new Finding.Remedy("CLEAR_CONSTRAINTS", "nfo-vip", "Clear move constraints: nfo-vip…"));
        assertThat(states.state(pair.id()).orElseThrow().health().summary()).as("a critical finding heads the pair")
                .isEqualTo(critical.cause());

        // a console started now finds it again in the journal
        failedCleanups.refreshAll();
        assertThat(cleanupFinding(pair)).isPresent();

        // the fix succeeds: the finding goes
        UUID repaired = journal.open(pair.id(), OperationKind.CLEAR_CONSTRAINTS, "nfo-vip", "test", List.of("Run pcs resource clear nfo-vip"));
        journal.finish(repaired, OperationView.Status.SUCCEEDED, "No move constraint is left on nfo-vip");
        failedCleanups.refresh(pair);
        assertThat(cleanupFinding(pair)).isEmpty();
    }

    @Test
    void aCleanUpStillRunsWhenTheOperationFinishesEarlyAndOneThatNeverRanCountsAsFailed() throws Exception {
        ClusterView pair = DemoFaults.pair(fleet, "demo-hot");
        AtomicInteger cleanupRuns = new AtomicInteger();
        Step.Fix fix = new Step.Fix(OperationKind.NODE_UNSTANDBY, pair.nodes().get(1).name());
        List<Step> steps = List.of(
                new Step("Compare", () -> Step.Result.nothingMoreToDo("identical")),
                new Step("Copy", () -> Step.Result.done("must not run")),
                Step.cleanup("Unstandby", fix, () -> Step.Result.done("ran " + cleanupRuns.incrementAndGet())));
        UUID id = journal.openSteps(pair.id(), OperationKind.COPY_CONFIG, pair.nodes().get(1).name(), "test", steps);
        runner.run(id, pair, OperationKind.COPY_CONFIG, steps, "test");
        OperationView done = journal.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.summary()).isEqualTo("identical");
        assertThat(done.steps()).extracting(OperationView.StepView::status)
                .containsExactly(StepStatus.DONE, StepStatus.SKIPPED, StepStatus.DONE);
        assertThat(cleanupRuns).hasValue(1);

        // the console stops before a clean-up ran: on the next start it is a failed clean-up with its fix
        UUID stopped = journal.openSteps(pair.id(), OperationKind.COPY_CONFIG, pair.nodes().get(1).name(), "test", steps);
        journal.stepStarted(stopped, 0);
        journal.interruptLeftovers();
        OperationView interrupted = journal.find(stopped).orElseThrow();
        assertThat(interrupted.steps().get(2).status()).isEqualTo(StepStatus.FAILED);
        assertThat(interrupted.steps().get(2).detail()).contains("before this clean-up ran");
        failedCleanups.refresh(pair);
        assertThat(cleanupFinding(pair).orElseThrow().remedy().operation()).isEqualTo("NODE_UNSTANDBY");

        UUID repaired = journal.open(pair.id(), OperationKind.NODE_UNSTANDBY, pair.nodes().get(1).name(), "test", List.of("x"));
        journal.finish(repaired, OperationView.Status.SUCCEEDED, "done");
        failedCleanups.refresh(pair);
        assertThat(cleanupFinding(pair)).isEmpty();
    }

    /**
     * A console cut off from the database for longer than a lease is found gone by another, which marks its operation
     * INTERRUPTED (and may start the next one on the pair): the cut-off console runs no further step that changes a
     * node, only the clean-ups that take away what it put in place, and the other console's account stands.
     */
    @Test
    void anOperationMarkedInterruptedByAnotherConsoleRunsNoFurtherStepButItsCleanUps() throws Exception {
        ClusterView pair = DemoFaults.pair(fleet, "demo-hot");
        AtomicInteger laterSteps = new AtomicInteger();
        AtomicInteger cleanupRuns = new AtomicInteger();
        UUID[] id = new UUID[1];
        List<Step> steps = List.of(
                new Step("Move", () -> {
                    // meanwhile the other console finds this one gone and interrupts what it ran
                    jdbc.update("update operation set instance_id = null where id = ?", id[0]);
                    journal.interruptLeftovers();
                    return Step.Result.done("moved");
                }),
                new Step("Wait for the roles to swap", () -> Step.Result.done("ran " + laterSteps.incrementAndGet())),
                Step.cleanup("Remove the constraint", new Step.Fix(OperationKind.CLEAR_CONSTRAINTS, "nfo-vip"),
                        () -> Step.Result.done("removed " + cleanupRuns.incrementAndGet())));
        id[0] = journal.openSteps(pair.id(), OperationKind.FAILOVER, "demo-hot", "test", steps);
        runner.run(id[0], pair, OperationKind.FAILOVER, steps, "test");

        assertThat(laterSteps).as("no step after the operation was taken away").hasValue(0);
        assertThat(cleanupRuns).as("its clean-up still ran").hasValue(1);
        OperationView done = journal.find(id[0]).orElseThrow();
        assertThat(done.status()).isEqualTo(OperationView.Status.INTERRUPTED);
        assertThat(done.summary()).as("the other console's account stands").startsWith("The console stopped during \"Move\"");
        assertThat(done.steps().get(1).status()).isIn(StepStatus.PENDING, StepStatus.SKIPPED);
        assertThat(done.steps().get(2).status()).as("the clean-up's work is journaled").isEqualTo(StepStatus.DONE);
        failedCleanups.refresh(pair);
        assertThat(cleanupFinding(pair)).as("a clean-up that ran is no failed clean-up").isEmpty();
    }

    private java.util.Optional<Finding> cleanupFinding(ClusterView pair) {
        return states.state(pair.id()).orElseThrow().health().findings(Finding.Kind.CLEANUP_FAILED).stream().findFirst();
    }
}
