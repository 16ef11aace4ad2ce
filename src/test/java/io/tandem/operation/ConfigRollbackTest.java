package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
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
 * Roll back after a copy, against the demo lab's real agents: the copy heals drift, the backups list shows what it
 * replaced, and Roll back restores it (hash-verified) so the drift is back. Same context as OperationsTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class ConfigRollbackTest {

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
                && s.health().nodes().stream().anyMatch(n -> n.role() == NodeRole.PASSIVE_HOT));
    }

    @AfterEach
    void heal() throws Exception {
        DemoFaults.healAll(mvc, operator);
    }

    @Test
    void rollBackRestoresWhatTheCopyReplacedAndVerifiesItsHashes() throws Exception {
        String active = pair.nodeWithRole(NodeRole.ACTIVE);
        String passive = pair.nodeWithRole(NodeRole.PASSIVE_HOT);
        DemoFaults.inject(mvc, operator, "demo-hot", passive, "change-config");
        pair.awaitState(s -> !s.health().findings(Finding.Kind.CONFIG_DRIFT).isEmpty());
        assertThat(pair.run("COPY_CONFIG", passive, passive).status()).isEqualTo(OperationView.Status.SUCCEEDED);

        String backups = mvc.perform(get("/api/v1/clusters/" + hot.id() + "/backups").param("node", passive)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<String>>read(backups, "$[0].files[*].path")).contains("server/etc/server.cfg");
        String newest = JsonPath.read(backups, "$[0].id");
        String page = mvc.perform(get("/clusters/" + hot.id() + "/backups")
                        .with(SecurityMockMvcRequestPostProcessors.user("v").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains(newest, "Roll back to the newest backup");

        String preflight = mvc.perform(get("/api/v1/clusters/" + hot.id() + "/operations/preflight")
                        .param("kind", "ROLLBACK_CONFIG").param("node", passive).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<String>>read(preflight, "$.checks[?(@.verdict == 'PASS')].label"))
                .anyMatch(l -> l.startsWith("Newest backup " + newest));
        String onActive = mvc.perform(get("/api/v1/clusters/" + hot.id() + "/operations/preflight")
                        .param("kind", "ROLLBACK_CONFIG").param("node", active).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<List<String>>read(onActive, "$.checks[?(@.verdict == 'BLOCK')].label")).contains(active + " is the ACTIVE node");

        OperationView done = pair.run("ROLLBACK_CONFIG", passive, passive);

        assertThat(done.status()).as(done.summary() + " " + done.steps()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(done.steps().get(2).detail()).endsWith("files match the hashes backup " + newest + " recorded.");
        assertThat(done.summary()).startsWith("Rolled back " + passive + " to backup " + newest + " (hash-verified)");
        // the passive has the file the copy replaced again: the drift is back
        pair.awaitState(s -> !s.health().findings(Finding.Kind.CONFIG_DRIFT).isEmpty());
    }
}
