package io.tandem.monitor;

import java.sql.Timestamp;
import java.time.Clock;
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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import io.tandem.fleet.ClusterView;
import io.tandem.netflow.Parity;
import io.tandem.netflow.ParityReport;
import io.tandem.node.NodeSnapshot;

/**
 * The latest observation of every node and the health of every pair derived from them. Each new
 * observation re-evaluates its pair; what changed (roles, findings) goes to the history.
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
                            ParityReport parity, Map<String, NodeRates> rates, Map<String, NodeReading> readings) {

        public NodeRates ratesOf(String node) {
            return rates.getOrDefault(node, NodeRates.UNKNOWN);
        }

        public Optional<Severity> worst() {
            return health.worst();
        }

        /** Age of the oldest observation, so an operator sees how fresh the picture is. */
        public long ageSeconds(Instant now) {
            return observations.values().stream().map(NodeObservation::observedAt)
                    .min(Comparator.naturalOrder()).map(t -> Math.max(0, now.getEpochSecond() - t.getEpochSecond())).orElse(-1L);
        }
    }

    private final Map<UUID, NodeObservation> observations = new ConcurrentHashMap<>();
    /** Each node's latest observation with its tool outputs parsed, once per observation rather than per judgement. */
    private final Map<UUID, NodeReading> readings = new ConcurrentHashMap<>();
    /** Judging is serialised per pair (each judgement is compared with the one before), never across pairs. */
    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();
    /** The reading each node's rates are measured from: the one before the latest, at least a second older. */
    private final Map<UUID, NodeObservation> baselines = new ConcurrentHashMap<>();
    private final Map<UUID, PairState> pairs = new ConcurrentHashMap<>();
    /** Configuration files that differ between the two nodes of a Hot pair, as last compared. */
    private final Map<UUID, List<String>> drift = new ConcurrentHashMap<>();
    /** When each node's output state last changed, for findings about both nodes at once. */
    private final OutputChanges outputChanges = new OutputChanges();
    private final MonitorProperties properties;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher publisher;

    PairStates(MonitorProperties properties, JdbcTemplate jdbc, Clock clock,
               org.springframework.context.ApplicationEventPublisher publisher) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
        this.publisher = publisher;
    }

    /** Published after each new observation of a pair's node, for the pages that push updates. */
    public record Changed(java.util.UUID clusterId) {
    }

    /** Published when a pair's roles or findings changed, for alerting. */
    public record HealthChanged(ClusterView cluster, HealthDiff diff, PairHealth health) {
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
        publisher.publishEvent(new Changed(cluster.id()));
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
            NodeObservation latest = observations.getOrDefault(node.id(), new NodeObservation(node.name(), null,
                    new NodeObservation.ReadFailure("not read yet", "Tandem has not read this node since it started."),
                    Instant.EPOCH));
            nodes.add(latest);
            NodeReading reading = readings.get(node.id());
            parsed.add(reading != null && reading.observation() == latest ? reading : NodeReading.of(latest));
            rates.put(node.name(), NodeRates.between(baselines.get(node.id()), latest));
        }
        Instant now = clock.instant();
        // A Cold passive is stopped and re-learns templates after takeover by design; parity is a Hot-pair measure.
        ParityReport parity = cluster.mode() == io.tandem.fleet.ClusterMode.HOT ? parity(nodes.get(0), nodes.get(1), now) : null;
        PairHealth health = HealthEvaluator.evaluate(new PairObservation(cluster, nodes.get(0), nodes.get(1), now,
                properties.freshness(), parity, drift.getOrDefault(cluster.id(), List.of()), outputSince), parsed);
        Map<String, NodeObservation> byName = Map.of(nodes.get(0).node(), nodes.get(0), nodes.get(1).node(), nodes.get(1));
        PairState state = new PairState(cluster, health, byName, parity, Map.copyOf(rates),
                Map.of(parsed.get(0).node(), parsed.get(0), parsed.get(1).node(), parsed.get(1)));
        PairState before = pairs.put(cluster.id(), state);
        if (before != null) {
            HealthDiff diff = HealthDiff.between(before.health(), health);
            record(cluster.id(), diff, now);
            if (!diff.isEmpty()) {
                publisher.publishEvent(new HealthChanged(cluster, diff, health));
            }
        }
        return state;
    }

    /** Records the files that differ between the pair's nodes (empty: none) and re-judges the pair. */
    public void drifted(ClusterView cluster, List<String> files) {
        List<String> before = drift.put(cluster.id(), List.copyOf(files));
        if (!List.copyOf(files).equals(before)) {
            evaluate(cluster);
            publisher.publishEvent(new Changed(cluster.id()));
        }
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
        observations.keySet().retainAll(nodeIds);
        readings.keySet().retainAll(nodeIds);
        baselines.keySet().retainAll(nodeIds);
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

    private void record(UUID clusterId, HealthDiff diff, Instant now) {
        if (diff.isEmpty()) {
            return;
        }
        Timestamp at = Timestamp.from(now);
        try {
            for (HealthDiff.RoleChange change : diff.roleChanges()) {
                insert(clusterId, at, "ROLE", change.node(), null, change.to().name(),
                        change.node() + ": " + change.from() + " -> " + change.to());
            }
            for (Finding raised : diff.raised()) {
                insert(clusterId, at, "RAISED", raised.node(), raised.severity().name(), raised.kind().id(), raised.cause());
            }
            for (Finding cleared : diff.cleared()) {
                insert(clusterId, at, "CLEARED", cleared.node(), cleared.severity().name(), cleared.kind().id(), cleared.cause());
            }
        } catch (RuntimeException e) {
            // a pair deleted between the read and this write: its history goes with it
            log.debug("history not recorded for {}: {}", clusterId, e.getMessage());
        }
    }

    private void insert(UUID clusterId, Timestamp at, String kind, String node, String severity, String subject, String text) {
        jdbc.update("insert into monitor_event (cluster_id, occurred_at, kind, node, severity, subject, text) values (?, ?, ?, ?, ?, ?, ?)",
                clusterId, at, kind, node, severity, subject, text.length() > 2000 ? text.substring(0, 2000) : text);
    }

    /** History older than the retention goes, once an hour. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void applyRetention() {
        jdbc.update("delete from monitor_event where occurred_at < ?", Timestamp.from(clock.instant().minus(properties.retention())));
    }
}
