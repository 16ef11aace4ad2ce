package io.tandem.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.access.ConnectionReport;
import io.tandem.access.NodeConnections;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/** The one-command demo: two living pairs behind real agents, and faults an operator can inject. */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class DemoLabTest {

    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    @Test
    void bothDemoPairsAreRegisteredPinnedAndReadableThroughTheirAgents() {
        List<ClusterView> demo = fleet.list().stream().filter(c -> c.name().startsWith("demo-")).toList();
        assertThat(demo).extracting(ClusterView::name).containsExactlyInAnyOrder("demo-hot", "demo-cold");
        for (ClusterView pair : demo) {
            for (ClusterView.NodeView node : pair.nodes()) {
                assertThat(node.pinnedFingerprint()).startsWith("sha256:");
                ConnectionReport report = connections.test(pair.id(), node.id());
                assertThat(report.outcome()).as(pair.name() + "/" + node.name() + ": " + report.message())
                        .isEqualTo(ConnectionReport.Outcome.OK);
                assertThat(report.facts()).extracting(ConnectionReport.Fact::label).contains("Host", "NFO service", "Output gate", "Pacemaker");
                assertThat(report.facts().get(0).value()).startsWith(node.name());
            }
        }
        ClusterView cold = demo.stream().filter(c -> c.name().equals("demo-cold")).findFirst().orElseThrow();
        ConnectionReport coldNode = connections.test(cold.id(), cold.nodes().get(0).id());
        assertThat(coldNode.facts()).extracting(ConnectionReport.Fact::label).contains("DRBD");
    }

    @Test
    void anOperatorInjectsAFaultThatTheNodesAgentThenReports() throws Exception {
        String operator = users.token(users.create(Role.OPERATOR));
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        ClusterView.NodeView passive = hot.nodes().get(1);
        DemoFaults.inject(mvc, operator, "demo-hot", passive.name(), "open-gate");
        assertThat(gateOf(hot, passive)).contains("OPEN");

        mvc.perform(post("/api/v1/demo/faults").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"cluster\": \"demo-hot\", \"node\": \"" + passive.name() + "\", \"fault\": \"break-drbd\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:fault-refused"));
        mvc.perform(post("/api/v1/demo/faults").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"cluster\": \"demo-hot\", \"node\": \"nope\", \"fault\": \"kill-nfo\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("node"));
        String viewer = users.token(users.create(Role.VIEWER));
        mvc.perform(delete("/api/v1/demo/faults").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isForbidden());

        DemoFaults.healAll(mvc, operator);
        assertThat(gateOf(hot, passive)).contains("BLOCKED");
    }

    @Test
    void theTemplatesApiComparesThePassiveWithTheActive() throws Exception {
        String viewer = users.token(users.create(Role.VIEWER));
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String body = "";
        // the exporter simulator announces its templates at start; both Hot nodes receive them
        for (int attempt = 0; attempt < 40 && !body.contains("\"readiness\":1.0"); attempt++) {
            Thread.sleep(250);
            body = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                            .get("/api/v1/clusters/" + hot.id() + "/templates").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        }
        assertThat(body).contains("\"active\":\"hot-a\"").contains("\"templateId\":256").contains("\"readiness\":1.0");
    }

    @Test
    void theMonitorSeesRolesAndRaisesAndClearsASplitBrainOutput() throws Exception {
        String operator = users.token(users.create(Role.OPERATOR));
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String state = awaitState(hot, operator, body -> body.contains("\"role\":\"ACTIVE\"") && body.contains("\"role\":\"PASSIVE_HOT\""));
        assertThat(state).contains("\"cluster\":\"demo-hot\"");
        assertThat(state).as("each node's agent as its snapshot says it, against this console's build")
                .contains("\"agent\":{\"version\":\"" + io.tandem.node.Version.ofThisBuild() + "\",\"standing\":\"UP_TO_DATE\"");
        assertThat(healthPanel(hot)).contains("id=\"node-table\"").contains("id=\"resource-table\"").contains(">vip<");
        ClusterView cold = DemoFaults.pair(fleet, "demo-cold");
        awaitState(cold, operator, body -> body.contains("PASSIVE_COLD"));
        assertThat(healthPanel(cold)).contains("id=\"drbd-table\"").contains("<progress")
                .contains("Not real DRBD on cold-a: Tandem demo lab: DRBD simulated in the console&#39;s JVM");

        String passive = hot.nodes().stream().map(ClusterView.NodeView::name)
                .filter(name -> state.contains("\"node\":\"" + name + "\",\"role\":\"PASSIVE_HOT\"")).findFirst().orElseThrow();
        DemoFaults.inject(mvc, operator, "demo-hot", passive, "open-gate");
        String split = awaitState(hot, operator, body -> body.contains("split-brain-output"));
        assertThat(split).contains("\"health\":\"CRITICAL\"");
        String page = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + hot.id() + "/health")
                        .header("HX-Request", "true").with(org.springframework.security.test.web.servlet.request
                                .SecurityMockMvcRequestPostProcessors.user("v").roles("VIEWER")))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("data-finding=\"split-brain-output\"");

        DemoFaults.healAll(mvc, operator);
        awaitState(hot, operator, body -> !body.contains("split-brain-output"));

        String history = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .get("/api/v1/clusters/" + hot.id() + "/history").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(history).contains("\"kind\":\"RAISED\"").contains("\"kind\":\"CLEARED\"").contains("split-brain-output");
        String picture = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + hot.id() + "/history")
                        .param("range", "1h").with(org.springframework.security.test.web.servlet.request
                                .SecurityMockMvcRequestPostProcessors.user("v").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(picture).contains("id=\"timeline\"").contains("class=\"sev-critical\"").contains("class=\"role-active\"");
    }

    @Test
    void aChangedConfigFileOnOneHotNodeIsReportedAsDriftUntilHealed() throws Exception {
        String operator = users.token(users.create(Role.OPERATOR));
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        awaitState(hot, operator, body -> body.contains("PASSIVE_HOT") && !body.contains("config-drift"));
        DemoFaults.inject(mvc, operator, "demo-hot", "hot-b", "change-config");
        String drifted = awaitState(hot, operator, body -> body.contains("config-drift"));
        assertThat(drifted).contains("server/etc/server.cfg");
        DemoFaults.healAll(mvc, operator);
        awaitState(hot, operator, body -> !body.contains("config-drift"));
    }

    private String healthPanel(ClusterView pair) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + pair.id() + "/health")
                        .header("HX-Request", "true").with(org.springframework.security.test.web.servlet.request
                                .SecurityMockMvcRequestPostProcessors.user("v").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private String awaitState(ClusterView pair, String token, java.util.function.Predicate<String> condition) throws Exception {
        String body = "";
        for (int attempt = 0; attempt < 120; attempt++) {
            var response = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                    .get("/api/v1/clusters/" + pair.id() + "/state").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                    .andReturn().getResponse();
            body = response.getContentAsString();
            if (response.getStatus() == 200 && condition.test(body)) {
                return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the monitor never reached the expected state; last: " + body);
    }

    private String gateOf(ClusterView pair, ClusterView.NodeView node) {
        return connections.test(pair.id(), node.id()).facts().stream()
                .filter(f -> f.label().equals("Output gate")).findFirst().orElseThrow().value();
    }
}
