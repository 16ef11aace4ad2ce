package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.access.AgentHostCommands;
import io.tandem.access.HostProbe;
import io.tandem.access.NodeTarget;
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.Sha256;

/**
 * The install's SSH side against a real SSH server running real commands: the jar goes over SFTP and the node's own
 * sha256sum agrees with the console's hash, an upload never writes through a file that is already there, and the
 * probe's answer over SSH parses.
 */
class AgentInstallSshTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path work;

    static TestSshServer server;
    static SshConnections connections;
    static SshNodeShell shell;
    static NodeTarget node;

    @BeforeAll
    static void startServer() throws IOException {
        KeyPair client = TestKeys.ED25519.generate();
        server = TestSshServer.start(work.resolve("server"), client.getPublic());
        connections = new SshConnections(SshSettings.defaults());
        shell = new SshNodeShell(connections);
        node = new NodeTarget(UUID.randomUUID(), "nfo-a", "127.0.0.1", NodeTarget.Transport.SSH, TestSshServer.USER,
                server.port(), 7443, TestKeys.openSsh(client, null), TestKeys.fingerprint(server.hostKey()), false,
                work.toString(), "nfo.service", List.of("**"), List.of(), Set.of(2055), false);
    }

    @AfterAll
    static void stopServer() throws IOException {
        connections.close();
        server.close();
    }

    @Test
    void anUploadedJarHasTheSameSha256OnTheNode() throws Exception {
        Path jar = work.resolve("agent.jar");
        byte[] content = new byte[3 * 1024 * 1024 + 17]; // several SFTP chunks and a ragged end
        new Random(7).nextBytes(content);
        Files.write(jar, content);
        String remote = work.resolve("upload-" + UUID.randomUUID() + ".jar").toString();

        shell.upload(node, jar, remote, TIMEOUT);
        CommandResult hashed = shell.run(node, AgentHostCommands.sha256(remote), TIMEOUT);

        assertThat(AgentHostCommands.sha256Of(hashed.stdout())).isEqualTo(Sha256.of(jar));
        assertThat(Files.getPosixFilePermissions(Path.of(remote))).hasSize(2); // 0600: the owner's read and write only
    }

    @Test
    void anUploadNeverWritesThroughAFileAlreadyThere() throws Exception {
        Path jar = Files.writeString(work.resolve("small.jar"), "new");
        Path placed = Files.writeString(work.resolve("placed-" + UUID.randomUUID() + ".jar"), "someone else's");

        assertThatThrownBy(() -> shell.upload(node, jar, placed.toString(), TIMEOUT)).isInstanceOf(NodeAccessException.class);
        assertThat(Files.readString(placed)).isEqualTo("someone else's");
    }

    @Test
    void theProbeRunsOverSshAndItsAnswerParses() throws Exception {
        CommandResult answer = shell.run(node, AgentHostCommands.probe(node), TIMEOUT);

        HostProbe probe = HostProbe.parse(answer.stdout());
        assertThat(probe.nfoHomeExists()).isTrue(); // the registered home is the server's work directory
        assertThat(probe.tools()).contains("sha256sum");
    }
}
