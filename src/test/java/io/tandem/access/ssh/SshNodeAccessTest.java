package io.tandem.access.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeAccessContract;
import io.tandem.access.NodeTarget;
import io.tandem.access.RecordedNode;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;

/** The SSH adapter against a real SSH server running real commands, with the node's tools on its PATH. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshNodeAccessTest extends NodeAccessContract {

    @TempDir
    static Path work;

    private TestSshServer server;
    private SshConnections connections;
    private SshNodeAccess access;
    private String clientKey;
    private Path home;

    @BeforeAll
    void startNode() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        clientKey = TestKeys.openSsh(client, null);
        server = TestSshServer.start(work, client.getPublic());
        new RecordedNode().installScripts(work.resolve("bin"));
        home = createNfoHome(work);
        connections = new SshConnections(SshSettings.defaults().withMaxFileReadBytes(MAX_FILE_BYTES));
        access = new SshNodeAccess(connections, Clock.systemUTC());
    }

    @AfterAll
    void stopNode() throws Exception {
        connections.close();
        server.close();
    }

    @Override
    protected NodeAccess access() {
        return access;
    }

    @Override
    protected NodeTarget target(String pin) {
        return target(NodeTarget.Transport.SSH, "127.0.0.1", server.port(), TestSshServer.USER, clientKey, pin, home);
    }

    @Override
    protected List<String> lastCall(String tool) throws java.io.IOException {
        return RecordedNode.lastCall(work.resolve("bin"), tool);
    }

    @Override
    protected String nodeKey() {
        return TestKeys.fingerprint(server.hostKey());
    }

    @Test
    void theManifestTakesTwoCommandsWhateverTheNumberOfFiles() throws Exception {
        int before = server.commands().size();
        access.manifest(target(nodeKey()));
        List<String> ran = server.commands().subList(before, server.commands().size());
        assertThat(ran).hasSize(2);
        assertThat(ran.get(0)).as("one listing, below the include globs' directories only")
                .contains("exec find -P . ").contains("'-path' './server/etc/*'");
        assertThat(ran.get(1)).as("one hashing of the files the globs accept").contains("xargs -0 -r sha256sum -z");
    }

    @Test
    void aMissingHomeIsRefusedAsNotFound() {
        NodeTarget node = target(nodeKey());
        NodeTarget elsewhere = new NodeTarget(node.nodeId(), node.name(), node.address(), node.transport(), node.sshUser(),
                node.sshPort(), node.agentPort(), node.credential(), node.pinnedFingerprint(), false,
                work.resolve("no-such-home").toString(), node.serviceUnit(), node.configIncludes(), node.configExcludes(),
                node.flowPorts(), false);
        assertThatThrownBy(() -> access.manifest(elsewhere)).isInstanceOfSatisfying(ConfigRefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));
        assertThatThrownBy(() -> access.readFile(elsewhere, "server/etc/server.cfg"))
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(ConfigRefusal.NOT_FOUND));
    }

    private NodeTarget withSudo(NodeTarget node) {
        return new NodeTarget(node.nodeId(), node.name(), node.address(), node.transport(), node.sshUser(),
                node.sshPort(), node.agentPort(), node.credential(), node.pinnedFingerprint(), true, node.nfoHome(),
                node.serviceUnit(), node.configIncludes(), node.configExcludes(), node.flowPorts(), false);
    }

    @Test
    void everyChangeIsRecordedOnTheNodeRefusalsIncluded() throws Exception {
        NodeTarget node = target(nodeKey());
        access.pacemaker(node, new io.tandem.pacemaker.ClusterCommand.Move("nfo-vip", "nfo-a"));
        assertThatThrownBy(() -> access.pacemaker(node, new io.tandem.pacemaker.ClusterCommand.Ban("ghost", "nfo-a")))
                .isInstanceOf(io.tandem.pacemaker.CommandRejectedException.class);
        byte[] bytes = "AUDITED 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String changeId = "audit-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        access.stage(node, changeId, List.of(new io.tandem.node.config.StagedFile("server/etc/audited.cfg", bytes,
                sha256(bytes), null)));
        access.commit(node, changeId);

        List<String> audit = java.nio.file.Files.readAllLines(home.resolve(".tandem/audit.log"));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("\"action\":\"pcs resource move nfo-vip nfo-a\"")
                .contains("\"result\":\"exit 0\"").contains("ssh:" + TestSshServer.USER));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("pcs resource ban ghost nfo-a")
                .contains("refused: UNKNOWN_RESOURCE"));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("config stage " + changeId).contains("STAGED"));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("config commit " + changeId).contains("APPLIED"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(home.resolve(".tandem/audit.log")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aSudoNodeIsChangedThroughSudoOnly() throws Exception {
        NodeTarget node = withSudo(target(nodeKey()));
        int before = server.commands().size();
        access.pacemaker(node, new io.tandem.pacemaker.ClusterCommand.Restart("nfo-clone", null));
        byte[] bytes = "SUDO 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String changeId = "sudo-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        access.stage(node, changeId, List.of(new io.tandem.node.config.StagedFile("server/etc/sudo.cfg", bytes,
                sha256(bytes), null)));
        access.commit(node, changeId);
        access.service(node, io.tandem.node.NodeOperations.ServiceAction.STOP);

        List<String> ran = server.commands().subList(before, server.commands().size());
        assertThat(ran).isNotEmpty().allSatisfy(command -> assertThat(command).startsWith("'sudo' '-n' '--' "));
        assertThat(ran).anySatisfy(command -> assertThat(command).endsWith("'pcs' 'resource' 'restart' 'nfo-clone'"));
        assertThat(lastCall("pcs")).containsExactly("resource", "restart", "nfo-clone");
        assertThat(lastCall("systemctl")).containsExactly("stop", "nfo.service");
        assertThat(java.nio.file.Files.readAllBytes(home.resolve("server/etc/sudo.cfg"))).isEqualTo(bytes);
    }

    @Test
    void aNodesNextSnapshotsTakeOneRoundTripAndReadTheSame() throws Exception {
        NodeTarget node = target(nodeKey());
        io.tandem.node.NodeSnapshot first = access.snapshot(node);
        int before = server.commands().size();
        io.tandem.node.NodeSnapshot second = access.snapshot(node);
        assertThat(server.commands().size() - before).as("one script for the whole snapshot").isEqualTo(1);
        assertThat(second.service()).isEqualTo(first.service());
        assertThat(second.gate()).isEqualTo(first.gate());
        assertThat(second.crmMon()).isEqualTo(first.crmMon());
        assertThat(second.constraints()).isEqualTo(first.constraints());
        assertThat(second.udp().sockets()).isEqualTo(first.udp().sockets());
        assertThat(second.udp().udp4()).as("the host's live counters, read in the batch too").isNotNull();
        assertThat(second.host().hostname()).isEqualTo(first.host().hostname());
        assertThat(second.failures()).isEqualTo(first.failures()).isEmpty();
    }

    @Test
    void aMissingToolInABatchFailsItsPartOnly() throws Exception {
        NodeTarget hot = target(nodeKey());
        NodeTarget cold = new NodeTarget(hot.nodeId(), hot.name(), hot.address(), hot.transport(), hot.sshUser(),
                hot.sshPort(), hot.agentPort(), hot.credential(), hot.pinnedFingerprint(), false, hot.nfoHome(),
                hot.serviceUnit(), hot.configIncludes(), hot.configExcludes(), hot.flowPorts(), true);
        io.tandem.node.NodeSnapshot sequential = access.snapshot(cold);
        io.tandem.node.NodeSnapshot batched = access.snapshot(cold);
        assertThat(sequential.failures()).extracting(io.tandem.node.NodeSnapshot.PartFailure::part).containsExactly("drbd");
        assertThat(batched.failures()).extracting(f -> f.part() + ": " + f.reason())
                .isEqualTo(sequential.failures().stream().map(f -> f.part() + ": " + f.reason()).toList());
        assertThat(batched.service().running()).isTrue();
    }

    @Test
    void aSudoNodesFilesAreReadThroughSudoWithTheSameAnswersAndRefusals() throws Exception {
        NodeTarget plain = target(nodeKey());
        NodeTarget sudo = withSudo(plain);
        int before = server.commands().size();
        io.tandem.node.config.ConfigFile viaSudo = access.readFile(sudo, "server/etc/server.cfg");
        assertThat(server.commands().subList(before, server.commands().size()))
                .singleElement().satisfies(command -> assertThat(command).startsWith("'sudo' '-n' '--' "));
        io.tandem.node.config.ConfigFile viaSftp = access.readFile(plain, "server/etc/server.cfg");
        assertThat(viaSudo.bytes()).isEqualTo(viaSftp.bytes());
        assertThat(viaSudo.sha256()).isEqualTo(viaSftp.sha256());
        assertThat(viaSudo.mode()).isEqualTo(viaSftp.mode()).isEqualTo("0640");
        assertThat(viaSudo.mtime().getEpochSecond()).isEqualTo(viaSftp.mtime().getEpochSecond());

        java.util.Map<String, ConfigRefusal> cases = java.util.Map.of(
                "../outside.txt", ConfigRefusal.OUTSIDE_ROOTS, "/etc/passwd", ConfigRefusal.OUTSIDE_ROOTS,
                "server/etc/escape.cfg", ConfigRefusal.OUTSIDE_ROOTS, "server/etc/linked/inner.cfg", ConfigRefusal.OUTSIDE_ROOTS,
                "server/etc/debug.log", ConfigRefusal.OUTSIDE_ROOTS, "server/etc/big.cfg", ConfigRefusal.TOO_LARGE,
                "server/etc/absent.cfg", ConfigRefusal.NOT_FOUND, "server/etc", ConfigRefusal.OUTSIDE_ROOTS);
        cases.forEach((path, reason) -> assertThatThrownBy(() -> access.readFile(sudo, path)).as(path)
                .isInstanceOfSatisfying(ConfigRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason)));
    }

    @Test
    void aSwapThatFailsMidwayRestoresWhatWasSwappedAndSaysSo() throws Exception {
        NodeTarget node = target(nodeKey());
        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
        String first = "server/etc/a-" + id + ".cfg";
        String failing = "server/etc/zz-fail-swap-" + id + ".cfg";
        java.nio.file.Files.writeString(home.resolve(first), "BEFORE\n");
        // a chmod that refuses the second file's temporary copy: the node's real shell meets a real failure
        java.nio.file.Path chmod = work.resolve("bin/chmod");
        java.nio.file.Files.writeString(chmod, "#!/bin/sh\ncase \"$*\" in *zz-fail-swap*) echo 'chmod: refused' >&2; exit 1;; esac\n"
                + "exec /bin/chmod \"$@\"\n");
        java.nio.file.Files.setPosixFilePermissions(chmod, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            byte[] after = "AFTER\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            access.stage(node, "midway-" + id, List.of(
                    new io.tandem.node.config.StagedFile(first, after, sha256(after), null),
                    new io.tandem.node.config.StagedFile(failing, after, sha256(after), null)));
            assertThatThrownBy(() -> access.commit(node, "midway-" + id))
                    .isInstanceOfSatisfying(ConfigRefusedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ConfigRefusal.APPLY_FAILED);
                        assertThat(e.path()).isEqualTo(failing);
                        assertThat(e.getMessage()).contains("chmod: refused").contains("restored from backup");
                    });
        } finally {
            java.nio.file.Files.delete(chmod);
        }
        assertThat(java.nio.file.Files.readString(home.resolve(first))).as("restored from the backup").isEqualTo("BEFORE\n");
        assertThat(home.resolve(failing)).doesNotExist();
        assertThat(java.nio.file.Files.readString(home.resolve(".tandem/journal.jsonl")))
                .contains("\"changeId\":\"midway-" + id + "\"").contains("APPLY_FAILED");
    }
}
