package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.access.agent.AgentClient;
import io.tandem.lab.bench.AgentProcess;
import io.tandem.agent.wire.HealthReport;
import io.tandem.node.NodeAccessException;

/** The agent as an operator runs it: its own JVM, started through the main class with --config and --port. */
class AgentProcessTest {

    @TempDir
    Path tmp;

    @Test
    void theAgentProcessServesHttpsWithThePrintedIdentityAndStops() throws Exception {
        TestAgents.Initialized init = TestAgents.init(tmp.resolve("state"));
        Path config = TestAgents.writeConfig(init, "");
        int port = freePort();

        try (AgentProcess agent = AgentProcess.start(config, port, tmp.resolve("agent.log"))) {
            AgentClient client = new AgentClient("127.0.0.1", port, init.fingerprint(), init.token(), AgentProcess.pollingSettings());
            HealthReport health = agent.awaitHealthy(client, Duration.ofSeconds(90));

            assertThat(health.certificateFingerprint()).isEqualTo(init.fingerprint());
            assertThat(AgentClient.probe("127.0.0.1", port, Duration.ofSeconds(2)).fingerprint()).isEqualTo(init.fingerprint());
            AgentClient wrongToken = new AgentClient("127.0.0.1", port, init.fingerprint(), "tagent_nope", AgentProcess.pollingSettings());
            assertThatThrownBy(wrongToken::health).isInstanceOf(NodeAccessException.AuthRefused.class);

            // A figure for the report, not an assertion: tests do not time or weigh things.
            System.out.printf("agent pid %d VmRSS after start: %d KiB%n", agent.pid(), agent.residentKiB().orElse(-1));
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
