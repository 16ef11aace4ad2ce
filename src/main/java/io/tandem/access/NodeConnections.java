package io.tandem.access;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.tandem.access.ConnectionReport.Fact;
import io.tandem.console.Rejected;
import io.tandem.drbd.DrbdParseException;
import io.tandem.drbd.DrbdStatus;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.PacemakerParseException;

/**
 * The console's gateway to registered nodes: "Test connection", pinning the key or certificate a node presents
 * once an admin compared it with the node, and every read or change the monitor, pages and operations make.
 * <p>
 * A node may take its whole timeout to answer (or never answer: a black-holed address), so no call here runs
 * inside a database transaction: the node is looked up in a short transaction of the {@link NodeDirectory}, called
 * with no connection held, and a pin is written afterwards in a transaction of its own. A caller that wraps a node
 * call in a transaction is refused (see ADR 0011).
 */
@Service
public class NodeConnections {

    private final NodeDirectory directory;
    private final Map<NodeTarget.Transport, NodeAccess> adapters;
    /**
     * Each node's target as last used for a read. Reads take the target from the fleet as last read for everyone
     * ({@link NodeDirectory#lastRead}): the monitor reads every node several times a second, and a lookup per read (or
     * per node every couple of seconds) took a pool connection that pages and logins queued for. This map is for when
     * the database does not answer: the last target is kept, so the monitor goes on reading nodes rather than call
     * every node unreachable for a fault of its own. Used only for reads; an operation looks its node up afresh.
     */
    private final Map<UUID, Known> lastRead = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.time.Clock clock;

    private record Known(UUID clusterId, NodeTarget target) {
    }

    /**
     * After a lookup the database did not answer, reads use the targets they know for this long without asking again:
     * each lookup waits up to the pool's timeout, and every reader waiting for it would leave its nodes unread.
     */
    static final java.time.Duration DATABASE_RETRY = java.time.Duration.ofSeconds(5);
    private volatile java.time.Instant databaseFailedAt = java.time.Instant.MIN;

    private final NodeShell shell;

    @org.springframework.beans.factory.annotation.Autowired
    NodeConnections(NodeDirectory directory, List<NodeAccess> adapters, Optional<NodeShell> shell) {
        this(directory, adapters, java.time.Clock.systemUTC(), shell.orElse(null));
    }

    NodeConnections(NodeDirectory directory, List<NodeAccess> adapters, java.time.Clock clock) {
        this(directory, adapters, clock, null);
    }

    NodeConnections(NodeDirectory directory, List<NodeAccess> adapters, java.time.Clock clock, NodeShell shell) {
        this.directory = directory;
        this.clock = clock;
        this.shell = shell;
        this.adapters = adapters.stream().collect(Collectors.toMap(NodeAccess::transport, a -> a));
    }

    /** Never throws for a node problem: every failure becomes a report the operator can read. */
    public ConnectionReport test(UUID clusterId, UUID nodeId) {
        NodeTarget target = reach(clusterId, nodeId);
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
     * Pins the key the node presents now, provided it is the one the admin confirmed; a key that changed between
     * showing and confirming is refused, and so is a node whose endpoint was edited while its key was read.
     */
    public void pin(UUID clusterId, UUID nodeId, String confirmedFingerprint) {
        NodeTarget target = reach(clusterId, nodeId);
        String presented;
        try {
            presented = adapter(target).presentedKey(target).fingerprint();
        } catch (NodeAccessException e) {
            throw Rejected.conflict("node-unreachable", null, "Cannot read the node's key now (" + e.reason() + "): " + e.getMessage());
        }
        if (confirmedFingerprint == null || !presented.equals(confirmedFingerprint.strip())) {
            throw new KeyMismatch(presented, confirmedFingerprint == null ? null : confirmedFingerprint.strip());
        }
        directory.pin(clusterId, nodeId, target, presented);
    }

    /** Reads a node now through its adapter (pinned key required). */
    public NodeSnapshot snapshot(UUID clusterId, UUID nodeId) throws NodeAccessException {
        NodeTarget target = reachForReading(clusterId, nodeId);
        return adapter(target).snapshot(target);
    }

    /** The node's configuration manifest; see {@link NodeAccess#manifest}. */
    public ConfigManifest manifest(UUID clusterId, UUID nodeId) throws NodeAccessException, ConfigRefusedException {
        NodeTarget target = reach(clusterId, nodeId);
        return adapter(target).manifest(target);
    }

    /** One configuration file of the node, by its path relative to the NFO home; see {@link NodeAccess#readFile}. */
    public ConfigFile readFile(UUID clusterId, UUID nodeId, String path) throws NodeAccessException, ConfigRefusedException {
        NodeTarget target = reach(clusterId, nodeId);
        return adapter(target).readFile(target, path);
    }

    /** Opens the node's change stream when its transport has one (the agent); see {@link NodeAccess#watch}. */
    public Optional<NodeAccess.Watch> watch(UUID clusterId, UUID nodeId, Runnable onChange) throws NodeAccessException {
        NodeTarget target = reachForReading(clusterId, nodeId);
        return adapter(target).watch(target, onChange);
    }

    /** One call on a node through its adapter, for operations that change it; see {@link #call}. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(NodeAccess access, NodeTarget target) throws Exception;
    }

    /** Runs one port call against a node (pinned key required by the adapter). */
    public <T> T call(UUID clusterId, UUID nodeId, Call<T> call) throws Exception {
        NodeTarget target = reach(clusterId, nodeId);
        return call.apply(adapter(target), target);
    }

    /** One call on a node's root shell over SSH (see {@link NodeShell}), for installing its agent. */
    @FunctionalInterface
    public interface ShellCall<T> {
        T apply(NodeShell shell, NodeTarget target) throws Exception;
    }

    /**
     * Runs calls on the node's root shell over SSH: its SSH access, or the one kept while an agent Tandem installed
     * serves it (see {@link NodeDirectory#sshTarget}).
     */
    public <T> T shell(UUID clusterId, UUID nodeId, ShellCall<T> call) throws Exception {
        requireNoTransaction();
        NodeTarget target = directory.sshTarget(clusterId, nodeId);
        if (shell == null) {
            throw Rejected.conflict("transport-unavailable", "access", "This console has no SSH adapter.");
        }
        return call.apply(shell, target);
    }

    /** The agent's {@code /v1/health} at {@code agent} (a target not yet in the fleet: the agent just installed). */
    public io.tandem.agent.wire.HealthReport agentHealth(NodeTarget agent) throws NodeAccessException {
        requireNoTransaction();
        if (!(adapter(agent) instanceof io.tandem.access.agent.AgentNodeAccess agents)) {
            throw Rejected.conflict("transport-unavailable", "access", "This console has no agent adapter.");
        }
        return agents.health(agent);
    }

    /** See {@link NodeDirectory#switchToAgent}; no node is called. */
    public void switchToAgent(UUID clusterId, UUID nodeId, String token, String certificateFingerprint) {
        directory.switchToAgent(clusterId, nodeId, token, certificateFingerprint);
    }

    /** See {@link NodeDirectory#switchToSsh}; no node is called. */
    public void switchToSsh(UUID clusterId, UUID nodeId) {
        directory.switchToSsh(clusterId, nodeId);
    }

    /** How to reach a node, its credential decrypted for this call only (a short read-only lookup). */
    public NodeTarget target(UUID clusterId, UUID nodeId) {
        return directory.target(clusterId, nodeId);
    }

    /** The lookup before a node call: its own short transaction, none left open while the node answers. */
    private NodeTarget reach(UUID clusterId, UUID nodeId) {
        requireNoTransaction();
        return target(clusterId, nodeId);
    }

    /** The lookup before a read: the node as the fleet was last read; see {@link #lastRead}. */
    private NodeTarget reachForReading(UUID clusterId, UUID nodeId) {
        requireNoTransaction();
        Known known = lastRead.get(nodeId);
        boolean knownHere = known != null && known.clusterId().equals(clusterId);
        if (knownHere && clock.instant().isBefore(databaseFailedAt.plus(DATABASE_RETRY))) {
            return known.target();
        }
        try {
            NodeTarget target = directory.lastRead(clusterId, nodeId).orElseGet(() -> target(clusterId, nodeId));
            lastRead.put(nodeId, new Known(clusterId, target));
            return target;
        } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException database) {
            if (io.tandem.datastore.DatabaseUnavailable.isCause(database)) {
                databaseFailedAt = clock.instant(); // not answering: the next reads need not wait for it again
            }
            if (!knownHere) {
                throw database;
            }
            return known.target();
        }
    }

    /**
     * A transaction open around a node call would keep its connection for as long as the node takes: a few
     * black-holed nodes would take the whole pool and stall logins. Failing loudly finds such a caller in tests.
     */
    private static void requireNoTransaction() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a node call inside a database transaction would hold its connection while the "
                    + "node answers; look the data up first and call the node outside the transaction");
        }
    }

    private NodeAccess adapter(NodeTarget target) {
        NodeAccess access = adapters.get(target.transport());
        if (access == null) {
            throw Rejected.conflict("transport-unavailable", "access",
                    "This console has no adapter for " + target.transport() + " access.");
        }
        return access;
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
