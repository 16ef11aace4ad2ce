package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

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
    DemoPairOperations pair;

    @BeforeEach
    void pairIsHealthy() throws Exception {
        cold = DemoFaults.pair(fleet, "demo-cold");
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        pair = new DemoPairOperations(mvc, states, journal, cold, viewer, operator);
        pair.awaitState(s -> s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.ACTIVE)
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_COLD)
                && s.health().findings().stream().noneMatch(f -> f.kind().name().startsWith("DRBD")));
    }

    @AfterEach
    void heal() throws Exception {
        DemoFaults.healAll(mvc, operator);
    }

    @Test
    void theCopyOfAColdPairChecksThatDrbdKeepsTheReplica() throws Exception {
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_COLD);
        String preflight = pair.preflight("COPY_CONFIG", passive);
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'PASS')].label"))
                .contains("In Cold mode DRBD keeps the configuration in sync", passive + "'s replica is UpToDate and connected");
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'BLOCK')].label")).isEmpty();

        OperationView done = pair.run("COPY_CONFIG", passive, passive);
        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.summary()).startsWith("DRBD keeps the configuration: " + passive + " is SECONDARY")
                .endsWith("nothing to copy.");

        DemoFaults.inject(mvc, operator, "demo-cold", passive, "break-drbd");
        pair.awaitState(s -> s.health().findings().stream().anyMatch(f -> f.kind().name().startsWith("DRBD")));
        assertThat(JsonPath.<List<String>>read(pair.preflight("COPY_CONFIG", passive), "$.checks[?(@.verdict == 'BLOCK')].label"))
                .anyMatch(l -> l.contains("DRBD") && l.contains("not connected"));
    }

    @Test
    void aFailoverWithoutAnUpToDateReplicaNeedsTheTypedAcceptanceOfDataLoss() throws Exception {
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_COLD);
        String healthy = pair.preflight("FAILOVER", passive);
        assertThat(JsonPath.<String>read(healthy, "$.confirmPhrase")).isEqualTo("demo-cold");
        assertThat(JsonPath.<List<String>>read(healthy, "$.checks[?(@.verdict == 'PASS')].label"))
                .contains(passive + "'s DRBD disk is UpToDate and connected");

        DemoFaults.inject(mvc, operator, "demo-cold", passive, "break-drbd");
        // once the active writes, the cut-off replica is Outdated and its node reads STOPPED: the data loss is accepted
        pair.awaitState(s -> s.health().findings().stream().anyMatch(f -> f.kind().name().startsWith("DRBD"))
                && s.health().node(passive).role() == NodeRole.STOPPED);
        String degraded = pair.preflight("FAILOVER", passive);
        assertThat(JsonPath.<String>read(degraded, "$.confirmPhrase")).as(degraded).isEqualTo("accept data loss on demo-cold");
        assertThat(JsonPath.<List<String>>read(degraded, "$.checks[?(@.verdict == 'WARN')].label"))
                .anyMatch(l -> l.endsWith(": accepting loses data"));
        assertThat(JsonPath.<List<String>>read(degraded, "$.checks[?(@.verdict == 'BLOCK')].label"))
                .as("only DRBD stood in the way, and the phrase accepts it: " + degraded).isEmpty();
        pair.start("FAILOVER", passive, "demo-cold").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:confirmation-required"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("accept data loss on demo-cold")));
    }

    @Test
    void aColdFailoverSaysWhenNfoAnsweredOnTheNewActive() throws Exception {
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_COLD);
        OperationView done = pair.run("FAILOVER", passive, "demo-cold");
        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps()).extracting(OperationView.StepView::name)
                .contains("Wait until NFO answers on " + passive + " (flow ports bound)");
        assertThat(done.summary()).contains("Roles swapped").contains("NFO answered on " + passive)
                .containsPattern("NFO answered on \\S+ \\d+\\.\\d s after the move");
        pair.awaitState(s -> s.health().node(active).role() == NodeRole.PASSIVE_COLD
                && s.health().findings().stream().noneMatch(f -> f.kind().name().startsWith("DRBD")));
        assertThat(pair.run("FAILOVER", active, "demo-cold").status()).isEqualTo(OperationView.Status.SUCCEEDED);
    }
}
