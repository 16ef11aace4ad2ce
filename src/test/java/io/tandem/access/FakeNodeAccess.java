package io.tandem.access;

import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tandem.node.FileSource;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeFactsCollector;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.ServiceControl;
import io.tandem.node.SnapshotCollector;
import io.tandem.node.NodeOperations;
import io.tandem.node.ToolRunner;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.StagedFile;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.CommandRejectedException;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigScope;
import io.tandem.node.config.ConfigStore;

/**
 * An in-memory node for tests of what consumes snapshots: the recorded tools, the real collector,
 * a fixed key. It honours pinning like the real adapters so callers meet the same refusals.
 */
public final class FakeNodeAccess implements NodeAccess {

    public static final String KEY = "SHA256:fakefakefakefakefakefakefakefakefakefakefak";

    private final Map<String, List<String>> calls = new ConcurrentHashMap<>();
    private final ToolRunner tools = new RecordedNode().toolRunner(calls);
    private volatile boolean reachable = true;
    private final List<List<String>> setupArgv = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void setReachable(boolean reachable) {
        this.reachable = reachable;
    }

    @Override
    public NodeTarget.Transport transport() {
        return NodeTarget.Transport.SSH;
    }

    @Override
    public PresentedKey presentedKey(NodeTarget node) throws NodeAccessException {
        requireReachable(node);
        return new PresentedKey(KEY, "fake");
    }

    @Override
    public NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException {
        requirePinned(node);
        return new SnapshotCollector(tools, FileSource.viaTool(tools, Duration.ofSeconds(5)), Clock.systemUTC(),
                new SnapshotCollector.Settings(new NodeFactsCollector.Settings(ServiceControl.systemd(node.serviceUnit()),
                        node.flowPorts(), Duration.ofSeconds(5)), Duration.ofSeconds(5), node.expectDrbd())).collect();
    }

    @Override
    public io.tandem.node.SetupProbe.Facts setupProbe(NodeTarget node, io.tandem.node.SetupProbe.Request request)
            throws NodeAccessException {
        requirePinned(node);
        return new io.tandem.node.SetupProbe(tools, FileSource.viaTool(tools, Duration.ofSeconds(5)), Duration.ofSeconds(5)).probe(request);
    }

    /** The node's files are a local directory (the target's NFO home), read by the agent's own store. */
    @Override
    public ConfigFile readFile(NodeTarget node, String path) throws NodeAccessException, ConfigRefusedException {
        requirePinned(node);
        return store(node).read(path, NodeAccessContract.MAX_FILE_BYTES);
    }

    @Override
    public ConfigManifest manifest(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        requirePinned(node);
        return store(node).manifest();
    }

    /** The arguments the tool last received, as {@link RecordedNode#lastCall} reads them on a real node. */
    public List<String> lastCall(String tool) {
        return calls.getOrDefault(tool, List.of());
    }

    @Override
    public StagedChange stage(NodeTarget node, String changeId, List<StagedFile> files)
            throws NodeAccessException, ConfigRefusedException {
        requirePinned(node);
        return new StagedChange(changeId, store(node).stage(changeId, files));
    }

    @Override
    public CommitResult commit(NodeTarget node, String changeId) throws NodeAccessException, ConfigRefusedException {
        requirePinned(node);
        return store(node).commit(changeId);
    }

    @Override
    public CommitResult rollback(NodeTarget node, String backupId) throws NodeAccessException, ConfigRefusedException {
        requirePinned(node);
        return store(node).rollback(backupId);
    }

    @Override
    public List<BackupInfo> backups(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        requirePinned(node);
        return store(node).backups();
    }

    @Override
    public List<String> pruneBackups(NodeTarget node, int keep) throws NodeAccessException, ConfigRefusedException {
        requirePinned(node);
        return store(node).pruneBackups(keep);
    }

    @Override
    public NodeOperations.Outcome service(NodeTarget node, NodeOperations.ServiceAction action) throws NodeAccessException {
        requirePinned(node);
        return NodeOperations.service(tools, ServiceControl.systemd(node.serviceUnit()), action, Duration.ofSeconds(5));
    }

    /** The argument vectors setup steps ran here, as the node's runner shows them (password replaced), in order. */
    public List<List<String>> setupArgv() {
        return List.copyOf(setupArgv);
    }

    /** Runs the real {@link io.tandem.node.SetupSteps} over a runner that records each argument vector and succeeds. */
    @Override
    public NodeOperations.Outcome setupStep(NodeTarget node, io.tandem.node.SetupCommand command) throws NodeAccessException {
        requirePinned(node);
        ToolRunner succeeding = (argv, timeout) -> {
            setupArgv.add(io.tandem.node.SetupSteps.shown(argv));
            return new io.tandem.node.CommandResult(0, "", "", false);
        };
        return io.tandem.node.SetupSteps.run(succeeding, (content, mode, path, timeout) -> succeeding.run(
                List.of("install", "-D", "-m", mode, "<" + content.length + " bytes>", path), timeout),
                new io.tandem.node.SetupSteps.Node(node.serviceUnit()), command, Duration.ofSeconds(5));
    }

    @Override
    public NodeOperations.Outcome gate(NodeTarget node, io.tandem.node.GateChange change) throws NodeAccessException {
        requirePinned(node);
        return NodeOperations.gate(tools, change, Duration.ofSeconds(5));
    }

    @Override
    public NodeOperations.Outcome pacemaker(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        requirePinned(node);
        try {
            return NodeOperations.pacemaker(tools, tools, command, Duration.ofSeconds(5), Duration.ofSeconds(5));
        } catch (NodeOperations.ClusterUnavailable e) {
            throw ClusterRefusals.of(e, node.name());
        }
    }

    @Override
    public NodeOperations.Simulation simulate(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        requirePinned(node);
        try {
            return NodeOperations.simulate(tools, command, "/tmp/fake-cib.xml", Duration.ofSeconds(5));
        } catch (NodeOperations.ClusterUnavailable e) {
            throw ClusterRefusals.of(e, node.name());
        }
    }

    private static ConfigStore store(NodeTarget node) throws ConfigRefusedException {
        return new ConfigStore(new ConfigScope(Path.of(node.nfoHome()), node.configIncludes(), node.configExcludes(),
                ConfigScope.DEFAULT_MAX_FILES, NodeAccessContract.MAX_FILE_BYTES), Clock.systemUTC(),
                NodeAccessContract.MAX_FILE_BYTES);
    }

    private void requirePinned(NodeTarget node) throws NodeAccessException {
        requireReachable(node);
        if (!KEY.equals(node.pinnedFingerprint())) {
            throw new NodeAccessException.KeyRejected(node.pinnedFingerprint(), KEY);
        }
    }

    private void requireReachable(NodeTarget node) throws NodeAccessException {
        if (!reachable || node.port() == NodeAccessContract.CLOSED_PORT) {
            throw new NodeAccessException.Unreachable("connection refused: " + node, null);
        }
    }
}
