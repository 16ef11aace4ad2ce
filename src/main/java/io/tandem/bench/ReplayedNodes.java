package io.tandem.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.node.HostFacts;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.access.StagedChange;
import io.tandem.node.NodeOperations;
import io.tandem.node.config.BackupInfo;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.StagedFile;
import io.tandem.pacemaker.ClusterCommand;
import io.tandem.pacemaker.CommandRejectedException;

/**
 * The agent adapter with simulated nodes beside the real ones: a node whose address is in {@link #SIMULATED} answers
 * with a snapshot recorded from a real demo agent (same node name), stamped with the time of the read, so the
 * monitor collects, judges and records it as it would a live node; every other node goes to the real adapter.
 */
final class ReplayedNodes implements NodeAccess {

    /** Addresses of simulated nodes (TEST-NET-2, never routed): {@code 198.51.100.x} and beyond by port. */
    static final String SIMULATED = "198.51.100.";

    private final NodeAccess real;
    private final Map<String, NodeSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, ConfigManifest> manifests = new ConcurrentHashMap<>();

    ReplayedNodes(NodeAccess real) {
        this.real = real;
    }

    /** What the simulated nodes replay, by node name: to hand to another console's simulation. */
    record Recording(Map<String, NodeSnapshot> snapshots, Map<String, ConfigManifest> manifests) {
    }

    Recording recording() {
        return new Recording(Map.copyOf(snapshots), Map.copyOf(manifests));
    }

    void replay(Recording recording) {
        snapshots.putAll(recording.snapshots());
        manifests.putAll(recording.manifests());
    }

    /** What a simulated node called {@code node} reports from now on. */
    void record(String node, NodeSnapshot snapshot, ConfigManifest manifest) {
        snapshots.put(node, snapshot);
        if (manifest != null) {
            manifests.put(node, manifest);
        }
    }

    @Override
    public NodeTarget.Transport transport() {
        return real.transport();
    }

    @Override
    public PresentedKey presentedKey(NodeTarget node) throws NodeAccessException {
        return real.presentedKey(node);
    }

    @Override
    public NodeSnapshot snapshot(NodeTarget node) throws NodeAccessException {
        if (!node.address().startsWith(SIMULATED)) {
            return real.snapshot(node);
        }
        NodeSnapshot recorded = snapshots.get(node.name());
        if (recorded == null) {
            throw new NodeAccessException.Unreachable("no recorded snapshot for " + node.name(), null);
        }
        Instant now = Instant.now();
        HostFacts host = recorded.host() == null ? null
                : new HostFacts(recorded.host().hostname(), recorded.host().uptime(), recorded.host().kernel(), now);
        return new NodeSnapshot(now, host, recorded.service(), recorded.udp(), recorded.gate(), recorded.crmMon(),
                recorded.constraints(), recorded.drbd(), recorded.templates(), recorded.failures(), recorded.gateAgent(),
                recorded.agentVersion());
    }

    @Override
    public Optional<Watch> watch(NodeTarget node, Runnable onChange) throws NodeAccessException {
        return node.address().startsWith(SIMULATED) ? Optional.empty() : real.watch(node, onChange);
    }

    @Override
    public ConfigManifest manifest(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        if (!simulated(node)) {
            return real.manifest(node);
        }
        ConfigManifest recorded = manifests.get(node.name());
        if (recorded == null) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, null, "no recorded manifest for " + node.name());
        }
        return recorded;
    }

    // a simulated node is a recording: it can be read, never changed

    @Override
    public ConfigFile readFile(NodeTarget node, String path) throws NodeAccessException, ConfigRefusedException {
        if (simulated(node)) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, path, "a simulated node has no file contents");
        }
        return real.readFile(node, path);
    }

    @Override
    public StagedChange stage(NodeTarget node, String changeId, List<StagedFile> files)
            throws NodeAccessException, ConfigRefusedException {
        refuseIfSimulated(node);
        return real.stage(node, changeId, files);
    }

    @Override
    public CommitResult commit(NodeTarget node, String changeId) throws NodeAccessException, ConfigRefusedException {
        refuseIfSimulated(node);
        return real.commit(node, changeId);
    }

    @Override
    public CommitResult rollback(NodeTarget node, String backupId) throws NodeAccessException, ConfigRefusedException {
        refuseIfSimulated(node);
        return real.rollback(node, backupId);
    }

    @Override
    public List<BackupInfo> backups(NodeTarget node) throws NodeAccessException, ConfigRefusedException {
        refuseIfSimulated(node);
        return real.backups(node);
    }

    @Override
    public List<String> pruneBackups(NodeTarget node, int keep) throws NodeAccessException, ConfigRefusedException {
        refuseIfSimulated(node);
        return real.pruneBackups(node, keep);
    }

    @Override
    public NodeOperations.Outcome service(NodeTarget node, NodeOperations.ServiceAction action) throws NodeAccessException {
        refuseIfSimulated(node);
        return real.service(node, action);
    }

    @Override
    public io.tandem.node.SetupProbe.Facts setupProbe(NodeTarget node, io.tandem.node.SetupProbe.Request request)
            throws NodeAccessException {
        refuseIfSimulated(node);
        return real.setupProbe(node, request);
    }

    @Override
    public NodeOperations.Outcome gate(NodeTarget node, io.tandem.node.GateChange change) throws NodeAccessException {
        refuseIfSimulated(node);
        return real.gate(node, change);
    }

    @Override
    public NodeOperations.Outcome pacemaker(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        refuseIfSimulated(node);
        return real.pacemaker(node, command);
    }

    @Override
    public NodeOperations.Simulation simulate(NodeTarget node, ClusterCommand command)
            throws NodeAccessException, CommandRejectedException {
        refuseIfSimulated(node);
        return real.simulate(node, command);
    }

    private static boolean simulated(NodeTarget node) {
        return node.address().startsWith(SIMULATED);
    }

    private static void refuseIfSimulated(NodeTarget node) throws NodeAccessException {
        if (simulated(node)) {
            throw new NodeAccessException.RequestRefused(405, "simulated-node", "simulated node " + node.name() + " is read-only");
        }
    }
}
