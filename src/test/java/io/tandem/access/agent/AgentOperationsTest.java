package io.tandem.access.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.access.RecordedNode;
import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.node.NodeAccessException;
import tools.jackson.databind.JsonNode;

/** Service actions and allow-listed pcs verbs through a real agent; the tools record how they were called. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentOperationsTest {

    @TempDir
    static Path work;

    private RunningAgent agent;
    private AgentClient client;
    private Path calls;

    @BeforeAll
    void start() throws Exception {
        Path bin = work.resolve("bin");
        new RecordedNode().installScripts(bin);
        calls = work.resolve("calls.log");
        Path pcs = bin.resolve("pcs");
        Files.writeString(pcs, "#!/bin/sh\necho \"pcs $*\" >> '" + calls + "'\necho done\n");
        Files.setPosixFilePermissions(pcs, PosixFilePermissions.fromString("rwxr-xr-x"));
        // systemctl answers 'show' from the recording and records every other call
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, "#!/bin/sh\nif [ \"$1\" = show ]; then exec cat '" + bin.resolve("systemctl.out") + "'; fi\n"
                + "echo \"systemctl $*\" >> '" + calls + "'\n");
        TestAgents.Initialized initialized = TestAgents.init(work.resolve("state"));
        agent = TestAgents.start(TestAgents.writeConfig(initialized, """
                nfo:
                  service-unit: nfo.service
                tools:
                  paths:
                    systemctl: '%1$s/systemctl'
                    nft: '%1$s/nft'
                    crm_mon: '%1$s/crm_mon'
                    cibadmin: '%1$s/cibadmin'
                    pcs: '%1$s/pcs'
                capture:
                  source: none
                """.formatted(bin)));
        client = new AgentClient("127.0.0.1", agent.port(), initialized.fingerprint(), initialized.token(), AgentClientSettings.defaults());
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void aMoveRunsExactlyThePcsArgumentVector() throws Exception {
        JsonNode outcome = client.post(AgentProtocol.PCS, Map.of("verb", "move", "resource", "nfo-vip", "node", "nfo-b"), JsonNode.class);
        assertThat(outcome.get("exitCode").asInt()).isZero();
        assertThat(Files.readString(calls)).contains("pcs resource move nfo-vip nfo-b");
    }

    @Test
    void unknownVerbsNamesAndInjectionsAreRefusedAndRunNothing() throws Exception {
        String before = Files.exists(calls) ? Files.readString(calls) : "";
        for (Map<String, String> hostile : java.util.List.of(
                Map.of("verb", "delete", "resource", "nfo-vip"),
                Map.of("verb", "move", "resource", "no-such-resource", "node", "nfo-b"),
                Map.of("verb", "move", "resource", "nfo-vip", "node", "nfo-z"),
                Map.of("verb", "move", "resource", "nfo-vip;rm -rf /", "node", "nfo-b"),
                Map.of("verb", "ban", "resource", "--all", "node", "nfo-b"))) {
            assertThatThrownBy(() -> client.post(AgentProtocol.PCS, hostile, JsonNode.class))
                    .as(hostile.toString())
                    .isInstanceOfSatisfying(NodeAccessException.RequestRefused.class, refused -> {
                        assertThat(refused.status()).isEqualTo(400);
                        assertThat(refused.type()).isEqualTo("urn:tandem:agent:problem:command-rejected");
                    });
        }
        assertThat(Files.exists(calls) ? Files.readString(calls) : "").isEqualTo(before);
    }

    @Test
    void theServiceIsRestartedThroughItsUnitAndOtherActionsAreRefused() throws Exception {
        client.post(AgentProtocol.SERVICE + "/restart", null, JsonNode.class);
        assertThat(Files.readString(calls)).contains("systemctl restart nfo.service");
        assertThatThrownBy(() -> client.post(AgentProtocol.SERVICE + "/mask", null, JsonNode.class))
                .isInstanceOfSatisfying(NodeAccessException.RequestRefused.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
