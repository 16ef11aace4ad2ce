package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
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
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import com.jayway.jsonpath.JsonPath;

import io.tandem.ConsoleApplication;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * Operations against the demo lab's real agents and simulated Pacemaker: a failover with its preflight and typed
 * confirmation, the configuration copy that heals drift, a restart, and the refusals. Same context as DemoLabTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class OperationsTest {

    @Autowired
    FleetService fleet;
    @Autowired
    PairStates states;
    @Autowired
    OperationJournal journal;
    @Autowired
    OperationPlans plans;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    ClusterView hot;
    String viewer;
    String operator;
    DemoPairOperations pair;

    @BeforeEach
    void pairIsHealthy() throws Exception {
        hot = DemoFaults.pair(fleet, "demo-hot");
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        pair = new DemoPairOperations(mvc, states, journal, hot, viewer, operator);
        awaitRoles(r -> r.contains(NodeRole.ACTIVE) && r.contains(NodeRole.PASSIVE_HOT));
    }

    @AfterEach
    void heal() throws Exception {
        DemoFaults.healAll(mvc, operator);
    }

    @Test
    void aFailoverMovesTheActiveRoleAfterItsPreflightAndConfirmation() throws Exception {
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        // healed faults of earlier tests (drift is compared every 10 s) must have cleared first
        pair.awaitState(s -> s.health().canSurviveLossOf(active).survives());

        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/operations/preflight").param("kind", "FAILOVER").param("node", active)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.checks[?(@.verdict == 'BLOCK')].label").value(org.hamcrest.Matchers.hasItem(active + " is already ACTIVE")));
        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/operations/preflight").param("kind", "FAILOVER").param("node", passive)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.confirmPhrase").value("demo-hot"))
                .andExpect(jsonPath("$.checks[?(@.verdict == 'BLOCK')]").isEmpty());

        pair.start("FAILOVER", passive, "yes").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:confirmation-required"));
        mvc.perform(post("/api/v1/clusters/" + hot.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content(DemoPairOperations.body("FAILOVER", passive, "demo-hot")))
                .andExpect(status().isForbidden());

        OperationView done = pair.run("FAILOVER", passive, "demo-hot");

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::status).containsOnly(OperationView.StepStatus.DONE);
        assertThat(done.steps().get(1).detail()).contains("Roles swapped").contains(passive + " is ACTIVE");
        assertThat(done.summary()).as("the measured swap sums the failover up").isEqualTo(done.steps().get(1).detail());
        assertThat(pair.role(passive)).isEqualTo(NodeRole.ACTIVE);
        assertThat(states.state(hot.id()).orElseThrow().health().findings())
                .noneMatch(f -> f.kind() == io.tandem.monitor.Finding.Kind.LEFTOVER_CONSTRAINT);

        // and back, so the demo is as the other tests expect it
        awaitRoles(r -> r.contains(NodeRole.PASSIVE_HOT));
        assertThat(pair.run("FAILOVER", active, "demo-hot").status()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(pair.role(active)).isEqualTo(NodeRole.ACTIVE);
    }

    @Test
    void copyingTheActivesConfigurationHealsDriftOnThePassive() throws Exception {
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        DemoFaults.inject(mvc, operator, "demo-hot", passive, "change-config");
        pair.awaitState(s -> !s.health().findings(io.tandem.monitor.Finding.Kind.CONFIG_DRIFT).isEmpty());

        OperationView done = pair.run("COPY_CONFIG", passive, passive);

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps().get(0).detail()).contains("1 file to copy: server/etc/server.cfg");
        assertThat(done.steps().get(3).detail()).contains("backup");
        assertThat(done.steps().get(5).detail()).contains("The copied files are on " + passive + " as read from");
        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/drift").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(jsonPath("$.files").isEmpty());

        // nothing left to copy: the operation says so and stops after the comparison
        OperationView again = pair.run("COPY_CONFIG", passive, passive);
        assertThat(again.status()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(again.summary()).contains("identical; nothing to copy");
        assertThat(again.steps().subList(1, again.steps().size())).extracting(OperationView.StepView::status)
                .containsOnly(OperationView.StepStatus.SKIPPED);
    }

    @Test
    void aPreflightNeverShowsOkBesideAFailingReason() throws Exception {
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        DemoFaults.inject(mvc, operator, "demo-hot", passive, "change-config");
        pair.awaitState(s -> !s.health().findings(io.tandem.monitor.Finding.Kind.CONFIG_DRIFT).isEmpty());
        String drifted = pair.preflight("COPY_CONFIG", passive);
        assertThat(JsonPath.<List<String>>read(drifted, "$.checks[?(@.verdict == 'PASS')].label"))
                .as("differing files are a caution, not an OK").noneMatch(label -> label.contains("differ"))
                .anyMatch(label -> label.startsWith("Both nodes read: "));
        assertThat(JsonPath.<List<String>>read(drifted, "$.checks[?(@.verdict == 'WARN')].label"))
                .anyMatch(label -> label.contains("differ") && label.contains("the copy replaces them on " + passive));

        DemoFaults.inject(mvc, operator, "demo-hot", passive, "crash-node");
        awaitRoles(r -> r.contains(NodeRole.UNREACHABLE));
        String unread = pair.preflight("COPY_CONFIG", passive);
        assertThat(JsonPath.<List<String>>read(unread, "$.checks[?(@.verdict == 'BLOCK')].label"))
                .anyMatch(label -> label.startsWith("Cannot read " + passive + ": "));
        assertThat(JsonPath.<List<String>>read(unread, "$.checks[?(@.verdict == 'PASS')].label"))
                .as("no 'both nodes read' while one cannot be read, no 'From ... to' onto an unread node")
                .noneMatch(label -> label.startsWith("Both nodes read")).noneMatch(label -> label.startsWith("From "));
        assertThat(JsonPath.<List<String>>read(pair.preflight("FAILOVER", passive), "$.checks[?(@.verdict == 'PASS')].label"))
                .as("a blocked failover does not promise the move").isEmpty();
    }

    @Test
    void restartingThePassiveLeavesTheOutputAlone() throws Exception {
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        OperationView done = pair.run("RESTART_NFO", passive, passive);
        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.summary()).contains(passive + " is PASSIVE_HOT");
        String list = mvc.perform(get("/clusters/" + hot.id() + "/operations")
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("v").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(list).contains("Restart NFO", "SUCCEEDED");
    }

    @Test
    void unsafeOrConcurrentOperationsAreRefusedWithTheReason() throws Exception {
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        pair.start("COPY_CONFIG", active, active).andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:preflight-failed"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(active + " is the ACTIVE node")));
        pair.start("RESTART_NFO", "nfo-z", "nfo-z").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:unknown-node"));

        ClusterView cold = DemoFaults.pair(fleet, "demo-cold");
        String coldPassive = cold.nodes().stream().map(ClusterView.NodeView::name)
                .filter(n -> states.state(cold.id()).map(s -> s.health().node(n).role() == NodeRole.PASSIVE_COLD).orElse(false))
                .findFirst().orElse(null);
        if (coldPassive != null) {
            mvc.perform(get("/api/v1/clusters/" + cold.id() + "/operations/preflight").param("kind", "RESTART_NFO")
                            .param("node", coldPassive).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                    .andExpect(jsonPath("$.checks[?(@.verdict == 'BLOCK')].label")
                            .value(org.hamcrest.Matchers.hasItem(coldPassive + " is the Cold passive and stays stopped")));
        }

        UUID first = journal.open(hot.id(), OperationKind.RESTART_NFO, active, "test", List.of("a step"));
        try {
            assertThatThrownBy(() -> journal.open(hot.id(), OperationKind.FAILOVER, active, "test", List.of("x")))
                    .isInstanceOf(Rejected.class).hasMessageContaining("Another operation is running");
            journal.stepStarted(first, 0);
            // a console that stopped here leaves the operation running; the next start says where it stopped
            assertThat(journal.interruptLeftovers()).isEqualTo(1);
            OperationView interrupted = journal.find(first).orElseThrow();
            assertThat(interrupted.status()).isEqualTo(OperationView.Status.INTERRUPTED);
            assertThat(interrupted.summary()).contains("\"a step\"");
        } finally {
            journal.finish(first, OperationView.Status.FAILED, "test cleanup");
        }
    }

    @Test
    void aCopyInterruptedDuringTheSwapSaysWhatToCheckAndDoNext() throws Exception {
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        List<Step> steps = plans.plan(fleet.get(hot.id()), OperationKind.COPY_CONFIG, passive).steps();
        assertThat(steps).as("every step of a copy says what to do after an interruption").allMatch(step -> step.ifInterrupted() != null);
        UUID copy = journal.open(hot.id(), OperationKind.COPY_CONFIG, passive, "test", steps.stream().map(Step::name).toList(),
                steps.stream().map(Step::ifInterrupted).toList());
        try {
            for (int i = 0; i < 3; i++) {
                journal.stepStarted(copy, i);
                journal.stepEnded(copy, i, OperationView.StepStatus.DONE, "done");
            }
            journal.stepStarted(copy, 3); // backing up and swapping when the console stopped
            assertThat(journal.interruptLeftovers()).isEqualTo(1);
            OperationView interrupted = journal.find(copy).orElseThrow();
            assertThat(interrupted.status()).isEqualTo(OperationView.Status.INTERRUPTED);
            assertThat(interrupted.summary()).contains("The console stopped during \"Back up " + passive, "Next: ",
                    "drift view", "restart NFO on " + passive, "start the copy again");
            assertThat(interrupted.steps().get(3).status()).isEqualTo(OperationView.StepStatus.FAILED);
            assertThat(interrupted.steps().get(3).detail()).startsWith("The console stopped during this step. Next: ");
            assertThat(interrupted.steps().subList(4, 6)).allMatch(step -> step.status() == OperationView.StepStatus.SKIPPED);
        } finally {
            if (journal.find(copy).orElseThrow().running()) {
                journal.finish(copy, OperationView.Status.FAILED, "test cleanup");
            }
        }
    }

    private void awaitRoles(java.util.function.Predicate<List<NodeRole>> wanted) throws Exception {
        pair.awaitState(s -> wanted.test(s.health().nodes().stream().map(io.tandem.monitor.NodeState::role).toList()));
    }
}
