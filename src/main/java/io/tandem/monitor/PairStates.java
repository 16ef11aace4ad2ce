package io.tandem.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import io.tandem.fleet.ClusterView;
import io.tandem.netflow.Parity;
import io.tandem.netflow.ParityReport;
import io.tandem.node.NodeSnapshot;

/**
 * The latest observation of every node and the health of every pair derived from them. Each new
 * observation re-evaluates its pair; what changed (roles, findings) goes to the history.
 * <p>
 * A reading is recorded and judged to the end before anyone is told: the {@link PairListener}s (pages, alerts) are
 * called afterwards, each on its own, and whatever one throws is logged and goes no further. A page that cannot be
 * drawn once made both nodes of a pair UNREACHABLE, as its exception travelled back into the node's read.
 */
@Service
@EnableConfigurationProperties(MonitorProperties.class)
public class PairStates {

    private static final Logger log = LoggerFactory.getLogger(PairStates.class);

    /**
     * A pair's health and the observations it was judged from.
     *
     * @param rates each node's flow rates since its reading before the latest (by node name)
     * @param readings each node's observation with its tool outputs parsed (by node name): the parse the health was
     *        judged from, for the pages to show without parsing again
     */
    public record PairState(ClusterView cluster, PairHealth health, Map<String, NodeObservation> observations,
                            ParityReport parity, Map<String, NodeRates> rates, Map<String, NodeReading> readings,
                            Map<String, LastKnown> lastKnown) {

        /** The node's last reading that gave a role, for a node that cannot be read now. */
        public Optional<LastKnown> lastKnown(String node) {
            return Optional.ofNullable(lastKnown.get(node));
        }

        /** The node's Tandem agent as its latest reading shows it, against this console's build. */
        public AgentBuild agentOf(String node) {
            NodeObservation observation = observations.get(node);
            return AgentBuild.of(cluster.nodes().stream().filter(n -> n.name().equals(node)).findFirst()
                    .map(ClusterView.NodeView::access).orElse(null), observation == null ? null : observation.snapshot());
        }

        public NodeRates ratesOf(String node) {
            return rates.getOrDefault(node, NodeRates.UNKNOWN);
        }

        public Optional<Severity> worst() {
            return health.worst();
        }

        /** Age of the oldest observation, so an operator sees how fresh the picture is. */
        public long ageSeconds(Instant now) {
            return NodeObservation.oldestAgeSeconds(observations.values(), now);
        }
    }

    /** A node's role as last read and judged, and when that reading was taken. */
    public record LastKnown(NodeRole role, Instant at) {
    }

    private final Map<UUID, NodeObservation> observations = new ConcurrentHashMap<>();
    /** Each node's last reading that gave a role: what an operator needs to know of a node that went silent. */
    private final Map<UUID, LastKnown> lastKnown = new ConcurrentHashMap<>();
    /** Each node's latest observation with its tool outputs parsed, once per observation rather than per judgement. */
    private final Map<UUID, NodeReading> readings = new ConcurrentHashMap<>();
    /** Judging is serialised per pair (each judgement is compared with the one before), never across pairs. */
    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();
    /** The reading each node's rates are measured from: the one before the latest, at least a second older. */
    private final Map<UUID, NodeObservation> baselines = new ConcurrentHashMap<>();
    private final Map<UUID, PairState> pairs = new ConcurrentHashMap<>();
    /** Configuration files that differ between the two nodes of a Hot pair, as last compared. */
    private final Map<UUID, List<String>> drift = new ConcurrentHashMap<>();
    /** Findings raised by operations (a clean-up that failed), per pair, until the operations module withdraws them. */
    private final Map<UUID, List<Finding>> raised = new ConcurrentHashMap<>();
    /** Per pair, the operation under way that opens both outputs on purpose (see {@link #overlapPlanned}). */
    private final Map<UUID, String> plannedOverlaps = new ConcurrentHashMap<>();
    /** When each node's output state last changed, for findings about both nodes at once. */
    private final OutputChanges outputChanges = new OutputChanges();
    private final MonitorProperties properties;
    private final MonitorHistory history;
    private final Clock clock;
    private final ObjectProvider<PairListener> listeners;
    /** When each listener's failure was last logged, so a listener failing at every read does not flood the log. */
    private final Map<String, Instant> listenerFailureLogged = new ConcurrentHashMap<>();
    private static final Duration LISTENER_FAILURE_LOG_EVERY = Duration.ofMinutes(1);

    private final PairOwnership ownership;

    PairStates(MonitorProperties properties, MonitorHistory history, Clock clock, ObjectProvider<PairListener> listeners,
               ObjectProvider<PairOwnership> ownership) {
        this.properties = properties;
        this.history = history;
        this.clock = clock;
        this.listeners = listeners;
        this.ownership = ownership.getIfAvailable(() -> PairOwnership.EVERY_PAIR);
    }

    /**
     * What the listeners hear when a pair's roles or findings changed.
     *
     * @param judgedHere this console reads the pair (see {@link PairOwnership}): it records the history and raises the
     *        alerts; the other consoles judge the shared readings only to show them
     */
    public record HealthChanged(ClusterView cluster, HealthDiff diff, PairHealth health, boolean judgedHere) {

        public HealthChanged(ClusterView cluster, HealthDiff diff, PairHealth health) {
            this(cluster, diff, health, true);
        }
    }

    /** Records what one node reported (or why it could not be read) and re-judges its pair. */
    public void observed(ClusterView cluster, UUID nodeId, NodeObservation observation) {
        NodeReading reading = NodeReading.of(observation);
        readings.put(nodeId, reading);
        outputChanges.observed(cluster, nodeId, reading);
        NodeObservation before = observations.put(nodeId, observation);
        if (before != null && before.snapshot() != null && (observation.snapshot() == null
                || !NodeRates.between(before, observation).equals(NodeRates.UNKNOWN) || !baselines.containsKey(nodeId))) {
            baselines.put(nodeId, before);
        }
        evaluate(cluster);
        tell(cluster, listener -> listener.observed(cluster.id()));
    }

    /** Whether {@code observation} is later than the one known of the node (a shared reading may arrive late). */
    boolean newerThanKnown(UUID nodeId, NodeObservation observation) {
        NodeObservation known = observations.get(nodeId);
        return known == null || observation.observedAt().isAfter(known.observedAt());
    }

    /** Judges the pair from the latest observations, as of now (so staleness shows without new reads). */
    public PairState evaluate(ClusterView cluster) {
        synchronized (locks.computeIfAbsent(cluster.id(), id -> new Object())) {
            return judge(cluster);
        }
    }

    private PairState judge(ClusterView cluster) {
        List<NodeObservation> nodes = new ArrayList<>();
        List<NodeReading> parsed = new ArrayList<>();
        Map<String, NodeRates> rates = new java.util.HashMap<>();
        Map<String, Instant> outputSince = new java.util.HashMap<>();
        for (ClusterView.NodeView node : cluster.nodes()) {
            Instant since = outputChanges.since(node.id());
            if (since != null) {
                outputSince.put(node.name(), since);
            }
            NodeObservation latest = observations.getOrDefault(node.id(), NodeObservation.notReadYet(node.name()));
            nodes.add(latest);
            NodeReading reading = readings.get(node.id());
            parsed.add(reading != null && reading.observation() == latest ? reading : NodeReading.of(latest));
            rates.put(node.name(), NodeRates.between(baselines.get(node.id()), latest));
        }
        Instant now = clock.instant();
        // A Cold passive is stopped and re-learns templates after takeover by design; parity is a Hot-pair measure.
        ParityReport parity = cluster.mode() == io.tandem.fleet.ClusterMode.HOT ? parity(nodes.get(0), nodes.get(1), now) : null;
        PairHealth health = HealthEvaluator.evaluate(new PairObservation(cluster, nodes.get(0), nodes.get(1), now,
                properties.freshness(), parity, drift.getOrDefault(cluster.id(), List.of()), outputSince,
                plannedOverlaps.get(cluster.id())), parsed,
                raised.getOrDefault(cluster.id(), List.of()));
        Map<String, NodeObservation> byName = Map.of(nodes.get(0).node(), nodes.get(0), nodes.get(1).node(), nodes.get(1));
        Map<String, LastKnown> known = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            ClusterView.NodeView node = cluster.nodes().get(i);
            NodeRole role = health.node(node.name()).role();
            if (nodes.get(i).snapshot() != null && role.known()) {
                lastKnown.put(node.id(), new LastKnown(role, nodes.get(i).observedAt()));
            }
            LastKnown last = lastKnown.get(node.id());
            if (last != null) {
                known.put(node.name(), last);
            }
        }
        PairState state = new PairState(cluster, health, byName, parity, Map.copyOf(rates),
                Map.of(parsed.get(0).node(), parsed.get(0), parsed.get(1).node(), parsed.get(1)), Map.copyOf(known));
        PairState before = pairs.put(cluster.id(), state);
        if (before != null) {
            HealthDiff diff = HealthDiff.between(before.health(), health);
            if (!diff.isEmpty()) {
                boolean here = ownership.owns(cluster.id());
                if (here) { // one console records a pair's history, not each one that shows it
                    history.record(cluster.id(), diff, now);
                }
                HealthChanged change = new HealthChanged(cluster, diff, health, here);
                tell(cluster, listener -> listener.healthChanged(change));
            }
        }
        return state;
    }

    /** Records the files that differ between the pair's nodes (empty: none) and re-judges the pair. */
    public void drifted(ClusterView cluster, List<String> files) {
        List<String> before = drift.put(cluster.id(), List.copyOf(files));
        if (!List.copyOf(files).equals(before)) {
            evaluate(cluster);
            tell(cluster, listener -> listener.observed(cluster.id()));
        }
    }

    /**
     * Sets the findings another module judged about the pair (empty withdraws them) and re-judges it, so they show,
     * alert and enter the history like the nodes' own. The operations module raises a failed clean-up this way.
     */
    public void raised(ClusterView cluster, List<Finding> findings) {
        List<Finding> now = List.copyOf(findings);
        List<Finding> before = now.isEmpty() ? raised.remove(cluster.id()) : raised.put(cluster.id(), now);
        if (!now.equals(before == null ? List.of() : before)) {
            evaluate(cluster);
            tell(cluster, listener -> listener.observed(cluster.id()));
        }
    }

    /**
     * Says that an operation under way opens both of the pair's outputs on purpose ({@code operation} in operator
     * words), or no longer does (null), and re-judges the pair. See {@link OutputRules}.
     */
    public void overlapPlanned(ClusterView cluster, String operation) {
        String before = operation == null ? plannedOverlaps.remove(cluster.id()) : plannedOverlaps.put(cluster.id(), operation);
        if (!java.util.Objects.equals(before, operation)) {
            evaluate(cluster);
            tell(cluster, listener -> listener.observed(cluster.id()));
        }
    }

    /** Tells every listener, each on its own: one that throws neither stops the others nor reaches the caller. */
    private void tell(ClusterView cluster, java.util.function.Consumer<PairListener> call) {
        listeners.orderedStream().forEach(listener -> {
            try {
                call.accept(listener);
            } catch (RuntimeException | LinkageError e) {
                String key = listener.getClass().getName() + "/" + e.getClass().getName();
                Instant now = clock.instant();
                Instant last = listenerFailureLogged.get(key);
                if (last == null || !now.isBefore(last.plus(LISTENER_FAILURE_LOG_EVERY))) {
                    listenerFailureLogged.put(key, now);
                    log.warn("{} failed on a change of {}; the pair's judgement stands (logged at most once a minute)",
                            listener.getClass().getSimpleName(), cluster.name(), e);
                }
            }
        });
    }

    /** Re-judges a pair whose last judgement is older than {@code age}: time alone makes data stale. */
    void evaluateIfOlderThan(ClusterView cluster, java.time.Duration age) {
        PairState state = pairs.get(cluster.id());
        if (state == null || state.health().evaluatedAt().plus(age).isBefore(clock.instant())) {
            evaluate(cluster);
        }
    }

    /** Drops the state of pairs that left the fleet. */
    void retainOnly(List<ClusterView> clusters) {
        java.util.Set<UUID> ids = new java.util.HashSet<>();
        java.util.Set<UUID> nodeIds = new java.util.HashSet<>();
        for (ClusterView cluster : clusters) {
            ids.add(cluster.id());
            cluster.nodes().forEach(n -> nodeIds.add(n.id()));
        }
        pairs.keySet().retainAll(ids);
        drift.keySet().retainAll(ids);
        raised.keySet().retainAll(ids);
        observations.keySet().retainAll(nodeIds);
        readings.keySet().retainAll(nodeIds);
        baselines.keySet().retainAll(nodeIds);
        lastKnown.keySet().retainAll(nodeIds);
        outputChanges.retainOnly(nodeIds);
        locks.keySet().retainAll(ids);
    }

    public Optional<PairState> state(UUID clusterId) {
        return Optional.ofNullable(pairs.get(clusterId));
    }

    /** Parity needs one active node: the one whose output is open; without exactly one there is nothing to compare. */
    private static ParityReport parity(NodeObservation a, NodeObservation b, Instant now) {
        boolean aOpen = a.snapshot() != null && a.snapshot().outputOpen();
        boolean bOpen = b.snapshot() != null && b.snapshot().outputOpen();
        if (aOpen == bOpen || a.snapshot() == null || b.snapshot() == null) {
            return null;
        }
        NodeSnapshot active = aOpen ? a.snapshot() : b.snapshot();
        NodeSnapshot passive = aOpen ? b.snapshot() : a.snapshot();
        if (active.templates() == null || passive.templates() == null) {
            return null;
        }
        return Parity.compare(active.templates(), passive.templates(), now.toEpochMilli());
    }
}
