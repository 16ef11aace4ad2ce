package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.access.RecordedNode;
import io.tandem.access.ssh.TestKeys;
import io.tandem.access.ssh.TestSshServer;
import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;
import io.tandem.support.ConsoleTest;

/** "Test connection" from the pair page against a real SSH server and a real agent. */
@ConsoleTest
class NodeConnectionTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    FleetService fleet;
    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path work;

    @Test
    void anOperatorTestsAnSshNodeAnAdminPinsItsKeyAndAChangedKeyIsRefusedLoudly() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        try (TestSshServer server = TestSshServer.start(work, client.getPublic())) {
            new RecordedNode().installScripts(work.resolve("bin"));
            ClusterView pair = fleet.create(new ClusterSpec("ssh-pair-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                    List.of(new NodeSpec("nfo-a", "127.0.0.1", AccessKind.SSH, TestSshServer.USER, server.port(), null, null,
                                    null, null, null, null, TestKeys.openSsh(client, null)),
                            FleetRulesTest.node("nfo-b", "10.9.9.9"))));
            String node = pair.nodes().get(0).id().toString();
            String base = "/clusters/" + pair.id() + "/nodes/" + node;

            String first = mvc.perform(post(base + "/test").header("HX-Request", "true").with(csrf()).with(user("op").roles("OPERATOR")))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            String presented = TestKeys.fingerprint(server.hostKey());
            assertThat(first).contains("data-outcome=\"PIN_NEEDED\"").contains(presented).doesNotContain("pin-key");

            // an admin confirms; a stale or wrong fingerprint is refused
            String wrong = mvc.perform(post(base + "/pin").header("HX-Request", "true").param("fingerprint", "SHA256:nope")
                            .with(csrf()).with(user("root").roles("ADMIN")))
                    .andReturn().getResponse().getContentAsString();
            assertThat(wrong).contains("not the key you confirmed");
            String pinned = mvc.perform(post(base + "/pin").header("HX-Request", "true").param("fingerprint", presented)
                            .with(csrf()).with(user("root").roles("ADMIN")))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(pinned).contains("data-outcome=\"OK\"").contains("NFO service").contains("ACTIVE")
                    .contains("BLOCKED").contains("nfo-vip on nfo-a");
            assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'NODE_KEY_PIN' and details like ?",
                    Integer.class, "%" + presented + "%")).isEqualTo(1);

            server.restart(true);
            String changed = mvc.perform(post(base + "/test").with(csrf()).with(user("op").roles("OPERATOR")))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(changed).contains("data-outcome=\"KEY_CHANGED\"").contains("KEY CHANGED").contains(presented);
        }
    }

    @Test
    void anAgentNodeIsReadThroughItsPinnedCertificate() throws Exception {
        Path bin = work.resolve("bin");
        new RecordedNode().installScripts(bin);
        TestAgents.Initialized initialized = TestAgents.init(work.resolve("agent"));
        try (RunningAgent agent = TestAgents.startOnRecordedNode(initialized, bin)) {
            ClusterView pair = fleet.create(new ClusterSpec("agent-pair-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                    List.of(new NodeSpec("nfo-a", "127.0.0.1", AccessKind.AGENT, null, null, agent.port(), null, null, null, null,
                                    null, initialized.token()),
                            FleetRulesTest.node("nfo-b", "10.9.9.8"))));
            String base = "/clusters/" + pair.id() + "/nodes/" + pair.nodes().get(0).id();
            String first = mvc.perform(post(base + "/test").header("HX-Request", "true").with(csrf()).with(user("op").roles("OPERATOR")))
                    .andReturn().getResponse().getContentAsString();
            assertThat(first).contains("PIN_NEEDED").contains(initialized.fingerprint());
            String read = mvc.perform(post(base + "/pin").header("HX-Request", "true").param("fingerprint", initialized.fingerprint())
                            .with(csrf()).with(user("root").roles("ADMIN")))
                    .andReturn().getResponse().getContentAsString();
            assertThat(read).contains("data-outcome=\"OK\"").contains("Pacemaker").contains("DC nfo-a");
        }
    }

    @Test
    void anUnreachableNodeIsNamedAsSuch() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("down-pair-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(new NodeSpec("nfo-a", "127.0.0.1", AccessKind.AGENT, null, null, 1, null, null, null, null, null, null),
                        FleetRulesTest.node("nfo-b", "10.9.9.7"))));
        String page = mvc.perform(post("/clusters/" + pair.id() + "/nodes/" + pair.nodes().get(0).id() + "/test")
                        .header("HX-Request", "true").with(csrf()).with(user("op").roles("OPERATOR")))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("data-outcome=\"FAILED\"").contains("unreachable");
    }
}
