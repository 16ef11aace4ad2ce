package io.tandem.access.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;
import io.tandem.agent.wire.AgentProtocol;
import io.tandem.lab.exporter.SimulatedExporter;
import io.tandem.node.NodeSnapshot;

/** The agent learns templates from mirrored NetFlow, reports them in its snapshot, and remembers them across a restart. */
class AgentTemplateCaptureTest {

    @TempDir
    Path work;

    @Test
    void mirroredTemplatesReachTheSnapshotAndSurviveARestart() throws Exception {
        int mirrorPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            mirrorPort = probe.getLocalPort();
        }
        TestAgents.Initialized initialized = TestAgents.init(work.resolve("state"));
        Path config = TestAgents.writeConfig(initialized, """
                capture:
                  source: mirror
                  mirror-address: 127.0.0.1
                  mirror-port: %d
                  save-seconds: 5
                """.formatted(mirrorPort));
        SimulatedExporter exporter = new SimulatedExporter(10, 7, 3, 1);
        try (RunningAgent agent = TestAgents.start(config); DatagramSocket sender = new DatagramSocket()) {
            for (byte[] packet : exporter.templatePackets(System.currentTimeMillis())) {
                sender.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), mirrorPort));
            }
            NodeSnapshot snapshot = awaitTemplates(agent, initialized, exporter.templates().size());
            assertThat(snapshot.templates().templates()).extracting(t -> t.key().domain()).containsOnly(7L);
        }
        try (RunningAgent restarted = TestAgents.start(config)) {
            NodeSnapshot remembered = client(restarted, initialized).get(AgentProtocol.SNAPSHOT, NodeSnapshot.class);
            assertThat(remembered.templates().templates()).hasSize(exporter.templates().size());
        }
    }

    private static NodeSnapshot awaitTemplates(RunningAgent agent, TestAgents.Initialized initialized, int count) throws Exception {
        NodeSnapshot snapshot = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            snapshot = client(agent, initialized).get(AgentProtocol.SNAPSHOT, NodeSnapshot.class);
            if (snapshot.templates() != null && snapshot.templates().templates().size() >= count) {
                return snapshot;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("templates never arrived: " + (snapshot == null ? null : snapshot.failures()));
    }

    private static AgentClient client(RunningAgent agent, TestAgents.Initialized initialized) {
        return new AgentClient("127.0.0.1", agent.port(), initialized.fingerprint(), initialized.token(),
                AgentClientSettings.defaults());
    }

}
