package io.tandem.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.access.SecretCipher;
import io.tandem.audit.AuditLog;
import io.tandem.audit.Outcome;
import io.tandem.console.Rejected;
import io.tandem.drbd.DrbdParseException;
import io.tandem.drbd.DrbdStatus;
import io.tandem.fleet.ConnectionReport.Fact;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.PacemakerParseException;

/**
 * Connects to a registered node through its adapter: "Test connection", and pinning the key or
 * certificate the node presents once an admin has compared it with the node.
 */
@Service
public class NodeConnections {

    private final Clusters clusters;
    private final SecretCipher cipher;
    private final Map<NodeTarget.Transport, NodeAccess> adapters;
    private final AuditLog audit;

    NodeConnections(Clusters clusters, SecretCipher cipher, List<NodeAccess> adapters, AuditLog audit) {
        this.clusters = clusters;
        this.cipher = cipher;
        this.adapters = adapters.stream().collect(Collectors.toMap(NodeAccess::transport, a -> a));
        this.audit = audit;
    }

    /** Never throws for a node problem: every failure becomes a report the operator can read. */
    @Transactional(readOnly = true)
    public ConnectionReport test(UUID clusterId, UUID nodeId) {
        NodeTarget target = target(clusterId, nodeId);
        NodeAccess access = adapter(target);
        String presented = null;
        String description = null;
        try {
            NodeAccess.PresentedKey key = access.presentedKey(target);
            presented = key.fingerprint();
            description = key.description();
            if (target.pinnedFingerprint() == null) {
                return new ConnectionReport(ConnectionReport.Outcome.PIN_NEEDED, "key not pinned",
                        "The node answers and presents this key. Compare it with the node, then pin it.",
                        presented, description, null, List.of(), List.of());
            }
            NodeSnapshot snapshot = access.snapshot(target);
            return new ConnectionReport(ConnectionReport.Outcome.OK, null, "Connected to " + target.name() + ".",
                    presented, description, target.pinnedFingerprint(), facts(snapshot),
                    snapshot.failures().stream().map(f -> f.part() + ": " + f.reason() + " — " + f.message()).toList());
        } catch (NodeAccessException.KeyRejected rejected) {
            return new ConnectionReport(rejected.notPinnedYet() ? ConnectionReport.Outcome.PIN_NEEDED : ConnectionReport.Outcome.KEY_CHANGED,
                    rejected.reason(), rejected.getMessage(), rejected.presented(), description, rejected.expected(),
                    List.of(), List.of());
        } catch (NodeAccessException e) {
            return new ConnectionReport(ConnectionReport.Outcome.FAILED, e.reason(), e.getMessage(), presented, description,
                    target.pinnedFingerprint(), List.of(), List.of());
        }
    }

    /**
     * Pins the key the node presents now, provided it is the one the admin confirmed; a key that
     * changed between showing and confirming is refused.
     */
    @Transactional
    public void pin(UUID clusterId, UUID nodeId, String confirmedFingerprint) {
        Node node = node(clusterId, nodeId);
        NodeTarget target = target(node);
        String presented;
        try {
            presented = adapter(target).presentedKey(target).fingerprint();
        } catch (NodeAccessException e) {
            throw Rejected.conflict("node-unreachable", null, "Cannot read the node's key now (" + e.reason() + "): " + e.getMessage());
        }
        if (confirmedFingerprint == null || !presented.equals(confirmedFingerprint.strip())) {
            throw Rejected.conflict("key-mismatch", "fingerprint", "The node now presents " + presented
                    + ", not the key you confirmed. Test the connection again before pinning.");
        }
        String before = node.pinnedFingerprint();
        node.pin(presented);
        audit.record("NODE_KEY_PIN", node.name(), Outcome.SUCCESS,
                Map.of("cluster", clusterId.toString(), "before", String.valueOf(before), "after", presented));
    }

    /** Reads a node now through its adapter (pinned key required). */
    @Transactional(readOnly = true)
    public NodeSnapshot snapshot(UUID clusterId, UUID nodeId) throws NodeAccessException {
        NodeTarget target = target(clusterId, nodeId);
        return adapter(target).snapshot(target);
    }

    /** The node's configuration manifest; see {@link NodeAccess#manifest}. */
    @Transactional(readOnly = true)
    public io.tandem.node.config.ConfigManifest manifest(UUID clusterId, UUID nodeId)
            throws NodeAccessException, io.tandem.node.config.ConfigRefusedException {
        NodeTarget target = target(clusterId, nodeId);
        return adapter(target).manifest(target);
    }

    /** One configuration file of the node, by its path relative to the NFO home; see {@link NodeAccess#readFile}. */
    @Transactional(readOnly = true)
    public io.tandem.node.config.ConfigFile readFile(UUID clusterId, UUID nodeId, String path)
            throws NodeAccessException, io.tandem.node.config.ConfigRefusedException {
        NodeTarget target = target(clusterId, nodeId);
        return adapter(target).readFile(target, path);
    }

    /** One call on a node through its adapter, for operations that change it; see {@link #call}. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(NodeAccess access, NodeTarget target) throws Exception;
    }

    /**
     * Runs one port call against a node (pinned key required by the adapter). Not in a transaction: the node may
     * take a while to answer and must not hold a database connection meanwhile.
     */
    public <T> T call(UUID clusterId, UUID nodeId, Call<T> call) throws Exception {
        NodeTarget target = target(clusterId, nodeId);
        return call.apply(adapter(target), target);
    }

    /** Opens the node's change stream when its transport has one (the agent); see {@link NodeAccess#watch}. */
    @Transactional(readOnly = true)
    public Optional<NodeAccess.Watch> watch(UUID clusterId, UUID nodeId, Runnable onChange) throws NodeAccessException {
        NodeTarget target = target(clusterId, nodeId);
        return adapter(target).watch(target, onChange);
    }

    /** How to reach a node, its credential decrypted for this call only. */
    @Transactional(readOnly = true)
    public NodeTarget target(UUID clusterId, UUID nodeId) {
        return target(node(clusterId, nodeId));
    }

    private NodeTarget target(Node node) {
        Cluster cluster = clusters.findById(node.clusterId()).orElseThrow();
        String credential = node.hasCredential() ? cipher.decrypt(node.sealedCredential(), FleetService.owner(node)) : null;
        return new NodeTarget(node.id(), node.name(), node.address(),
                node.access() == AccessKind.AGENT ? NodeTarget.Transport.AGENT : NodeTarget.Transport.SSH,
                node.sshUser(), node.sshPort(), node.agentPort(), credential, node.pinnedFingerprint(), node.sshSudo(),
                node.nfoHome(), node.serviceUnit(), node.configIncludes(), node.configExcludes(),
                new HashSet<>(node.flowPorts()), cluster.mode() == ClusterMode.COLD);
    }

    private NodeAccess adapter(NodeTarget target) {
        NodeAccess access = adapters.get(target.transport());
        if (access == null) {
            throw Rejected.conflict("transport-unavailable", "access",
                    "This console has no adapter for " + target.transport() + " access.");
        }
        return access;
    }

    private Node node(UUID clusterId, UUID nodeId) {
        Cluster cluster = clusters.findById(clusterId).orElseThrow(() -> Rejected.notFound("Cluster", clusterId));
        return cluster.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> Rejected.notFound("Node", nodeId));
    }

    private static List<Fact> facts(NodeSnapshot snapshot) {
        List<Fact> facts = new ArrayList<>();
        if (snapshot.host() != null) {
            facts.add(new Fact("Host", snapshot.host().hostname() + " · kernel " + snapshot.host().kernel()
                    + " · up " + human(snapshot.host().uptime())));
        }
        if (snapshot.service() != null) {
            var service = snapshot.service();
            facts.add(new Fact("NFO service", service.state() + " (" + service.subState() + ")"
                    + (service.mainPid() > 0 ? " · pid " + service.mainPid() : "")
                    + (service.since() != null ? " · since " + service.since() : "")));
        }
        if (snapshot.gate() != null) {
            var gate = snapshot.gate();
            facts.add(new Fact("Output gate", gate.status() + " · " + gate.droppedPackets() + " packets dropped"
                    + (gate.problems().isEmpty() ? "" : " · " + String.join("; ", gate.problems()))));
        }
        if (snapshot.udp() != null) {
            facts.add(new Fact("Flow input", snapshot.udp().sockets().size() + " UDP socket(s) on the flow ports · "
                    + snapshot.udp().socketDrops() + " drops"));
        }
        pacemaker(snapshot).ifPresent(facts::add);
        drbd(snapshot).ifPresent(facts::add);
        return facts;
    }

    private static Optional<Fact> pacemaker(NodeSnapshot snapshot) {
        try {
            Optional<CrmMonResult> result = snapshot.pacemaker();
            if (result.isEmpty()) {
                return Optional.empty();
            }
            if (result.get() instanceof CrmMonResult.Running running && running.status().isPresent()) {
                ClusterStatus status = running.status().get();
                String nodes = status.nodes().stream()
                        .map(n -> n.name() + (n.online() ? "" : " (offline)") + (n.standby() ? " (standby)" : ""))
                        .collect(Collectors.joining(", "));
                String resources = status.primitives().stream()
                        .map(p -> p.id() + " on " + String.join("+", status.nodesRunning(p.id())))
                        .distinct().collect(Collectors.joining(", "));
                return Optional.of(new Fact("Pacemaker", "DC " + status.dcName().orElse("none") + " · nodes " + nodes
                        + " · " + resources + (status.quorum() ? "" : " · NO QUORUM")));
            }
            return Optional.of(new Fact("Pacemaker", "not running: " + result.get()));
        } catch (PacemakerParseException e) {
            return Optional.of(new Fact("Pacemaker", "unreadable crm_mon output: " + e.getMessage()));
        }
    }

    private static Optional<Fact> drbd(NodeSnapshot snapshot) {
        try {
            Optional<DrbdStatus> status = snapshot.drbdStatus();
            return status.map(s -> new Fact("DRBD", s.resources().stream()
                    .map(r -> r.name() + " " + r.role() + (r.isConnected() ? " connected" : " NOT connected")
                            + (r.isUpToDateBothSides() ? ", up to date" : ""))
                    .collect(Collectors.joining("; "))));
        } catch (DrbdParseException e) {
            return Optional.of(new Fact("DRBD", "unreadable DRBD status: " + e.getMessage()));
        }
    }

    private static String human(Duration duration) {
        long days = duration.toDays();
        return days > 0 ? days + "d " + duration.toHoursPart() + "h" : duration.toHours() + "h " + duration.toMinutesPart() + "m";
    }

}
