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
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.NodeOperations;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.StagedFile;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.CommandRejectedException;
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

    /** The arguments {@code pcs} or {@code systemctl} last received on the node (without the program name). */
    protected abstract List<String> lastCall(String tool) throws IOException;

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
        assertThat(snapshot.service().enabledAtBoot()).as("systemd's UnitFileState travels with the service state").isTrue();
        assertThat(snapshot.gate().status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(snapshot.gate().droppedPackets()).isPositive();
        CrmMonResult.Running pacemaker = (CrmMonResult.Running) snapshot.pacemaker().orElseThrow();
        assertThat(pacemaker.status().orElseThrow().nodes()).hasSize(2);
        assertThat(snapshot.cib().orElseThrow().leftoverMoves()).hasSize(1);
        assertThat(snapshot.drbd()).as("a Hot node has no DRBD, and that is no failure").isNull();
        assertThat(snapshot.failures()).isEmpty();
        assertThat(snapshot.agentVersion()).as("the agent says its build in every snapshot; over SSH there is no agent")
                .isEqualTo(access().transport() == NodeTarget.Transport.AGENT ? io.tandem.node.Version.ofThisBuild() : null);
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(io.tandem.node.GateAgent.INSTALLED_PATH))) {
            assertThat(snapshot.gateAgent()).as("the gate agent is looked for, and its absence travels as such")
                    .isEqualTo(io.tandem.node.GateAgentFacts.ABSENT);
        }
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
        assertThat(manifest.files()).extracting(ManifestEntry::path).contains("server/etc/big.cfg", "server/etc/server.cfg")
                .doesNotContain("server/etc/debug.log", "tomcat/conf/server.xml", "server/etc/escape.cfg");
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

    // ---- operations ----

    private static StagedFile file(String path, String text, String mode) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new StagedFile(path, bytes, sha256(bytes), mode);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aChangeIsStagedVerifiedCommittedWithABackupAndRolledBack() throws Exception {
        NodeTarget node = target(nodeKey());
        String path = "server/etc/changes/" + unique("outputs") + ".cfg";
        String first = unique("c");
        StagedChange staged = access().stage(node, first, List.of(file(path, "OUTPUT_1 syslog\n", null)));
        assertThat(staged).isEqualTo(new StagedChange(first, List.of(path)));
        assertThatThrownBy(() -> access().readFile(node, path)).as("staging changes nothing yet")
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));

        CommitResult created = access().commit(node, first);
        assertThat(created.files()).containsExactly(new CommitResult.FileChange(path, null, sha256("OUTPUT_1 syslog\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(access().readFile(node, path).mode()).as("a new file's default mode").isEqualTo("0644");

        String second = unique("c");
        access().stage(node, second, List.of(file(path, "OUTPUT_1 kafka\n", "0600")));
        CommitResult changed = access().commit(node, second);
        ConfigFile now = access().readFile(node, path);
        assertThat(new String(now.bytes(), StandardCharsets.UTF_8)).isEqualTo("OUTPUT_1 kafka\n");
        assertThat(now.mode()).isEqualTo("0600");
        assertThat(changed.files().get(0).sha256Before()).isEqualTo(sha256("OUTPUT_1 syslog\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(access().backups(node)).extracting(BackupInfo::id).contains(changed.backupId(), created.backupId());
        assertThat(access().backups(node).stream().filter(b -> b.id().equals(changed.backupId())).findFirst().orElseThrow().files())
                .containsExactly(new BackupInfo.FileBefore(path, sha256("OUTPUT_1 syslog\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(Files.readString(Path.of(node.nfoHome(), ".tandem/journal.jsonl")))
                .as("the change is recorded on the node").contains("\"changeId\":\"" + second + "\"").contains("APPLIED");

        access().rollback(node, changed.backupId());
        assertThat(new String(access().readFile(node, path).bytes(), StandardCharsets.UTF_8)).isEqualTo("OUTPUT_1 syslog\n");
        assertThat(access().readFile(node, path).mode()).isEqualTo("0644");
        access().rollback(node, created.backupId());
        assertThatThrownBy(() -> access().readFile(node, path)).as("the file did not exist before the first change")
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));
    }

    @Test
    void backupsBeyondTheNewestKeptAreRemovedAndTheNewestStay() throws Exception {
        NodeTarget node = target(nodeKey());
        String path = "server/etc/changes/" + unique("kept") + ".cfg";
        List<String> made = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String change = unique("k" + i);
            access().stage(node, change, List.of(file(path, "OUTPUT_1 v" + i + "\n", null)));
            made.add(access().commit(node, change).backupId());
            Thread.sleep(5); // backup ids begin with the time to the millisecond: keep their order certain
        }
        List<String> before = access().backups(node).stream().map(BackupInfo::id).toList();
        int keep = before.indexOf(made.get(1)) + 1; // the newest up to the second of ours: the first of ours goes

        assertThat(access().pruneBackups(node, keep)).contains(made.get(0)).doesNotContain(made.get(1), made.get(2));

        List<String> after = access().backups(node).stream().map(BackupInfo::id).toList();
        assertThat(after).hasSize(keep).contains(made.get(1), made.get(2)).doesNotContain(made.get(0));
        assertThat(Path.of(node.nfoHome(), ".tandem/backups", made.get(0))).as("gone from the node's disk").doesNotExist();
        assertThat(access().pruneBackups(node, keep)).as("nothing more to remove").isEmpty();
        assertThatThrownBy(() -> access().pruneBackups(node, 0)).as("the newest backup always stays")
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.INVALID_REQUEST));
        assertThat(access().backups(node)).hasSize(keep);
    }

    @Test
    void aHostileOrBrokenStageIsRefusedAndLeavesNothingBehind() throws Exception {
        NodeTarget node = target(nodeKey());
        byte[] oversized = new byte[MAX_FILE_BYTES + 1];
        StagedFile wrongHash = new StagedFile("server/etc/server.cfg", "LISTEN_PORT 1\n".getBytes(StandardCharsets.UTF_8),
                sha256("something else".getBytes(StandardCharsets.UTF_8)), null);
        Map<StagedFile, ConfigRefusal> hostile = new java.util.LinkedHashMap<>();
        hostile.put(file("../outside.txt", "x", null), ConfigRefusal.OUTSIDE_ROOTS);
        hostile.put(file("/etc/passwd", "x", null), ConfigRefusal.OUTSIDE_ROOTS);
        hostile.put(file("server/etc/../../outside.txt", "x", null), ConfigRefusal.OUTSIDE_ROOTS);
        hostile.put(file("server/etc/escape.cfg", "x", null), ConfigRefusal.OUTSIDE_ROOTS);
        hostile.put(file("server/etc/linked/inner.cfg", "x", null), ConfigRefusal.OUTSIDE_ROOTS);
        hostile.put(file("tomcat/conf/server.xml", "x", null), ConfigRefusal.OUTSIDE_ROOTS);
        hostile.put(new StagedFile("server/etc/huge.cfg", oversized, sha256(oversized), null), ConfigRefusal.TOO_LARGE);
        hostile.put(wrongHash, ConfigRefusal.HASH_MISMATCH);
        for (Map.Entry<StagedFile, ConfigRefusal> attempt : hostile.entrySet()) {
            String changeId = unique("hostile");
            StagedFile good = file("server/etc/fine-" + changeId + ".cfg", "fine\n", null);
            assertThatThrownBy(() -> access().stage(node, changeId, List.of(good, attempt.getKey())))
                    .as(attempt.getKey().path())
                    .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(attempt.getValue()));
            assertThatThrownBy(() -> access().commit(node, changeId)).as("nothing was staged for " + attempt.getKey().path())
                    .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));
        }
        assertThat(Files.readString(Path.of(node.nfoHome(), "server/etc/server.cfg"))).isEqualTo(SERVER_CFG);
        assertThat(Files.readString(Path.of(node.nfoHome()).resolveSibling("outside.txt"))).isEqualTo("secret");
        try (var staged = Files.list(Path.of(node.nfoHome(), ".tandem/staging"))) {
            assertThat(staged.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains("hostile"));
        }
    }

    @Test
    void aChangeIdIsStagedOnceAndUnknownChangesAndBackupsAreNotFound() throws Exception {
        NodeTarget node = target(nodeKey());
        String changeId = unique("once");
        access().stage(node, changeId, List.of(file("server/etc/" + changeId + ".cfg", "a\n", null)));
        assertThatThrownBy(() -> access().stage(node, changeId, List.of(file("server/etc/" + changeId + ".cfg", "b\n", null))))
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.ALREADY_EXISTS));
        assertThatThrownBy(() -> access().commit(node, "never-staged"))
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));
        assertThatThrownBy(() -> access().rollback(node, "20200101T000000000Z-no-such-backup"))
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));
        assertThatThrownBy(() -> access().rollback(node, "../../etc"))
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.INVALID_REQUEST));
    }

    @Test
    void theServiceIsRestartedThroughItsUnit() throws Exception {
        NodeOperations.Outcome outcome = access().service(target(nodeKey()), NodeOperations.ServiceAction.RESTART);
        assertThat(outcome.argv()).containsExactly("systemctl", "restart", "nfo.service");
        assertThat(outcome.exitCode()).isZero();
        assertThat(lastCall("systemctl")).containsExactly("restart", "nfo.service");
    }

    @Test
    void aClusterCommandRunsExactlyItsArgumentVector() throws Exception {
        NodeOperations.Outcome outcome = access().pacemaker(target(nodeKey()), new ClusterCommand.Move("nfo-vip", "nfo-b"));
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).contains("done");
        assertThat(lastCall("pcs")).containsExactly("resource", "move", "nfo-vip", "nfo-b");
        access().pacemaker(target(nodeKey()), new ClusterCommand.Cleanup("nfo-clone", "nfo-a"));
        assertThat(lastCall("pcs")).containsExactly("resource", "cleanup", "nfo-clone", "--node", "nfo-a");
    }

    @Test
    void theGateIsOpenedAndBlockedInOneNftTransaction() throws Exception {
        NodeOperations.Outcome opened = access().gate(target(nodeKey()), io.tandem.node.GateChange.opening());
        assertThat(opened.exitCode()).isZero();
        assertThat(lastCall("nft")).containsExactly(io.tandem.node.OutputGate.openCommand().get(1));
        var siem = io.tandem.node.GateDestination.of("10.0.0.5", io.tandem.node.GateDestination.Transport.UDP, 514);
        access().gate(target(nodeKey()), io.tandem.node.GateChange.blocking(List.of(siem)));
        assertThat(lastCall("nft")).singleElement().asString().contains("ip daddr 10.0.0.5 udp dport 514 counter drop");
        // a handover's hold: its deadline travels to the node (the agent's JSON, the SSH argv) to the second
        java.time.Instant until = java.time.Instant.parse("2026-12-07T20:00:00.750Z");
        access().gate(target(nodeKey()), io.tandem.node.GateChange.holding(List.of(siem), until));
        assertThat(lastCall("nft")).singleElement().asString()
                .contains("ip daddr 10.0.0.5 udp dport 514 counter drop comment \"tandem-hold until " + until.getEpochSecond() + "\"");
        assertThatThrownBy(() -> access().gate(target(null), io.tandem.node.GateChange.opening()))
                .isInstanceOf(NodeAccessException.KeyRejected.class);
    }

    @Test
    void namesTheClusterDoesNotHaveAreRefusedAndNothingRuns() throws Exception {
        access().pacemaker(target(nodeKey()), new ClusterCommand.Clear("nfo-vip", null));
        List<String> before = lastCall("pcs");
        assertThatThrownBy(() -> access().pacemaker(target(nodeKey()), new ClusterCommand.Move("no-such-resource", "nfo-b")))
                .isInstanceOfSatisfying(CommandRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRejectedException.Reason.UNKNOWN_RESOURCE));
        assertThatThrownBy(() -> access().pacemaker(target(nodeKey()), new ClusterCommand.Standby("nfo-z")))
                .isInstanceOfSatisfying(CommandRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRejectedException.Reason.UNKNOWN_NODE));
        assertThat(lastCall("pcs")).isEqualTo(before).containsExactly("resource", "clear", "nfo-vip");
    }

    @Test
    void nothingIsChangedOnAnUnpinnedNode() {
        assertThatThrownBy(() -> access().pacemaker(target(null), new ClusterCommand.Clear("nfo-vip", null)))
                .isInstanceOf(NodeAccessException.KeyRejected.class);
        assertThatThrownBy(() -> access().stage(target(null), unique("c"), List.of(file("server/etc/x.cfg", "x", null))))
                .isInstanceOf(NodeAccessException.KeyRejected.class);
    }
}
