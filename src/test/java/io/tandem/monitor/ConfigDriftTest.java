package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
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
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * Drift as an operator meets it, against the demo lab's real agents: a changed server.cfg on the passive is listed,
 * shown side by side with the changed line, can be ignored by an admin, and hostile paths read nothing.
 * Same context as DemoLabTest (same annotations), so the demo starts once.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class ConfigDriftTest {

    private static final String CFG = "server/etc/server.cfg";

    @Autowired
    FleetService fleet;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

    ClusterView hot;
    String viewer;
    String operator;
    String admin;

    @BeforeEach
    void changeTheConfigurationOnThePassive() throws Exception {
        hot = DemoFaults.pair(fleet, "demo-hot");
        viewer = users.token(users.create(Role.VIEWER));
        operator = users.token(users.create(Role.OPERATOR));
        admin = users.token(users.create(Role.ADMIN));
        DemoFaults.inject(mvc, operator, "demo-hot", hot.nodes().get(1).name(), "change-config");
    }

    @AfterEach
    void heal() throws Exception {
        DemoFaults.healAll(mvc, operator);
        fleet.ignoreDrift(hot.id(), List.of(), null);
    }

    @Test
    void theChangedFileIsListedForViewersAndShownSideBySideToOperators() throws Exception {
        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/drift").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files[0].path").value(CFG))
                .andExpect(jsonPath("$.files[0].difference").value("CONTENT"))
                .andExpect(jsonPath("$.second").value(hot.nodes().get(1).name()));

        // contents may hold secrets: names for viewers, bytes for operators
        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/drift/" + CFG).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/drift/" + CFG).header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verdict").value("TEXT_DIFFERS"))
                .andExpect(jsonPath("$.first.present").value(true))
                .andExpect(jsonPath("$.diff[?(@.type == 'row' && @.change == 'ONLY_RIGHT')].right")
                        .value(org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith("# changed in the lab at"))))
                .andExpect(jsonPath("$.diff[?(@.type == 'row' && @.change == 'SAME')].left")
                        .value(org.hamcrest.Matchers.hasItem("TEMPLATE_TIMEOUT 1800")));

        String page = mvc.perform(get("/clusters/" + hot.id() + "/drift/file").param("path", CFG)
                        .with(user("op").roles("OPERATOR")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"diff-table\"", "data-change=\"ONLY_RIGHT\"", "# changed in the lab at",
                "data-verdict=\"TEXT_DIFFERS\"");
        mvc.perform(get("/clusters/" + hot.id() + "/drift/file").param("path", CFG).with(user("v").roles("VIEWER")))
                .andExpect(status().isForbidden());
        String list = mvc.perform(get("/clusters/" + hot.id() + "/drift").with(user("v").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(list).contains("data-path=\"" + CFG + "\"").doesNotContain("id=\"ignore-form\"");
    }

    @Test
    void pathsOutsideTheConfigurationReadNothing() throws Exception {
        for (String hostile : List.of("server/etc/../../../etc/passwd", "server/etc/nope.cfg", "etc/shadow")) {
            var response = mvc.perform(get("/api/v1/clusters/" + hot.id() + "/drift/" + hostile)
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                    .andReturn().getResponse();
            // '..' is already refused by the firewall in front of the API; the others are not configuration files
            assertThat(response.getStatus()).as(hostile).isBetween(400, 404);
            assertThat(response.getContentAsString()).as(hostile).doesNotContain("root:");
        }
        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/drift/server/etc/nope.cfg")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:not-found"));
    }

    @Test
    void anAdminIgnoresAHostSpecificFileAndTheDriftFindingClears() throws Exception {
        String state = awaitState(body -> body.contains("config-drift"));
        assertThat(state).contains(CFG);

        mvc.perform(put("/api/v1/clusters/" + hot.id() + "/drift-ignore").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"globs\": [\"server/etc/*.cfg\"]}"))
                .andExpect(status().isForbidden());
        mvc.perform(put("/api/v1/clusters/" + hot.id() + "/drift-ignore").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"globs\": [\"/etc/passwd\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:invalid-drift-ignore"))
                .andExpect(jsonPath("$.errors[0].field").value("driftIgnore"));
        mvc.perform(put("/api/v1/clusters/" + hot.id() + "/drift-ignore").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"globs\": [\"server/etc/*.cfg\"]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.driftIgnore[0]").value("server/etc/*.cfg"));

        mvc.perform(get("/api/v1/clusters/" + hot.id() + "/drift").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.files").isEmpty())
                .andExpect(jsonPath("$.ignored[0].path").value(CFG));
        awaitState(body -> !body.contains("config-drift"));

        // the same through the form, with the error beside the field
        mvc.perform(post("/clusters/" + hot.id() + "/drift/ignore").param("globs", "../outside")
                        .with(user("a").roles("ADMIN")).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("ignoreError", org.hamcrest.Matchers.containsString("../outside")));
        assertThat(fleet.get(hot.id()).driftIgnore()).containsExactly("server/etc/*.cfg");
    }

    private String awaitState(java.util.function.Predicate<String> condition) throws Exception {
        String body = "";
        for (int attempt = 0; attempt < 160; attempt++) {
            var response = mvc.perform(get("/api/v1/clusters/" + hot.id() + "/state")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)).andReturn().getResponse();
            body = response.getContentAsString();
            if (response.getStatus() == 200 && condition.test(body)) {
                return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the monitor never reached the expected state; last: " + body);
    }
}
