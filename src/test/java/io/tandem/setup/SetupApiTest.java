package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;

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
 * Plan and dry run through the REST API against the demo lab's Hot pair (real agents over simulated nodes, where
 * Pacemaker already runs): the plan is built and shown without the password; the dry run refuses and offers adoption.
 * Same context as OperationsTest.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class SetupApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    FleetService fleet;
    @Autowired
    TestUsers users;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void planIsShownWithoutThePasswordAndTheDryRunOffersAdoptionOfTheRunningCluster() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        String admin = users.token(users.create(Role.ADMIN));
        String active = hot.nodes().get(0).name();
        String passive = hot.nodes().get(1).name();
        String form = """
                {"mode": "HOT", "clusterName": "demo", "activeNode": "%s", "outputs": ["udp:127.0.0.1:5514"],
                 "vip": "127.0.0.200/32", "haclusterPassword": "%s", "fencing": {"acknowledgeNone": true}}"""
                .formatted(active, SetupForms.PASSWORD);

        String body = call("plan", hot, admin, form).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        JsonNode plan = json.readTree(body);
        assertThat(body).doesNotContain(SetupForms.PASSWORD).doesNotContain("cibChanges");
        assertThat(plan.get("steps").get(0).get("node").asString()).isEqualTo(active);
        assertThat(plan.get("steps").get(0).get("commands").get(0).asString()).startsWith("pcs host auth " + active)
                .endsWith("-p '" + SetupPlan.REDACTED + "'");
        List<String> titles = new ArrayList<>();
        plan.get("steps").forEach(s -> titles.add(s.get("title").asString()));
        assertThat(titles).contains("Copy " + active + "'s configuration to " + passive + " (the Copy configuration operation)");
        // discovery's findings come with the plan: the demo pair already runs Pacemaker
        List<String> warnings = new ArrayList<>();
        plan.get("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).anyMatch(w -> w.contains("without fencing"));

        String refused = call("dry-run", hot, admin, form).andExpect(status().isConflict()).andReturn().getResponse()
                .getContentAsString();
        assertThat(refused).contains("adopt").doesNotContain(SetupForms.PASSWORD);

        JsonNode bad = json.readTree(call("plan", hot, admin, form.replace("\"demo\"", "\"two words\"").replace("5514", "99999"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString());
        assertThat(bad.get("type").asString()).isEqualTo("urn:tandem:problem:invalid-setup");
        List<String> fields = new ArrayList<>();
        bad.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactly("clusterName", "outputs[0]");
        assertThat(bad.toString()).doesNotContain(SetupForms.PASSWORD);

        String operator = users.token(users.create(Role.OPERATOR));
        call("plan", hot, operator, form).andExpect(status().isForbidden());
        call("dry-run", hot, operator, form).andExpect(status().isForbidden());
    }

    @Test
    void theWizardShowsThePlanToAnAdminOnly() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        var admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        String page = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + hot.id() + "/setup")
                .session(admin)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"setup-form\"", "Show plan", "Dry run", "Apply runs the", "id=\"undo-setup\"", "id=\"dismantle\"");
        assertThat(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + hot.id())
                .session(admin)).andReturn().getResponse().getContentAsString()).contains("id=\"setup-link\"");

        String fragment = mvc.perform(post("/clusters/" + hot.id() + "/setup/plan").session(admin)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                        .param("mode", "HOT").param("clusterName", "demo").param("activeNode", hot.nodes().get(1).name())
                        .param("outputs", "udp:127.0.0.1:5514\ntcp:127.0.0.1:6514").param("haclusterPassword", SetupForms.PASSWORD)
                        .param("fenceNone", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(fragment).contains("id=\"steps\"", "pcs host auth " + hot.nodes().get(1).name(),
                "destinations=udp:127.0.0.1:5514,tcp:127.0.0.1:6514").doesNotContain(SetupForms.PASSWORD).doesNotContain("<html");

        String refused = mvc.perform(post("/clusters/" + hot.id() + "/setup/plan").session(admin)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                        .param("mode", "HOT").param("clusterName", "demo").param("activeNode", "nobody").param("fenceNone", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("id=\"setup-refused\"", "activeNode: Choose the node", "outputs: Give at least one output",
                "haclusterPassword: Give the hacluster password");

        var viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + hot.id() + "/setup")
                .session(viewer)).andExpect(status().isForbidden());
        assertThat(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/clusters/" + hot.id())
                .session(viewer)).andReturn().getResponse().getContentAsString()).doesNotContain("setup-link");
    }

    private ResultActions call(String what, ClusterView pair, String token, String body) throws Exception {
        return mvc.perform(post("/api/v1/clusters/" + pair.id() + "/setup/" + what).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
