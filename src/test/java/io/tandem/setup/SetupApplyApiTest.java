package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starting setup through {@code POST /api/v1/clusters/{id}/operations} against the demo lab's Hot pair, where Pacemaker
 * already runs: the request is read with the form, refused before anything runs (a cluster exists: adopt it), and the
 * hacluster password appears in no answer, no journal and no audit entry. Same context as SetupApiTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class SetupApplyApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    FleetService fleet;
    @Autowired
    TestUsers users;
    @Autowired
    io.tandem.monitor.PairStates states;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void setupOfAPairThatIsAlreadyAClusterIsRefusedWithAdoptAndThePasswordGoesNowhere() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String admin = users.token(users.create(Role.ADMIN));
        String active = hot.nodes().get(0).name();

        String refused = start(hot, admin, request("SETUP", active, hot.name(), form(active)))
                .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString();
        JsonNode problem = json.readTree(refused);
        assertThat(problem.get("type").asString()).isEqualTo("urn:tandem:problem:cluster-exists");
        assertThat(problem.get("detail").asString()).contains("already belongs to a cluster", "adopt");
        assertThat(refused).doesNotContain(SetupForms.PASSWORD);

        String journal = mvc.perform(get("/api/v1/clusters/" + hot.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(journal).doesNotContain("\"SETUP\"").doesNotContain(SetupForms.PASSWORD);
        String audit = mvc.perform(get("/api/v1/audit").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(audit).doesNotContain(SetupForms.PASSWORD);
    }

    @Test
    void aBadSetupRequestIsRefusedWithoutEchoingThePassword() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String admin = users.token(users.create(Role.ADMIN));
        String active = hot.nodes().get(0).name();

        // the form's faults, each by field: the password is checked, never shown
        String invalid = start(hot, admin, request("SETUP", active, hot.name(), form(active).replace("\"demo\"", "\"two words\"")))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(invalid).get("type").asString()).isEqualTo("urn:tandem:problem:invalid-setup");
        assertThat(invalid).contains("clusterName").doesNotContain(SetupForms.PASSWORD);

        // a body Jackson cannot read: the shape is named, not the values
        String unreadable = start(hot, admin, request("SETUP", active, hot.name(),
                form(active).replace("[\"udp:127.0.0.1:5514\"]", "{\"x\": 1}")))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(unreadable).contains("outputs").doesNotContain(SetupForms.PASSWORD);

        String noForm = start(hot, admin, """
                {"kind": "SETUP", "node": "%s", "confirm": "%s"}""".formatted(active, hot.name()))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(noForm).get("type").asString()).isEqualTo("urn:tandem:problem:invalid-setup");

        String notApplicable = start(hot, admin, request("RESTART_NFO", active, active, form(active)))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(notApplicable).get("type").asString()).isEqualTo("urn:tandem:problem:setup-not-applicable");
        assertThat(notApplicable).doesNotContain(SetupForms.PASSWORD);

        // building or taking apart the pair is ADMIN's
        String operator = users.token(users.create(Role.OPERATOR));
        start(hot, operator, request("SETUP", active, hot.name(), form(active))).andExpect(status().isForbidden());
        start(hot, operator, """
                {"kind": "DISMANTLE", "node": "%s", "confirm": "%s"}""".formatted(active, hot.name())).andExpect(status().isForbidden());

        // a setup kind is never offered as a node's button nor previewed as a plain operation
        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/operations/preflight").param("kind", "SETUP").param("node", active)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)).andExpect(status().isBadRequest());
    }

    @Test
    void undoWithoutASetupToUndoIsRefused() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String admin = users.token(users.create(Role.ADMIN));
        String active = hot.nodes().get(0).name();
        String refused = start(hot, admin, request("UNDO_SETUP", active, hot.name(), form(active)))
                .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(refused).get("type").asString()).isEqualTo("urn:tandem:problem:nothing-to-undo");
        assertThat(refused).doesNotContain(SetupForms.PASSWORD);
    }

    /** A Cold pair's data is mounted where NFO runs: dismantle keeping the other node is refused before anything runs. */
    @Test
    void dismantleOfAColdPairKeepsOnlyTheNodeThatRunsNfo() throws Exception {
        ClusterView cold = DemoFaults.pair(fleet, "demo-cold");
        String admin = users.token(users.create(Role.ADMIN));
        String passive = null;
        for (int i = 0; i < 120 && passive == null; i++) {
            passive = states.state(cold.id()).flatMap(s -> s.health().nodes().stream()
                    .filter(n -> n.role() == io.tandem.monitor.NodeRole.PASSIVE_COLD).findFirst()).map(n -> n.node()).orElse(null);
            if (passive == null) {
                Thread.sleep(500);
            }
        }
        assertThat(passive).as("the demo's Cold passive, read by the monitor").isNotNull();
        String refused = start(cold, admin, """
                {"kind": "DISMANTLE", "node": "%s", "confirm": "%s"}""".formatted(passive, cold.name()))
                .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(refused).get("type").asString()).isEqualTo("urn:tandem:problem:keep-not-active");
        assertThat(json.readTree(refused).get("detail").asString()).contains(passive, "PASSIVE_COLD", "mounted");
        String journal = mvc.perform(get("/api/v1/clusters/" + cold.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(journal).doesNotContain("\"DISMANTLE\"");
    }

    private static String form(String active) {
        return """
                {"mode": "HOT", "clusterName": "demo", "activeNode": "%s", "outputs": ["udp:127.0.0.1:5514"],
                 "haclusterPassword": "%s", "fencing": {"acknowledgeNone": true}}""".formatted(active, SetupForms.PASSWORD);
    }

    private static String request(String kind, String node, String confirm, String form) {
        return """
                {"kind": "%s", "node": "%s", "confirm": "%s", "setup": %s}""".formatted(kind, node, confirm, form);
    }

    private ResultActions start(ClusterView pair, String token, String body) throws Exception {
        return mvc.perform(post("/api/v1/clusters/" + pair.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
