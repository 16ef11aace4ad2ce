package io.tandem.access.ssh;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.node.FileSource;
import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeFactsCollector;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.ServiceControl;
import io.tandem.node.SnapshotCollector;
import io.tandem.node.ToolRunner;
import io.tandem.node.NodeOperations;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.StagedFile;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.CommandRejectedException;
import io.tandem.access.ClusterRefusals;
import io.tandem.access.StagedChange;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigScope;
import io.tandem.node.config.ConfigRefusedException;

/** Agentless access: the node's own tools over one reused SSH connection, parsed on the console. */
@Component
public class SshNodeAccess implements NodeAccess {

    private final SshConnections connections;
    private final Clock clock;
    /**
     * Per node, the commands its last snapshot needed: the next snapshot runs them in one round trip
     * ({@link BatchedTools}) instead of one round trip each.
     */
    private final java.util.Map<java.util.UUID, List<List<String>>> learned = new java.util.concurrent.ConcurrentHashMap<>();

    public SshNodeAccess(SshConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    @Override
    public NodeTarget.Transport transport() {
        return NodeTarget.Transport.SSH;
    }

    @Override
    public PresentedKey presentedKey(NodeTarget node) throws NodeAccessException {
        PresentedHostKey key = connections.probeHostKey(node.address(), node.sshPort(), connections.settings().connectTimeout());
        return new PresentedKey(key.fingerprint(), key.keyType());
    }

    @Override
    public NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException {
        requireCredential(node);
        SshToolRunner remote = connections.runner(target(node));
        ToolRunner single = withStableOutput(remote);
        List<List<String>> known = learned.get(node.nodeId());
        BatchedTools tools = known == null ? BatchedTools.learning(single, node.address())
                // a read, not an operation: the whole batch within one command's time, as one agent request would be
                : BatchedTools.prefetch(remote, single, known, connections.settings().commandTimeout(),
                        connections.settings().commandTimeout());
        SnapshotCollector collector = new SnapshotCollector(tools, FileSource.viaTool(tools, connections.settings().commandTimeout()),
                clock, new SnapshotCollector.Settings(new NodeFactsCollector.Settings(ServiceControl.systemd(node.serviceUnit()),
                        node.flowPorts(), connections.settings().commandTimeout()),
                        connections.settings().commandTimeout(), node.expectDrbd()));
        NodeSnapshot snapshot = collector.collect();
        learned.put(node.nodeId(), tools.asked());
        return snapshot;
    }

    @Override
    public io.tandem.node.SetupProbe.Facts setupProbe(NodeTarget node, io.tandem.node.SetupProbe.Request request)
            throws NodeAccessException {
        requireCredential(node);
        ToolRunner tools = withStableOutput(connections.runner(target(node)));
        return new io.tandem.node.SetupProbe(tools, FileSource.viaTool(tools, connections.settings().commandTimeout()),
                connections.settings().commandTimeout()).probe(request);
    }

    @Override
    public ConfigFile readFile(NodeTarget node, String path) throws NodeAccessException, ConfigRefusedException {
        return configFiles(node).read(path);
    }

    @Override
    public ConfigManifest manifest(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        // the remote shell enters the home (following a symlinked home as the agent's real path does): no extra trip
        ConfigScope scope = configFiles(node).scope(node.nfoHome());
        return new SshManifest(connections.runner(target(node)), connections.settings().commandTimeout(),
                connections.settings().maxOutputBytes()).take(node.nfoHome(), scope);
    }

    @Override
    public StagedChange stage(NodeTarget node, String changeId, List<StagedFile> files)
            throws NodeAccessException, ConfigRefusedException {
        return audited(node, "config stage " + changeId, () -> changes(node).stage(changeId, files), staged -> "STAGED");
    }

    @Override
    public CommitResult commit(NodeTarget node, String changeId) throws NodeAccessException, ConfigRefusedException {
        return audited(node, "config commit " + changeId, () -> changes(node).commit(changeId),
                result -> "APPLIED backup " + result.backupId());
    }

    @Override
    public CommitResult rollback(NodeTarget node, String backupId) throws NodeAccessException, ConfigRefusedException {
        return audited(node, "config rollback " + backupId, () -> changes(node).rollback(backupId),
                result -> "APPLIED backup " + result.backupId());
    }

    @Override
    public List<BackupInfo> backups(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        return changes(node).backups();
    }

    @Override
    public List<String> pruneBackups(NodeTarget node, int keep) throws NodeAccessException, ConfigRefusedException {
        return audited(node, "config prune backups keep " + keep, () -> changes(node).pruneBackups(keep),
                removed -> "REMOVED " + removed.size());
    }

    @Override
    public NodeOperations.Outcome service(NodeTarget node, NodeOperations.ServiceAction action) throws NodeAccessException {
        requireCredential(node);
        SshToolRunner runner = connections.runner(target(node));
        NodeOperations.Outcome outcome;
        try {
            outcome = NodeOperations.service(withStableOutput(runner), ServiceControl.systemd(node.serviceUnit()), action,
                    connections.settings().operationTimeout());
        } catch (NodeAccessException e) {
            if (reachedNode(e)) {
                audit(runner, node).record("service " + action.name().toLowerCase(java.util.Locale.ROOT), e.reason());
            }
            throw e;
        }
        audit(runner, node).record(String.join(" ", outcome.argv()), "exit " + outcome.exitCode());
        return outcome;
    }

    /** Files go in on the command's standard input ({@code install /dev/stdin}), so sudo writes them as root. */
    @Override
    public NodeOperations.Outcome setupStep(NodeTarget node, io.tandem.node.SetupCommand command) throws NodeAccessException {
        requireCredential(node);
        SshToolRunner runner = connections.runner(target(node));
        java.time.Duration timeout = connections.settings().operationTimeout();
        NodeOperations.Outcome outcome;
        try {
            outcome = io.tandem.node.SetupSteps.run(withStableOutput(runner), (content, mode, path, limit) -> runner.run(
                    stable(List.of("install", "-D", "-m", mode, "/dev/stdin", path)), content, limit),
                    new io.tandem.node.SetupSteps.Node(node.serviceUnit()), command, timeout);
        } catch (NodeAccessException e) {
            if (reachedNode(e)) {
                audit(runner, node).record("setup: " + command.describe(), e.reason());
            }
            throw e;
        }
        audit(runner, node).record(String.join(" ", outcome.argv()), "exit " + outcome.exitCode());
        return outcome;
    }

    @Override
    public NodeOperations.Outcome gate(NodeTarget node, io.tandem.node.GateChange change) throws NodeAccessException {
        requireCredential(node);
        SshToolRunner runner = connections.runner(target(node));
        NodeOperations.Outcome outcome;
        try {
            outcome = NodeOperations.gate(withStableOutput(runner), change, connections.settings().commandTimeout());
        } catch (NodeAccessException e) {
            if (reachedNode(e)) {
                audit(runner, node).record("gate " + change.verb(), e.reason());
            }
            throw e;
        }
        audit(runner, node).record("gate " + change.verb(), "exit " + outcome.exitCode());
        return outcome;
    }

    @Override
    public NodeOperations.Outcome pacemaker(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        requireCredential(node);
        SshToolRunner runner = connections.runner(target(node));
        ToolRunner tools = withStableOutput(runner);
        String action = String.join(" ", command.argv());
        try {
            NodeOperations.Outcome outcome = NodeOperations.pacemaker(tools, tools, command,
                    connections.settings().commandTimeout(), connections.settings().operationTimeout());
            audit(runner, node).record(action, "exit " + outcome.exitCode());
            return outcome;
        } catch (NodeOperations.ClusterUnavailable e) {
            audit(runner, node).record(action, "refused: " + e.getMessage());
            throw ClusterRefusals.of(e, node.name());
        } catch (CommandRejectedException e) {
            audit(runner, node).record(action, "refused: " + e.reason());
            throw e;
        } catch (NodeAccessException e) {
            if (reachedNode(e)) {
                audit(runner, node).record(action, e.reason());
            }
            throw e;
        }
    }

    @Override
    public NodeOperations.Simulation simulate(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        requireCredential(node);
        ToolRunner tools = withStableOutput(connections.runner(target(node)));
        java.time.Duration timeout = connections.settings().operationTimeout();
        CommandResult made = tools.run(List.of("mktemp", "-t", "tandem-cib.XXXXXXXX"), connections.settings().commandTimeout());
        String copy = made.stdout() == null ? "" : made.stdout().strip();
        if (made.exitCode() != 0 || !copy.startsWith("/") || copy.contains("\n")) {
            throw new NodeAccessException.BadAnswer("mktemp on " + node.name() + " gave no temporary file (exit "
                    + made.exitCode() + ")", null);
        }
        try {
            return NodeOperations.simulate(tools, command, copy, timeout);
        } catch (NodeOperations.ClusterUnavailable e) {
            throw ClusterRefusals.of(e, node.name());
        } finally {
            tools.run(List.of("rm", "-f", "--", copy), connections.settings().commandTimeout());
        }
    }

    @Override
    public io.tandem.node.SetupDryRun.Result setupDryRun(NodeTarget node, io.tandem.node.SetupDryRun.Request request)
            throws NodeAccessException {
        requireCredential(node);
        ToolRunner tools = withStableOutput(connections.runner(target(node)));
        CommandResult made = tools.run(List.of("mktemp", "-d", "-t", "tandem-setup.XXXXXXXX"), connections.settings().commandTimeout());
        String dir = made.stdout() == null ? "" : made.stdout().strip();
        if (made.exitCode() != 0 || !dir.startsWith("/") || dir.contains("\n")) {
            throw new NodeAccessException.BadAnswer("mktemp on " + node.name() + " gave no temporary directory (exit "
                    + made.exitCode() + ")", null);
        }
        SshFiles files = connections.files(target(node));
        try {
            return io.tandem.node.SetupDryRun.run(tools, new io.tandem.node.SetupDryRun.Scratch() {
                @Override
                public String dir() {
                    return dir;
                }

                @Override
                public void write(String name, String text) throws NodeAccessException {
                    files.write(dir + "/" + name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0600);
                }
            }, request, connections.settings().operationTimeout());
        } finally {
            tools.run(List.of("rm", "-rf", "--", dir), connections.settings().commandTimeout());
        }
    }

    /** Whether the node was reached and so can record the attempt (not a connection, key or credential failure). */
    private static boolean reachedNode(NodeAccessException e) {
        return e instanceof NodeAccessException.ToolMissing || e instanceof NodeAccessException.PermissionDenied
                || e instanceof NodeAccessException.BadAnswer || e instanceof NodeAccessException.RequestRefused;
    }

    @FunctionalInterface
    private interface Change<T> {
        T run() throws NodeAccessException, ConfigRefusedException;
    }

    /** Runs a config change and records its outcome on the node, refusals included (as the agent's audit does). */
    private <T> T audited(NodeTarget node, String action, Change<T> change, java.util.function.Function<T, String> result)
            throws NodeAccessException, ConfigRefusedException {
        requireCredential(node);
        SshAudit audit = audit(connections.runner(target(node)), node);
        try {
            T done = change.run();
            audit.record(action, result.apply(done));
            return done;
        } catch (ConfigRefusedException e) {
            audit.record(action, "refused: " + e.reason());
            throw e;
        } catch (NodeAccessException e) {
            if (reachedNode(e)) {
                audit.record(action, e.reason());
            }
            throw e;
        }
    }

    private SshAudit audit(SshToolRunner runner, NodeTarget node) {
        return new SshAudit(runner, node, clock, connections.settings().commandTimeout());
    }

    private SshConfigChanges changes(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        return new SshConfigChanges(connections.runner(target(node)), configFiles(node), node,
                connections.settings().maxStageBytes(), connections.settings().operationTimeout(), clock);
    }

    private SshConfigFiles configFiles(NodeTarget node) throws NodeAccessException {
        requireCredential(node);
        return new SshConfigFiles(connections.files(target(node)), connections.runner(target(node)), node,
                connections.settings().maxFileReadBytes());
    }

    private static void requireCredential(NodeTarget node) throws NodeAccessException {
        if (node.credential() == null) {
            throw new NodeAccessException.AuthRefused("No SSH private key is stored for " + node.name() + ".", null);
        }
    }

    static SshTarget target(NodeTarget node) {
        return new SshTarget(node.address(), node.sshPort(), node.sshUser(), node.credential(), null,
                node.pinnedFingerprint(), node.sudo());
    }

    /** The parsers expect the C locale and UTC timestamps, whatever the login environment says. */
    static ToolRunner withStableOutput(ToolRunner remote) {
        return (argv, timeout) -> remote.run(stable(argv), timeout);
    }

    static List<String> stable(List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of("env", "LC_ALL=C", "TZ=UTC"));
        wrapped.addAll(argv);
        return wrapped;
    }
}
