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
 * Operations on the demo lab's Cold pair (simulated DRBD behind real agents): the copy explains that DRBD keeps the
 * configuration and checks the replica instead; a failover needs the passive UpToDate and connected or the typed
 * acceptance of data loss, and its summary gives the time until NFO answered on the new active. Same context as
 * OperationsTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class ColdOperationsTest {

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

    ClusterView cold;
    String viewer;
    String operator;

    @BeforeEach
    void pairIsHealthy() throws Exception {
        cold = DemoFaults.pair(fleet, "demo-cold");
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_COLD)
                && s.health().findings().stream().noneMatch(f -> f.kind().name().startsWith("DRBD")));
    }

    @AfterEach
    void heal() throws Exception {
        DemoFaults.healAll(mvc, operator);
    }

    @Test
    void theCopyOfAColdPairChecksThatDrbdKeepsTheReplica() throws Exception {
        String passive = nodeWithRole(NodeRole.PASSIVE_COLD);
        String preflight = preflight("COPY_CONFIG", passive);
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'PASS')].label"))
                .contains("In Cold mode DRBD keeps the configuration in sync", passive + "'s replica is UpToDate and connected");
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'BLOCK')].label")).isEmpty();

        OperationView done = run("COPY_CONFIG", passive, passive);
        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.summary()).startsWith("DRBD keeps the configuration: " + passive + " is SECONDARY")
                .endsWith("nothing to copy.");

        DemoFaults.inject(mvc, operator, "demo-cold", passive, "break-drbd");
        awaitState(s -> s.health().findings().stream().anyMatch(f -> f.kind().name().startsWith("DRBD")));
        assertThat(JsonPath.<List<String>>read(preflight("COPY_CONFIG", passive), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .anyMatch(l -> l.contains("DRBD") && l.contains("not connected"));
    }

    @Test
    void aFailoverWithoutAnUpToDateReplicaNeedsTheTypedAcceptanceOfDataLoss() throws Exception {
        String passive = nodeWithRole(NodeRole.PASSIVE_COLD);
        String healthy = preflight("FAILOVER", passive);
        assertThat(JsonPath.<String>read(healthy, "$.confirmPhrase")).isEqualTo("demo-cold");
        assertThat(JsonPath.<List<String>>read(healthy, "$.checks[?(@.verdict == 'PASS')].label"))
                .contains(passive + "'s DRBD disk is UpToDate and connected");

        DemoFaults.inject(mvc, operator, "demo-cold", passive, "break-drbd");
        // once the active writes, the cut-off replica is Outdated and its node reads STOPPED: the data loss is accepted
        awaitState(s -> s.health().findings().stream().anyMatch(f -> f.kind().name().startsWith("DRBD"))
                && s.health().node(passive).role() == NodeRole.STOPPED);
        String degraded = preflight("FAILOVER", passive);
        assertThat(JsonPath.<String>read(degraded, "$.confirmPhrase")).as(degraded).isEqualTo("accept data loss on demo-cold");
        assertThat(JsonPath.<List<String>>read(degraded, "$.checks[?(@.verdict == 'WARN')].label"))
                .anyMatch(l -> l.endsWith(": accepting loses data"));
        assertThat(JsonPath.<List<String>>read(degraded, "$.checks[?(@.verdict == 'BLOCK')].label"))
                .as("only DRBD stood in the way, and the phrase accepts it: " + degraded).isEmpty();
        start("FAILOVER", passive, "demo-cold").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:confirmation-required"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("accept data loss on demo-cold")));
    }

    @Test
    void aColdFailoverSaysWhenNfoAnsweredOnTheNewActive() throws Exception {
        String active = nodeWithRole(NodeRole.ACTIVE);
        String passive = nodeWithRole(NodeRole.PASSIVE_COLD);
        OperationView done = run("FAILOVER", passive, "demo-cold");
        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::name)
                .contains("Wait until NFO answers on " + passive + " (flow ports bound)");
        assertThat(done.summary()).contains("Roles swapped").contains("NFO answered on " + passive)
                .containsPattern("NFO answered on \\S+ \\d+\\.\\d s after the move");
        awaitState(s -> s.health().node(active).role() == NodeRole.PASSIVE_COLD
                && s.health().findings().stream().noneMatch(f -> f.kind().name().startsWith("DRBD")));
        assertThat(run("FAILOVER", active, "demo-cold").status()).isEqualTo(OperationView.Status.SUCCEEDED);
    }

    private String preflight(String kind, String node) throws Exception {
        return mvc.perform(get("/api/v1/clusters/" + cold.id() + "/operations/preflight").param("kind", kind).param("node", node)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private org.springframework.test.web.servlet.ResultActions start(String kind, String node, String confirm) throws Exception {
        return mvc.perform(post("/api/v1/clusters/" + cold.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
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
        return states.state(cold.id()).orElseThrow().health().node(node).role();
    }

    private String nodeWithRole(NodeRole role) throws Exception {
        awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == role));
        return states.state(cold.id()).orElseThrow().health().nodes().stream().filter(n -> n.role() == role)
                .map(io.tandem.monitor.NodeState::node).findFirst().orElseThrow();
    }

    private void awaitState(java.util.function.Predicate<PairStates.PairState> wanted) throws Exception {
        for (int attempt = 0; attempt < 240; attempt++) {
            var state = states.state(cold.id());
            if (state.isPresent() && wanted.test(state.get())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("demo-cold never reached the expected state: " + states.state(cold.id()).map(s -> s.health().summary()));
    }
}
