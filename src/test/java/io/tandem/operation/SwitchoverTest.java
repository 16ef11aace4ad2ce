package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
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

    ClusterView hot;
    String initialActive;
    String viewer;
    String operator;

    @BeforeEach
    void pairIsHealthy() throws Exception {
        hot = DemoFaults.pair(fleet, "demo-hot");
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)
                && s.parity() != null && s.parity().readiness() >= 1.0
                && s.health().findings(Finding.Kind.CONFIG_DRIFT).isEmpty());
        initialActive = nodeWithRole(NodeRole.ACTIVE);
    }

    /** The demo lab is shared by every test on this context: leave its roles as found (other tests expect hot-a active). */
    @AfterEach
    void heal() throws Exception {
        DemoFaults.healAll(mvc, operator);
        if (role(initialActive) != NodeRole.ACTIVE) {
            OperationView back = run("SWITCHOVER", initialActive, "demo-hot");
            assertThat(back.status()).as(back.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
            awaitState(s -> s.health().node(initialActive).role() == NodeRole.ACTIVE
                    && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT)
                    && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty());
        }
    }

    @Test
    void aSwitchoverOpensTheTargetFirstAndReportsNoRecordLost() throws Exception {
        String active = nodeWithRole(NodeRole.ACTIVE);
        String passive = nodeWithRole(NodeRole.PASSIVE_HOT);
        String preflight = preflight("SWITCHOVER", passive);
        assertThat(JsonPath.<String>read(preflight, "$.confirmPhrase")).isEqualTo("demo-hot");
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'BLOCK')].label")).isEmpty();
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'PASS')].label"))
                .anyMatch(l -> l.equals(passive + "'s template readiness is 100 % (" + states.state(hot.id()).orElseThrow()
                        .parity().inUseOnActive() + " in use)"))
                .anyMatch(l -> l.startsWith("Make-before-break: " + passive + "'s gate opens first"));
        assertThat(JsonPath.<List<String>>read(preflight, "$.plan")).anyMatch(s -> s.startsWith("Open " + passive + "'s gate"));
        assertThat(JsonPath.<List<String>>read(preflight("SWITCHOVER", active), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .containsExactly(active + " is already ACTIVE");

        start("SWITCHOVER", passive, passive).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:confirmation-required"));
        OperationView done = run("SWITCHOVER", passive, "demo-hot");

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::status).containsOnly(OperationView.StepStatus.DONE);
        assertThat(done.steps().get(1).detail()).contains(passive + "'s gate is OPEN (read back) while " + active + "'s is still OPEN");
        assertThat(done.summary()).startsWith("Switched over from " + active + " to " + passive + ": 0 records lost")
                .contains("duplicated").contains("Pacemaker handed over in");
        assertThat(role(passive)).isEqualTo(NodeRole.ACTIVE);
        awaitState(s -> s.health().node(active).role() == NodeRole.PASSIVE_HOT
                && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty()
                && s.health().findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).isEmpty());
    }

    @Test
    void theActiveRestartsWhileItsPeerCarriesTheOutputAndTakesItBack() throws Exception {
        String active = nodeWithRole(NodeRole.ACTIVE);
        String passive = nodeWithRole(NodeRole.PASSIVE_HOT);
        assertThat(JsonPath.<List<String>>read(preflight("RESTART_ACTIVE_AND_BACK", passive), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .containsExactly(passive + " is PASSIVE_HOT, not the ACTIVE node");

        OperationView done = run("RESTART_ACTIVE_AND_BACK", active, "demo-hot");

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::name)
                .contains("Restart NFO on " + active + " (nfo)", "Check that " + active + " can take over from " + passive + " again");
        assertThat(done.summary()).startsWith("Restarted " + active + " without an output gap.")
                .contains("Switched over from " + active + " to " + passive + ": 0 records lost")
                .contains("Switched over from " + passive + " to " + active + ": 0 records lost");
        assertThat(role(active)).isEqualTo(NodeRole.ACTIVE);
    }

    private String preflight(String kind, String node) throws Exception {
        return mvc.perform(get("/api/v1/clusters/" + hot.id() + "/operations/preflight").param("kind", kind).param("node", node)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private org.springframework.test.web.servlet.ResultActions start(String kind, String node, String confirm) throws Exception {
        return mvc.perform(post("/api/v1/clusters/" + hot.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"kind\": \"" + kind + "\", \"node\": \"" + node + "\", \"confirm\": \"" + confirm + "\"}"));
    }

    private OperationView run(String kind, String node, String confirm) throws Exception {
        String location = start(kind, node, confirm).andExpect(status().isAccepted())
                .andReturn().getResponse().getHeader(HttpHeaders.LOCATION);
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        for (int attempt = 0; attempt < 1200; attempt++) {
            String json = mvc.perform(get(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            if (!"RUNNING".equals(JsonPath.read(json, "$.status"))) {
                return journal.find(id).orElseThrow();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("operation " + id + " never ended: " + journal.find(id));
    }

    private NodeRole role(String node) {
        return states.state(hot.id()).orElseThrow().health().node(node).role();
    }

    private String nodeWithRole(NodeRole role) throws Exception {
        awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == role));
        return states.state(hot.id()).orElseThrow().health().nodes().stream().filter(n -> n.role() == role)
                .map(io.tandem.monitor.NodeState::node).findFirst().orElseThrow();
    }

    private void awaitState(java.util.function.Predicate<PairStates.PairState> wanted) throws Exception {
        for (int attempt = 0; attempt < 240; attempt++) {
            var state = states.state(hot.id());
            if (state.isPresent() && wanted.test(state.get())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("demo-hot never reached the expected state: " + states.state(hot.id()).map(s -> s.health().summary()));
    }
}
