package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tandem.node.NodeAccessException;

/** Connecting: key formats, host key pinning, reuse, recovery and how each failure is named. */
class SshConnectionsTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final List<String> TRUE = List.of("true");

    @TempDir
    Path work;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    static Stream<Arguments> keyFormats() {
        Function<KeyPair, String> openSsh = pair -> TestKeys.openSsh(pair, null);
        Function<KeyPair, String> pkcs8 = TestKeys::pkcs8Pem;
        Function<KeyPair, String> traditional = TestKeys::traditionalPem;
        return Stream.of(
                Arguments.of(TestKeys.ED25519, "OpenSSH", openSsh),
                Arguments.of(TestKeys.ED25519, "PKCS#8 PEM", pkcs8),
                Arguments.of(TestKeys.ECDSA_P256, "OpenSSH", openSsh),
                Arguments.of(TestKeys.ECDSA_P256, "PKCS#8 PEM", pkcs8),
                Arguments.of(TestKeys.ECDSA_P256, "SEC1 PEM", traditional),
                Arguments.of(TestKeys.RSA_3072, "OpenSSH", openSsh),
                Arguments.of(TestKeys.RSA_3072, "PKCS#8 PEM", pkcs8),
                Arguments.of(TestKeys.RSA_3072, "PKCS#1 PEM", traditional));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("keyFormats")
    void connectsWithEveryKeyTypeAndFormat(TestKeys type, String format, Function<KeyPair, String> writer)
            throws Exception {
        KeyPair client = type.generate();
        TestSshServer server = server(client);
        SshTarget target = pinnedTarget(server, writer.apply(client), null);

        assertThat(connections().runner(target).run(List.of("echo", format), TEN_SECONDS).stdout())
                .isEqualTo(format + "\n");
    }

    @Test
    void connectsWithAnEncryptedOpenSshKeyAndItsPassphrase() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, "correct horse"), "correct horse");

        assertThat(connections().runner(target).run(TRUE, TEN_SECONDS).exitCode()).isZero();
    }

    @Test
    void unreadableKeyIsAuthRefusedWithoutTouchingTheNetwork() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshTarget target = pinnedTarget(server, "-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n", null);

        assertThatThrownBy(() -> connections().runner(target).run(TRUE, TEN_SECONDS))
                .isInstanceOf(NodeAccessException.AuthRefused.class)
                .hasMessageContaining("cannot be used");
        assertThat(server.sessionsCreated()).isZero();
    }

    @Test
    void oneConnectionServesManyCalls() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshConnections connections = connections();
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null);

        for (int i = 0; i < 20; i++) {
            assertThat(connections.runner(target).run(List.of("echo", "call " + i), TEN_SECONDS).stdout())
                    .isEqualTo("call " + i + "\n");
        }
        connections.files(target).stat("/");

        assertThat(server.sessionsCreated()).isEqualTo(1);
        assertThat(connections.openConnections()).isEqualTo(1);
    }

    @Test
    void concurrentFirstCallsShareOneConnection() throws Exception {
        KeyPair client = TestKeys.ECDSA_P256.generate();
        TestSshServer server = server(client);
        SshConnections connections = connections();
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String word = "w" + i;
                calls.add(() -> connections.runner(target).run(List.of("echo", word), TEN_SECONDS).stdout());
            }
            List<String> outputs = new ArrayList<>();
            for (Future<String> future : pool.invokeAll(calls)) {
                outputs.add(future.get());
            }
            assertThat(outputs).hasSize(16).allMatch(out -> out.matches("w\\d+\n"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.sessionsCreated()).isEqualTo(1);
    }

    @Test
    void reconnectsAfterTheServerRestarts() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshConnections connections = connections();
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null);
        connections.runner(target).run(TRUE, TEN_SECONDS);

        server.stop();
        assertThatThrownBy(() -> connections.runner(target).run(TRUE, TEN_SECONDS))
                .isInstanceOf(NodeAccessException.Unreachable.class);
        server.restart(false);

        assertThat(connections.runner(target).run(List.of("echo", "back"), TEN_SECONDS).stdout()).isEqualTo("back\n");
        assertThat(server.sessionsCreated()).isEqualTo(2);
    }

    @Test
    void idleConnectionIsClosedAndReopenedOnTheNextCall() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshConnections connections = track(new SshConnections(SshSettings.defaults().withIdleClose(Duration.ofMillis(300))));
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null);
        connections.runner(target).run(TRUE, TEN_SECONDS);

        awaitNoOpenConnections(connections);

        assertThat(connections.runner(target).run(TRUE, TEN_SECONDS).exitCode()).isZero();
        assertThat(server.sessionsCreated()).isEqualTo(2);
    }

    @Test
    void unpinnedHostKeyIsRejectedWithThePresentedFingerprint() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshTarget unpinned = pinnedTarget(server, TestKeys.openSsh(client, null), null).withHostKeyFingerprint(null);

        assertThatThrownBy(() -> connections().runner(unpinned).run(TRUE, TEN_SECONDS))
                .isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, rejected -> {
                    assertThat(rejected.notPinnedYet()).isTrue();
                    assertThat(rejected.expected()).isNull();
                    assertThat(rejected.presented()).isEqualTo(TestKeys.fingerprint(server.hostKey()));
                });
    }

    @Test
    void changedHostKeyIsRejectedLoudly() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshConnections connections = connections();
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null);
        String pinned = target.hostKeyFingerprint();
        connections.runner(target).run(TRUE, TEN_SECONDS);

        server.restart(true);

        assertThatThrownBy(() -> connections.runner(target).run(TRUE, TEN_SECONDS))
                .isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, rejected -> {
                    assertThat(rejected.expected()).isEqualTo(pinned);
                    assertThat(rejected.presented()).isEqualTo(TestKeys.fingerprint(server.hostKey())).isNotEqualTo(pinned);
                    assertThat(rejected.getMessage()).startsWith("KEY CHANGED");
                });
    }

    @Test
    void rePinningClosesAConnectionMadeUnderTheOldPin() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshConnections connections = connections();
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null);
        connections.runner(target).run(TRUE, TEN_SECONDS);

        SshTarget wrongPin = target.withHostKeyFingerprint("SHA256:" + "A".repeat(43));

        assertThatThrownBy(() -> connections.runner(wrongPin).run(TRUE, TEN_SECONDS))
                .isInstanceOf(NodeAccessException.KeyRejected.class);
    }

    @Test
    void probeReportsTheHostKeyWithoutAuthenticating() throws Exception {
        TestSshServer server = server(TestKeys.ED25519.generate());

        PresentedHostKey key = connections().probeHostKey("127.0.0.1", server.port(), TEN_SECONDS);

        assertThat(key.fingerprint()).isEqualTo(TestKeys.fingerprint(server.hostKey()));
        assertThat(key.keyType()).isEqualTo(KeyUtils.getKeyType(server.hostKey())).isEqualTo("ecdsa-sha2-nistp256");
    }

    @Test
    void paddedPinIsTheSamePin() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null);
        SshTarget padded = target.withHostKeyFingerprint(target.hostKeyFingerprint() + "=");

        assertThat(connections().runner(padded).run(TRUE, TEN_SECONDS).exitCode()).isZero();
    }

    @Test
    void wrongClientKeyIsAuthRefused() throws Exception {
        TestSshServer server = server(TestKeys.ED25519.generate());
        KeyPair stranger = TestKeys.ED25519.generate();
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(stranger, null), null);

        assertThatThrownBy(() -> connections().runner(target).run(TRUE, TEN_SECONDS))
                .isInstanceOf(NodeAccessException.AuthRefused.class);
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SshTarget target = new SshTarget("127.0.0.1", port, "tandem", TestKeys.openSsh(TestKeys.ED25519.generate(), null),
                null, "SHA256:" + "A".repeat(43), false);

        assertThatThrownBy(() -> connections().runner(target).run(TRUE, TEN_SECONDS))
                .isInstanceOf(NodeAccessException.Unreachable.class);
        assertThatThrownBy(() -> connections().probeHostKey("127.0.0.1", port, TEN_SECONDS))
                .isInstanceOf(NodeAccessException.Unreachable.class);
    }

    @Test
    void unknownHostIsUnreachable() {
        SshTarget target = new SshTarget("no-such-host.invalid", 22, "tandem",
                TestKeys.openSsh(TestKeys.ED25519.generate(), null), null, "SHA256:" + "A".repeat(43), false);

        assertThatThrownBy(() -> connections().runner(target).run(TRUE, TEN_SECONDS))
                .isInstanceOf(NodeAccessException.Unreachable.class);
    }

    @Test
    void serverThatAcceptsButNeverSpeaksIsTimedOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(silent.accept());
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            SshSettings quick = new SshSettings(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500),
                    TEN_SECONDS, 1000, Duration.ofSeconds(30), Duration.ofMinutes(5), 1024, 4096, TEN_SECONDS);
            SshConnections connections = track(new SshConnections(quick));
            SshTarget target = new SshTarget("127.0.0.1", silent.getLocalPort(), "tandem",
                    TestKeys.openSsh(TestKeys.ED25519.generate(), null), null, "SHA256:" + "A".repeat(43), false);

            assertThatThrownBy(() -> connections.runner(target).run(TRUE, TEN_SECONDS))
                    .isInstanceOf(NodeAccessException.TimedOut.class);
            silent.close();
            acceptor.join(5000);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void sudoThatWantsAPasswordIsPermissionDenied() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        TestSshServer server = server(client);
        server.denySudo();
        SshTarget target = pinnedTarget(server, TestKeys.openSsh(client, null), null).withSudo(true);

        assertThatThrownBy(() -> connections().runner(target).run(List.of("systemctl", "status"), TEN_SECONDS))
                .isInstanceOf(NodeAccessException.PermissionDenied.class)
                .hasMessageContaining("a password is required");
    }

    @Test
    void targetNeverPrintsItsKey() {
        String key = TestKeys.openSsh(TestKeys.ED25519.generate(), null);
        SshTarget target = new SshTarget("db1", 22, "root", key, "secret", null, true);

        assertThat(target.toString()).doesNotContain(key).doesNotContain("secret").contains("root@db1:22");
    }

    private TestSshServer server(KeyPair client) throws IOException {
        return track(TestSshServer.start(work.resolve("server-" + toClose.size()), client.getPublic()));
    }

    private SshConnections connections;

    private SshConnections connections() {
        if (connections == null) {
            connections = track(new SshConnections(SshSettings.defaults()));
        }
        return connections;
    }

    private static SshTarget pinnedTarget(TestSshServer server, String privateKey, String passphrase) {
        return new SshTarget("127.0.0.1", server.port(), TestSshServer.USER, privateKey, passphrase,
                TestKeys.fingerprint(server.hostKey()), false);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static void awaitNoOpenConnections(SshConnections connections) throws InterruptedException {
        for (int i = 0; i < 100 && connections.openConnections() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(connections.openConnections()).isZero();
    }
}
