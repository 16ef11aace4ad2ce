package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import io.tandem.access.RecordedNode;
import io.tandem.access.ssh.TestKeys;
import io.tandem.access.ssh.TestSshServer;
import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;

/** {@code POST /api/v1/clusters/{id}/nodes/{nodeName}/pin} against a real SSH server and a real agent. */
@ConsoleTest
class NodePinApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    FleetService fleet;
    @Autowired
    TestUsers users;

    @TempDir
    Path work;

    @Test
    void anAdminPinsAnSshHostKeyByNameAndAWrongOneIsRefusedWithBothFingerprints() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        try (TestSshServer server = TestSshServer.start(work, client.getPublic())) {
            new RecordedNode().installScripts(work.resolve("bin"));
            ClusterView pair = fleet.create(new ClusterSpec("pin-ssh-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                    List.of(new NodeSpec("nfo-a", "127.0.0.1", AccessKind.SSH, TestSshServer.USER, server.port(), null, null,
                                    null, null, null, null, TestKeys.openSsh(client, null)),
                            FleetRulesTest.node("nfo-b", "10.9.9.9"))));
            String presented = TestKeys.fingerprint(server.hostKey());
            String url = "/api/v1/clusters/" + pair.id() + "/nodes/nfo-a/pin";
            String admin = users.token(users.create(Role.ADMIN));

            pin(url, users.token(users.create(Role.OPERATOR)), presented).andExpect(status().isForbidden());
            pin(url, admin, "SHA256:AAAAnotTheKey")
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.type").value("urn:tandem:problem:key-mismatch"))
                    .andExpect(jsonPath("$.presented").value(presented))
                    .andExpect(jsonPath("$.confirmed").value("SHA256:AAAAnotTheKey"));
            assertThat(fleet.get(pair.id()).nodes().get(0).pinnedFingerprint()).isNull();

            pin(url, admin, presented).andExpect(status().isOk()).andExpect(jsonPath("$.fingerprint").value(presented));
            assertThat(fleet.get(pair.id()).nodes().get(0).pinnedFingerprint()).isEqualTo(presented);

            // the key changes on the node: re-pinning with the old fingerprint is refused, naming the new key
            server.restart(true);
            String changed = TestKeys.fingerprint(server.hostKey());
            pin(url, admin, presented).andExpect(status().isConflict())
                    .andExpect(jsonPath("$.presented").value(changed))
                    .andExpect(jsonPath("$.confirmed").value(presented));
            assertThat(fleet.get(pair.id()).nodes().get(0).pinnedFingerprint()).isEqualTo(presented);
        }
    }

    @Test
    void anAgentCertificateIsPinnedAsAgentInitPrintsIt() throws Exception {
        Path bin = work.resolve("bin");
        new RecordedNode().installScripts(bin);
        TestAgents.Initialized initialized = TestAgents.init(work.resolve("agent"));
        try (RunningAgent agent = TestAgents.startOnRecordedNode(initialized, bin)) {
            ClusterView pair = fleet.create(new ClusterSpec("pin-agent-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                    List.of(new NodeSpec("nfo-a", "127.0.0.1", AccessKind.AGENT, null, null, agent.port(), null, null, null, null,
                                    null, initialized.token()),
                            FleetRulesTest.node("nfo-b", "10.9.9.8"))));
            pin("/api/v1/clusters/" + pair.id() + "/nodes/nfo-a/pin", users.token(users.create(Role.ADMIN)), initialized.fingerprint())
                    .andExpect(status().isOk());
            assertThat(fleet.get(pair.id()).nodes().get(0).pinnedFingerprint()).isEqualTo(initialized.fingerprint());
        }
    }

    @Test
    void anUnknownNodeOrAMissingFingerprintIsNamed() throws Exception {
        ClusterView pair = fleet.create(new ClusterSpec("pin-bad-" + UUID.randomUUID(), ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.9.9.6"), FleetRulesTest.node("nfo-b", "10.9.9.5"))));
        String admin = users.token(users.create(Role.ADMIN));
        pin("/api/v1/clusters/" + pair.id() + "/nodes/nfo-z/pin", admin, "SHA256:x").andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/clusters/" + pair.id() + "/nodes/nfo-a/pin").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:invalid-fingerprint"));
    }

    private ResultActions pin(String url, String token, String fingerprint) throws Exception {
        return mvc.perform(post(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content("{\"fingerprint\": \"" + fingerprint + "\"}"));
    }
}
