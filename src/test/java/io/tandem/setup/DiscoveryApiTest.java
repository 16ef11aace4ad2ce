package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.access.NodeConnections;
import io.tandem.access.RecordedNode;
import io.tandem.access.ssh.TestKeys;
import io.tandem.access.ssh.TestSshServer;
import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeSpec;
import io.tandem.identity.Role;
import io.tandem.support.ConsoleTest;
import io.tandem.support.TestUsers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/clusters/{id}/setup/discovery} through a real agent and a real SSH server on this machine: the
 * real pcs, corosync, curl and getent answer; crm_mon, systemctl and nft are the recorded node's.
 */
@ConsoleTest
class DiscoveryApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;
    @Autowired
    TestUsers users;

    @TempDir
    Path work;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void bothNodesAreCheckedWithTheFixForEachFailure() throws Exception {
        Path bin = work.resolve("bin");
        new RecordedNode().installScripts(bin);
        // the SSH server's shell PATH has no /usr/sbin (as for a non-root login): the cluster tools are linked in
        for (String tool : List.of("pcs", "corosync", "pacemakerd", "crm_simulate")) {
            if (!java.nio.file.Files.exists(bin.resolve(tool))) {
                java.nio.file.Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/sbin", tool));
            }
        }
        TestAgents.Initialized initialized = TestAgents.init(work.resolve("agent"));
        KeyPair client = TestKeys.ED25519.generate();
        try (RunningAgent agent = TestAgents.startOnRecordedNode(initialized, bin);
             TestSshServer ssh = TestSshServer.start(work, client.getPublic());
             ServerSocket siem = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // nfo-a through the agent, "localhost" through SSH: each is the other's peer, both on this machine
            ClusterView pair = fleet.create(new ClusterSpec("setup-" + UUID.randomUUID(), ClusterMode.COLD, null, null, null, null, null,
                    List.of(new NodeSpec("nfo-a", "127.0.0.1", AccessKind.AGENT, null, null, agent.port(), null, null, null, null,
                                    null, initialized.token()),
                            new NodeSpec("localhost", "127.0.0.1", AccessKind.SSH, TestSshServer.USER, ssh.port(), null, null,
                                    null, null, null, null, TestKeys.openSsh(client, null)))));
            connections.pin(pair.id(), pair.nodes().get(0).id(), initialized.fingerprint());
            connections.pin(pair.id(), pair.nodes().get(1).id(), TestKeys.fingerprint(ssh.hostKey()));

            String admin = users.token(users.create(Role.ADMIN));
            String url = "/api/v1/clusters/" + pair.id() + "/setup/discovery";
            String body = """
                    {"mode": "COLD", "outputs": ["udp:127.0.0.1:514", "tcp:127.0.0.1:%d"], "haclusterPassword": "s3cret",
                     "drbd": {"device": "/dev/null"}}""".formatted(siem.getLocalPort());
            JsonNode list = json.readTree(mvc.perform(post(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                            .contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());

            assertThat(list.get("ready").asBoolean()).isFalse();
            Map<String, JsonNode> a = checks(list.get("nodes").get(0));
            Map<String, JsonNode> b = checks(list.get("nodes").get(1));
            for (Map<String, JsonNode> node : List.of(a, b)) {
                org.assertj.core.api.Assertions.assertThat(node.values().toString()).isNotEmpty();
                assertThat(node.get("reachable").get("status").asString()).as(node.values().toString()).isEqualTo("PASS");
                assertThat(node.get("pcs").get("status").asString()).as(node.get("pcs").toString()).isEqualTo("PASS");
                assertThat(node.get("corosync").get("status").asString()).as(node.get("corosync").toString()).isEqualTo("PASS");
                assertThat(node.get("nfo").get("status").asString()).as(node.get("nfo").toString()).isEqualTo("PASS");
                // the recorded crm_mon shows a running cluster: never overwritten, adoption offered
                assertThat(node.get("existing-cluster").get("status").asString()).isEqualTo("FAIL");
                assertThat(node.get("existing-cluster").get("fix").asString()).contains("adopt");
                assertThat(node.get("output udp:127.0.0.1:514").get("status").asString()).isEqualTo("UNCHECKED");
                assertThat(node.get("output tcp:127.0.0.1:" + siem.getLocalPort()).get("status").asString()).isEqualTo("PASS");
                assertThat(node.get("drbd-device").get("found").asString()).isEqualTo("character special file");
                assertThat(node.get("drbd-device").get("status").asString()).isEqualTo("FAIL");
                assertThat(node.get("clock").get("status").asString()).isEqualTo("PASS");
            }
            // nfo-a's peer is "localhost" (resolves); localhost's peer is "nfo-a" (does not): the fix names /etc/hosts
            assertThat(a.get("peer-name").get("status").asString()).isEqualTo("PASS");
            assertThat(b.get("peer-name").get("status").asString()).isEqualTo("FAIL");
            assertThat(b.get("peer-name").get("fix").asString()).isEqualTo("Add '127.0.0.1 nfo-a' to /etc/hosts on localhost.");
            assertThat(list.toString()).doesNotContain("s3cret");

            mvc.perform(post(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                            .content("{\"outputs\": [\"udp:siem.example:514\"]}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("outputs[0]"));
            mvc.perform(post(url).header(HttpHeaders.AUTHORIZATION, "Bearer " + users.token(users.create(Role.OPERATOR))))
                    .andExpect(status().isForbidden());
        }
    }

    private static Map<String, JsonNode> checks(JsonNode node) {
        Map<String, JsonNode> byId = new HashMap<>();
        node.get("checks").forEach(c -> byId.put(c.get("id").asString(), c));
        return byId;
    }
}
