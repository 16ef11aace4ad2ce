package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.tandem.access.NodeConnections;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

@ConsoleTest
class FleetPagesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;

    @Test
    void formErrorsAppearBesideTheirFieldsAndTheFormKeepsWhatWasTyped() throws Exception {
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        String page = mvc.perform(filled(post("/clusters").session(admin).with(csrf()), "typo-pair", "10.0.0.999")
                        .param("nodes[0].flowPorts", "9555, nine"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Give a host name or an IPv4/IPv6 address.")
                .contains("A flow port is between 1 and 65535.")
                .contains("value=\"typo-pair\"")
                .contains("value=\"10.0.0.999\"");
        assertThat(fleet.list()).extracting(ClusterView::name).doesNotContain("typo-pair");
    }

    @Test
    void anAdminRegistersEditsAndDeletesWithConfirmation() throws Exception {
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        String name = "page-pair-" + UUID.randomUUID().toString().substring(0, 8);
        String location = mvc.perform(filled(post("/clusters").session(admin).with(csrf()), name, "10.0.0.2")
                        .param("nodes[0].credential", "tagent_abcdefghijklmnopqrstuvwxyz"))
                .andExpect(redirectedUrlPattern("/clusters/*")).andReturn().getResponse().getRedirectedUrl();
        String detail = mvc.perform(get(location).session(admin)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(detail).contains(name).contains("10.0.0.1:7443").contains("id=\"delete-cluster\"")
                .doesNotContain("tagent_abcdefghijklmnopqrstuvwxyz");

        String edit = mvc.perform(get(location + "/edit").session(admin)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(edit).contains("A credential is stored for this node.").doesNotContain("tagent_abcdefghijklmnopqrstuvwxyz");

        // a wrong confirmation deletes nothing
        mvc.perform(post(location + "/delete").session(admin).with(csrf()).param("confirmName", "not-it"))
                .andExpect(status().isOk());
        assertThat(fleet.list()).extracting(ClusterView::name).contains(name);
        mvc.perform(post(location + "/delete").session(admin).with(csrf()).param("confirmName", name))
                .andExpect(redirectedUrl("/"));
        assertThat(fleet.list()).extracting(ClusterView::name).doesNotContain(name);
    }

    @Test
    void aViewerSeesThePairsButNoEditControlsAndAForgedPostIsRefused() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("viewed-" + UUID.randomUUID(), ClusterMode.COLD, "<i>desc</i>",
                null, null, null, null, List.of(FleetRulesTest.node("a", "10.1.0.1"), FleetRulesTest.node("b", "10.1.0.2"))));
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        String overview = mvc.perform(get("/").session(viewer)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(overview).contains(pair.name()).doesNotContain("id=\"register-pair\"");
        String detail = mvc.perform(get("/clusters/" + pair.id()).session(viewer)).andReturn().getResponse().getContentAsString();
        assertThat(detail).contains("&lt;i&gt;desc&lt;/i&gt;").doesNotContain("id=\"edit-cluster\"").doesNotContain("id=\"delete-cluster\"");
        mvc.perform(post("/clusters/" + pair.id() + "/delete").session(viewer).with(csrf()).param("confirmName", pair.name()))
                .andExpect(status().isForbidden());
        assertThat(fleet.get(pair.id()).name()).isEqualTo(pair.name());
    }

    @Test
    void theOverviewFiltersByName() throws Exception {
        String unique = "filterable-" + UUID.randomUUID().toString().substring(0, 8);
        fleet.create(new ClusterSpec(unique, ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("a", "10.2.0.1"), FleetRulesTest.node("b", "10.2.0.2"))));
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        String hit = mvc.perform(get("/").param("q", unique.toUpperCase()).session(viewer)).andReturn().getResponse().getContentAsString();
        assertThat(hit).contains(unique);
        String miss = mvc.perform(get("/").param("q", "no-such-pair-zzz").session(viewer)).andReturn().getResponse().getContentAsString();
        assertThat(miss).doesNotContain(unique).contains("No pair matches this filter.");
    }

    @Test
    void theSshSudoSettingOfTheFormReachesTheAdapter() throws Exception {
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));
        String name = "sudo-pair-" + UUID.randomUUID().toString().substring(0, 8);
        String location = mvc.perform(filled(post("/clusters").session(admin).with(csrf()), name, "10.0.0.3")
                        .param("nodes[1].access", "SSH").param("nodes[1].sshUser", "nfoadmin")
                        .param("nodes[1].sshSudo", "true").param("_nodes[1].sshSudo", "on"))
                .andExpect(redirectedUrlPattern("/clusters/*")).andReturn().getResponse().getRedirectedUrl();
        ClusterView pair = fleet.list().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        assertThat(connections.target(pair.id(), pair.nodes().get(1).id()).sudo()).isTrue();
        assertThat(connections.target(pair.id(), pair.nodes().get(0).id()).sudo()).as("unchecked by default").isFalse();

        String edit = mvc.perform(get(location + "/edit").session(admin)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(edit).containsPattern("name=\"nodes\\[1\\]\\.sshSudo\"[^>]*checked");
        // an unticked box sends only Spring's marker: sudo is off again
        mvc.perform(filled(post(location).session(admin).with(csrf()), name, "10.0.0.3")
                        .param("version", String.valueOf(pair.version()))
                        .param("nodes[1].access", "SSH").param("nodes[1].sshUser", "nfoadmin").param("_nodes[1].sshSudo", "on"))
                .andExpect(redirectedUrlPattern("/clusters/*"));
        assertThat(connections.target(pair.id(), pair.nodes().get(1).id()).sudo()).isFalse();
    }

    @Test
    void anUnknownPairIsANotFoundPage() throws Exception {
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));
        mvc.perform(get("/clusters/" + UUID.randomUUID()).session(viewer)).andExpect(status().isNotFound());
        mvc.perform(get("/clusters/garbage").session(viewer)).andExpect(status().isNotFound());
    }

    private static MockHttpServletRequestBuilder filled(MockHttpServletRequestBuilder request, String name, String addressB) {
        return request.param("name", name).param("mode", "HOT")
                .param("nodes[0].name", "nfo-a").param("nodes[0].address", "10.0.0.1").param("nodes[0].access", "AGENT")
                .param("nodes[1].name", "nfo-b").param("nodes[1].address", addressB).param("nodes[1].access", "AGENT");
    }
}
