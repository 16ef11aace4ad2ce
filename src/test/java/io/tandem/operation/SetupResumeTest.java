package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

import io.tandem.ConsoleApplication;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.operation.OperationView.StepStatus;
import io.tandem.setup.SetupForm;
import io.tandem.setup.SetupPlan.PlanStep;
import io.tandem.setup.SetupService;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * A setup that stopped part-way (the console restarted in the middle: INTERRUPTED in the journal, with the steps it
 * finished) is resumed by applying the same form again: the finished steps are journaled as done without running, the
 * rest run from the one it left. The journal is the real one; the demo's Hot pair stands for the half-built cluster
 * (discovery finds Pacemaker there, so a fresh setup is refused). Same context as OperationsTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class SetupResumeTest {

    @Autowired
    FleetService fleet;
    @Autowired
    OperationJournal journal;
    @Autowired
    SetupOperations setups;
    @Autowired
    SetupService setup;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @Autowired
    org.springframework.test.web.servlet.MockMvc mvc;
    @Autowired
    TestUsers users;

    private ClusterView pair;

    @AfterEach
    void forgetTheJournaledSetups() {
        if (pair != null) {
            jdbc.update("delete from operation_step where operation_id in (select id from operation where cluster_id = ? and kind in "
                    + "('SETUP', 'UNDO_SETUP'))", pair.id());
            jdbc.update("delete from operation where cluster_id = ? and kind in ('SETUP', 'UNDO_SETUP')", pair.id());
        }
    }

    private SetupForm form(String clusterName) {
        return new SetupForm("HOT", clusterName, pair.nodes().get(0).name(), List.of("udp:127.0.0.1:5514"), null, "secret",
                new SetupForm.Fencing(true, null, null), null);
    }

    /** What a console that stopped during step 3 leaves: steps 1 and 2 done, step 3 running, the operation interrupted. */
    private UUID interruptedAtStepThree(SetupForm form) {
        List<String> names = setup.replan(pair.id(), form).plan().steps().stream().map(SetupOperations::name).toList();
        UUID id = journal.open(pair.id(), OperationKind.SETUP, form.activeNode(), "setup-resume-test", names);
        journal.stepEnded(id, 0, StepStatus.DONE, "pcs host auth: Authorized");
        journal.stepEnded(id, 1, StepStatus.DONE, "pcs cluster setup: started");
        journal.stepEnded(id, 2, StepStatus.RUNNING, null);
        journal.finish(id, OperationView.Status.INTERRUPTED, "The console stopped during step 3.");
        return id;
    }

    @Test
    void applyingTheSameFormResumesWhereTheInterruptedSetupStopped() throws Exception {
        pair = DemoFaults.pair(fleet, "demo-hot");
        SetupForm form = form("demo");
        String active = form.activeNode();
        // without a setup to resume, a pair that runs a cluster is never set up over
        assertThatThrownBy(() -> setups.plan(pair, OperationKind.SETUP, active, new SetupOperations.Request(form, null)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.type()).isEqualTo("cluster-exists"));

        interruptedAtStepThree(form);
        OperationPlans.Plan resumed = setups.plan(pair, OperationKind.SETUP, active, new SetupOperations.Request(form, null));

        List<PlanStep> planned = setup.replan(pair.id(), form).plan().steps();
        assertThat(resumed.steps()).extracting(Step::name).containsExactlyElementsOf(planned.stream().map(SetupOperations::name).toList());
        assertThat(resumed.preflight().checks()).anyMatch(c -> c.label().startsWith("Resumes the setup of")
                && c.detail().contains("2 step(s) it finished") && c.detail().contains(SetupOperations.name(planned.get(2))));
        // the finished steps are journaled as done without touching a node; the one it left runs again
        for (Step finished : resumed.steps().subList(0, 2)) {
            assertThat(finished.action().run().detail()).startsWith("Done by the setup of");
        }
        assertThat(resumed.steps().get(2).ifInterrupted()).as("a real node step, as planned").contains("part-way");
    }

    @Test
    void aDifferentFormOrAnUndoSinceIsNotResumed() throws Exception {
        pair = DemoFaults.pair(fleet, "demo-hot");
        String active = pair.nodes().get(0).name();
        interruptedAtStepThree(form("demo"));
        // another cluster name makes other steps: resuming with it would skip what was never done
        assertThatThrownBy(() -> setups.plan(pair, OperationKind.SETUP, active, new SetupOperations.Request(form("other"), null)))
                .isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.type()).isEqualTo("setup-form-differs");
                    assertThat(r.getMessage()).contains("undo it");
                });
        // an undo after it closes it: the next apply starts afresh (and is refused here, the cluster being there)
        UUID undo = journal.open(pair.id(), OperationKind.UNDO_SETUP, active, "setup-resume-test", List.of("Undo: 2."));
        journal.stepEnded(undo, 0, StepStatus.DONE, "undone");
        journal.finish(undo, OperationView.Status.SUCCEEDED, "undone");
        assertThatThrownBy(() -> setups.plan(pair, OperationKind.SETUP, active, new SetupOperations.Request(form("demo"), null)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.type()).isEqualTo("cluster-exists"));
    }

    /** The wizard's Resume continues only a stopped setup: with none, it says so and nothing starts. */
    @Test
    void theWizardsResumeRefusesWhenNoSetupStopped() throws Exception {
        pair = DemoFaults.pair(fleet, "demo-hot");
        var admin = TestUsers.login(mvc, users.create(io.tandem.identity.Role.ADMIN));
        String page = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + pair.id() + "/setup")
                .session(admin)).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"resume-setup\"");
        String answer = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/clusters/" + pair.id()
                        + "/setup/resume").session(admin)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                        .param("mode", "HOT").param("clusterName", "demo").param("activeNode", pair.nodes().get(0).name())
                        .param("outputs", "udp:127.0.0.1:5514").param("haclusterPassword", "secret").param("fenceNone", "true")
                        .param("confirm", pair.name()))
                .andReturn().getResponse().getContentAsString();
        assertThat(answer).contains("id=\"setup-refused\"", "nothing to resume").doesNotContain("secret");
        assertThat(journal.recent(pair.id(), 20)).noneMatch(o -> o.kind() == OperationKind.SETUP);
    }
}
