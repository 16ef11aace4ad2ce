package io.tandem.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigScope;
import io.tandem.node.config.ManifestEntry;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.pacemaker.CrmMonResult;

/**
 * What every {@link NodeAccess} adapter must do, run against the fake, the real agent and a real
 * SSH server. The node behind each is a {@link RecordedNode}: a passive Hot node, NFO running,
 * output blocked, a leftover move constraint, no DRBD.
 */
public abstract class NodeAccessContract {

    /** A port where nothing listens in any of the set-ups. */
    public static final int CLOSED_PORT = 1;

    /** The file read limit every adapter under test is configured with. */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    public static final String SERVER_CFG = "LISTEN_PORT 9555\nOUTPUT_1 syslog://10.0.0.5:514\n";

    /**
     * The NFO home every adapter reads: {@code server/etc/server.cfg} (0640), a file one byte over the limit, an
     * excluded log, links out of the home (a file and a directory), and a secret beside the home.
     */
    public static Path createNfoHome(Path work) throws IOException {
        Path home = Files.createDirectories(work.resolve("nfo"));
        Path etc = Files.createDirectories(home.resolve("server/etc"));
        Files.writeString(etc.resolve("server.cfg"), SERVER_CFG);
        Files.setPosixFilePermissions(etc.resolve("server.cfg"), PosixFilePermissions.fromString("rw-r-----"));
        Files.write(etc.resolve("big.cfg"), new byte[MAX_FILE_BYTES + 1]);
        Files.writeString(etc.resolve("debug.log"), "not configuration\n");
        Files.createDirectories(home.resolve("tomcat/conf"));
        Files.writeString(home.resolve("tomcat/conf/server.xml"), "<Server/>\n");
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(work.resolve("outside.txt"), "secret");
        Files.writeString(outside.resolve("inner.cfg"), "secret");
        Files.createSymbolicLink(etc.resolve("escape.cfg"), work.resolve("outside.txt"));
        Files.createSymbolicLink(etc.resolve("linked"), outside);
        return home;
    }

    protected abstract NodeAccess access();

    /** The node as the fleet would describe it, with the given pin (null: not pinned). */
    protected abstract NodeTarget target(String pin);

    /** The fingerprint the node really presents. */
    protected abstract String nodeKey();

    protected static NodeTarget target(NodeTarget.Transport transport, String address, int port, String user,
                                       String credential, String pin, Path nfoHome) {
        return new NodeTarget(UUID.randomUUID(), "nfo-b", address, transport, user, port, port, credential, pin, false,
                nfoHome.toString(), "nfo.service", List.of("server/etc/**"), List.of("**/*.log"), Set.of(9555), false);
    }

    @Test
    void thePresentedKeyIsTheNodesOwnAndIsReadWithoutTrust() throws Exception {
        assertThat(access().presentedKey(target(null)).fingerprint()).isEqualTo(nodeKey());
    }

    @Test
    void anUnpinnedNodeIsRefusedWithTheKeyToConfirm() {
        assertThatThrownBy(() -> access().snapshot(target(null)))
                .isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, rejected -> {
                    assertThat(rejected.notPinnedYet()).isTrue();
                    assertThat(rejected.presented()).isEqualTo(nodeKey());
                });
    }

    @Test
    void aChangedKeyIsRefusedLoudly() {
        String wrong = nodeKey().startsWith("sha256:") ? "sha256:" + "00".repeat(32) : "SHA256:" + "A".repeat(43);
        assertThatThrownBy(() -> access().snapshot(target(wrong)))
                .isInstanceOfSatisfying(NodeAccessException.KeyRejected.class, rejected -> {
                    assertThat(rejected.expected()).isEqualTo(wrong);
                    assertThat(rejected.presented()).isEqualTo(nodeKey());
                    assertThat(rejected.getMessage()).startsWith("KEY CHANGED");
                });
    }

    @Test
    void theSnapshotTellsWhatIsTrueOnTheNode() throws Exception {
        NodeSnapshot snapshot = access().snapshot(target(nodeKey()));
        assertThat(snapshot.host().hostname()).isNotBlank();
        assertThat(snapshot.service().running()).isTrue();
        assertThat(snapshot.service().mainPid()).isEqualTo(4242);
        assertThat(snapshot.gate().status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(snapshot.gate().droppedPackets()).isPositive();
        CrmMonResult.Running pacemaker = (CrmMonResult.Running) snapshot.pacemaker().orElseThrow();
        assertThat(pacemaker.status().orElseThrow().nodes()).hasSize(2);
        assertThat(snapshot.cib().orElseThrow().leftoverMoves()).hasSize(1);
        assertThat(snapshot.drbd()).as("a Hot node has no DRBD, and that is no failure").isNull();
        assertThat(snapshot.failures()).isEmpty();
    }

    @Test
    void nothingListeningIsUnreachable() {
        NodeTarget closed = target(nodeKey());
        NodeTarget nowhere = new NodeTarget(closed.nodeId(), closed.name(), closed.address(), closed.transport(),
                closed.sshUser(), CLOSED_PORT, CLOSED_PORT, closed.credential(), closed.pinnedFingerprint(), false,
                closed.nfoHome(), closed.serviceUnit(), closed.configIncludes(), closed.configExcludes(),
                closed.flowPorts(), false);
        assertThatThrownBy(() -> access().snapshot(nowhere)).isInstanceOf(NodeAccessException.Unreachable.class);
    }

    @Test
    void theManifestIsTheAgentsOwnScanOfTheHome() throws Exception {
        NodeTarget node = target(nodeKey());
        ConfigManifest manifest = access().manifest(node);

        ConfigManifest local = ConfigManifest.scan(new ConfigScope(Path.of(node.nfoHome()), node.configIncludes(),
                node.configExcludes(), ConfigScope.DEFAULT_MAX_FILES, MAX_FILE_BYTES));
        assertThat(manifest).isEqualTo(local);
        assertThat(manifest.files()).extracting(ManifestEntry::path).containsExactly("server/etc/big.cfg", "server/etc/server.cfg");
        ManifestEntry cfg = manifest.byPath().get("server/etc/server.cfg");
        assertThat(cfg.sha256()).isEqualTo(sha256(SERVER_CFG.getBytes(StandardCharsets.UTF_8)));
        assertThat(cfg.mode()).isEqualTo("0640");
        assertThat(manifest.byPath().get("server/etc/big.cfg").hashed()).as("over the hashing limit").isFalse();
        assertThat(manifest.skipped()).containsExactly(
                new ConfigManifest.Skipped("server/etc/escape.cfg", ConfigManifest.SkipReason.SYMLINK),
                new ConfigManifest.Skipped("server/etc/linked", ConfigManifest.SkipReason.SYMLINK));
        assertThat(manifest.truncated()).isFalse();
    }

    @Test
    void aConfigFileIsReadWithItsHashAndMode() throws Exception {
        ConfigFile file = access().readFile(target(nodeKey()), "server/etc/server.cfg");
        assertThat(file.path()).isEqualTo("server/etc/server.cfg");
        assertThat(new String(file.bytes(), StandardCharsets.UTF_8)).isEqualTo(SERVER_CFG);
        assertThat(file.sha256()).isEqualTo(sha256(SERVER_CFG.getBytes(StandardCharsets.UTF_8)));
        assertThat(file.mode()).isEqualTo("0640");
        assertThat(file.mtime()).isNotNull();
    }

    @Test
    void readingOutsideTheConfigurationIsRefusedAsTheAgentRefusesIt() {
        for (String path : List.of("../outside.txt", "/etc/passwd", "server/etc/../../outside.txt", "server/etc/./server.cfg",
                "server/etc/escape.cfg", "server/etc/linked/inner.cfg", "tomcat/conf/server.xml", "server/etc/debug.log",
                ".tandem/journal.jsonl", "")) {
            assertThatThrownBy(() -> access().readFile(target(nodeKey()), path))
                    .as(path)
                    .isInstanceOfSatisfying(ConfigRefusedException.class,
                            refused -> assertThat(refused.reason()).isEqualTo(ConfigRefusal.OUTSIDE_ROOTS));
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedAsTooLarge() {
        assertThatThrownBy(() -> access().readFile(target(nodeKey()), "server/etc/big.cfg"))
                .isInstanceOfSatisfying(ConfigRefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(ConfigRefusal.TOO_LARGE));
    }

    @Test
    void aMissingFileIsNotFound() {
        assertThatThrownBy(() -> access().readFile(target(nodeKey()), "server/etc/absent.cfg"))
                .isInstanceOfSatisfying(ConfigRefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));
    }

    @Test
    void filesAreNotReadFromAnUnpinnedNode() {
        assertThatThrownBy(() -> access().readFile(target(null), "server/etc/server.cfg"))
                .isInstanceOf(NodeAccessException.KeyRejected.class);
    }

    protected static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
