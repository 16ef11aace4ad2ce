package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeSpec;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/**
 * The agent's install, upgrade and removal from the pair page: each node card shows the node's agent, an ADMIN gets the
 * button that applies and reaches the operation's preflight; an OPERATOR or VIEWER sees no button and cannot start one.
 */
@ConsoleTest
class AgentButtonsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;
    @Autowired
    OperationRunner runner;

    ClusterView pair;

    /** nfo-a over SSH, nfo-b through an agent; both at a closed port, so every read fails at once. */
    @BeforeEach
    void pair() {
        pair = fleet.create(new ClusterSpec("agent-buttons-" + UUID.randomUUID().toString().substring(0, 8), ClusterMode.HOT,
                null, null, null, null, null, List.of(
                        new NodeSpec("nfo-a", "127.0.0.1", AccessKind.SSH, "root", 1, null, null, null, null, null, null, null),
                        new NodeSpec("nfo-b", "127.0.0.1", AccessKind.AGENT, null, null, 1, null, null, null, null, null, null))));
    }

    @Test
    void anAdminIsOfferedInstallOverSshAndRemoveThroughTheAgent() throws Exception {
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));

        assertThat(page("/clusters/" + pair.id(), admin))
                .contains("id=\"agent-nfo-a\"", "/clusters/" + pair.id() + "/operations/agent?node=nfo-a");
        assertThat(card("nfo-a", admin)).contains("Tandem agent", "none (SSH)", "data-operation=\"INSTALL_AGENT\"",
                "/clusters/" + pair.id() + "/operations/new?kind=INSTALL_AGENT&amp;node=nfo-a").doesNotContain("REMOVE_AGENT");
        assertThat(card("nfo-b", admin)).contains("data-operation=\"REMOVE_AGENT\"", "(this console: ")
                .doesNotContain("INSTALL_AGENT");
    }

    @Test
    void anAdminReachesThePreflightShowingWhatInstallWouldDo() throws Exception {
        MockHttpSession admin = TestUsers.login(mvc, users.create(Role.ADMIN));

        String preflight = page("/clusters/" + pair.id() + "/operations/new?kind=INSTALL_AGENT&node=nfo-a", admin);

        assertThat(preflight).contains("Install agent: nfo-a",
                "Upload the agent jar to nfo-a", "Install the sudoers drop-in /etc/sudoers.d/tandem-agent",
                "Run agent init as tandem-agent and take its token and certificate fingerprint over SSH",
                "Switch nfo-a to agent access",
                // run from classes, with no SSH access: blocked, and the page says why
                "This console runs from classes, not from a jar", "id=\"blocked\"").doesNotContain("id=\"start-operation\"");
        assertThat(page("/clusters/" + pair.id() + "/operations/new?kind=REMOVE_AGENT&node=nfo-b", admin))
                .contains("Remove agent: nfo-b", "Switch nfo-b back to SSH access", "Remove /var/lib/tandem-agent and the user tandem-agent");
    }

    @Test
    void anOperatorOrViewerSeesTheVersionButNoButtonAndCannotStartOne() throws Exception {
        MockHttpSession operator = TestUsers.login(mvc, users.create(Role.OPERATOR));
        MockHttpSession viewer = TestUsers.login(mvc, users.create(Role.VIEWER));

        for (MockHttpSession user : List.of(operator, viewer)) {
            assertThat(card("nfo-a", user)).contains("Tandem agent", "none (SSH)").doesNotContain("data-operation");
            assertThat(card("nfo-b", user)).contains("Tandem agent").doesNotContain("data-operation");
        }
        assertThat(page("/clusters/" + pair.id() + "/operations/new?kind=INSTALL_AGENT&node=nfo-a", operator))
                .contains("Install agent needs the ADMIN role").doesNotContain("id=\"start-operation\"");
        mvc.perform(get("/clusters/" + pair.id() + "/operations/new").param("kind", "INSTALL_AGENT").param("node", "nfo-a")
                .session(viewer)).andExpect(status().isForbidden());
        for (MockHttpSession user : List.of(operator, viewer)) {
            for (String kind : List.of("INSTALL_AGENT", "UPGRADE_AGENT", "REMOVE_AGENT")) {
                mvc.perform(post("/clusters/" + pair.id() + "/operations").session(user).with(csrf())
                                .param("kind", kind).param("node", kind.equals("INSTALL_AGENT") ? "nfo-a" : "nfo-b")
                                .param("confirm", kind.equals("INSTALL_AGENT") ? "nfo-a" : "nfo-b"))
                        .andExpect(status().isForbidden());
            }
        }
        assertThat(runner.recent(pair.id(), 10)).isEmpty();
    }

    private String card(String node, MockHttpSession user) throws Exception {
        return page("/clusters/" + pair.id() + "/operations/agent?node=" + node, user);
    }

    private String page(String url, MockHttpSession user) throws Exception {
        return mvc.perform(get(url).session(user)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
