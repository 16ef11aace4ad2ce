package io.tandem.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.access.NodeConnections;
import io.tandem.node.NodeAccessException;
import io.tandem.node.NodeSnapshot;

/**
 * Reads every registered node on its own schedule (agents every 2 s, SSH every 5 s by default, see
 * {@link PollSchedule}) on a bounded pool: a slow or dead node occupies one reader and backs off, never delaying the
 * others. When a pair's roles or findings change, its SSH nodes are read again at once and then faster for a while:
 * what one node shows (its peer gone) is soon followed by a change on the other (taking over).
 */
@Component
@ConditionalOnProperty(name = "tandem.monitor.enabled", havingValue = "true", matchIfMissing = true)
class NodePoller implements SmartLifecycle, PairListener {

    private static final Logger log = LoggerFactory.getLogger(NodePoller.class);
    private static final Duration TICK = Duration.ofMillis(250);
    /** The fleet changes rarely; re-reading it every tick would be a query per 250 ms for nothing. */
    private static final Duration FLEET_REFRESH = Duration.ofSeconds(5);
    private static final Duration WATCH_RETRY = Duration.ofSeconds(5);
    /** Hashing every config file is heavier than a snapshot; drift is compared less often. */
    private static final Duration DRIFT_INTERVAL = Duration.ofSeconds(10);
    private final Map<UUID, Instant> driftDue = new ConcurrentHashMap<>();
    private final Set<UUID> driftInFlight = ConcurrentHashMap.newKeySet();

    private final FleetService fleet;
    private final NodeConnections connections;
    private final ConfigDrift drift;
    private final PairStates states;
    private final MonitorProperties properties;
    private final PollSchedule schedule;
    private final Clock clock;
    private final UnsettledPairs unsettled;
    private final Map<UUID, Instant> due = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> failures = new ConcurrentHashMap<>();
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<UUID> changedDuringRead = ConcurrentHashMap.newKeySet();
    /** Agent change streams: an event makes its node due at once, so a change shows within a second. */
    private final Map<UUID, io.tandem.access.NodeAccess.Watch> watches = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> nextWatchAttempt = new ConcurrentHashMap<>();
    private volatile List<ClusterView> clusters = List.of();
    private volatile boolean fleetRead;
    private ScheduledExecutorService scheduler;
    /** Reads the fleet from the database on its own thread: a database that does not answer never stops the reads. */
    private ScheduledExecutorService fleetReader;
    private volatile ExecutorService readers;
    private volatile boolean running;
    private final PairOwnership ownership;
    /** Null for a console alone on its database. */
    private final SharedReadings shared;

    NodePoller(FleetService fleet, NodeConnections connections, ConfigDrift drift, PairStates states,
               MonitorProperties properties, Clock clock, ObjectProvider<PairOwnership> ownership,
               ObjectProvider<SharedReadings> shared) {
        this.ownership = ownership.getIfAvailable(() -> PairOwnership.EVERY_PAIR);
        this.shared = shared.getIfAvailable();
        this.fleet = fleet;
        this.connections = connections;
        this.drift = drift;
        this.states = states;
        this.properties = properties;
        this.schedule = new PollSchedule(properties);
        this.unsettled = new UnsettledPairs(properties);
        this.clock = clock;
    }

    /**
     * Also a restart: a stop drops the reads that were queued and not begun, and the marks of those reads would keep
     * their nodes from ever being read again. Spring's test contexts are paused and resumed this way, and a node of the
     * demo went unread for ten minutes (shown as stale, as it should be) until these marks were cleared here.
     */
    @Override
    public void start() {
        inFlight.clear();
        changedDuringRead.clear();
        driftInFlight.clear();
        AtomicInteger n = new AtomicInteger();
        readers = Executors.newFixedThreadPool(properties.readers(), r -> daemon(r, "node-reader-" + n.incrementAndGet()));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-poller"));
        fleetReader = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node-poller-fleet"));
        fleetReader.scheduleWithFixedDelay(this::refreshFleet, 0, FLEET_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        watches.values().forEach(io.tandem.access.NodeAccess.Watch::close);
        scheduler.shutdownNow();
        fleetReader.shutdownNow();
        readers.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The pairs to read; while the database is away the last list read stays in force. */
    private void refreshFleet() {
        try {
            clusters = fleet.list();
            fleetRead = true;
        } catch (RuntimeException e) {
            log.warn("the list of pairs could not be read; reading the {} pairs known before: {}", clusters.size(), e.toString());
        }
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            List<ClusterView> clusters = this.clusters;
            Set<UUID> current = ConcurrentHashMap.newKeySet();
            for (ClusterView cluster : clusters) {
                // time alone can make data stale; judging a pair parses its nodes' XML, so not more often than needed
                states.evaluateIfOlderThan(cluster, properties.freshness().dividedBy(4));
                if (!ownership.owns(cluster.id())) {
                    continue; // another console reads it and shares what it reads
                }
                for (ClusterView.NodeView node : cluster.nodes()) {
                    current.add(node.id());
                    ensureWatched(cluster, node, now);
                    if (!now.isBefore(due.getOrDefault(node.id(), Instant.EPOCH)) && inFlight.add(node.id())) {
                        submitRead(cluster, node);
                    }
                }
                compareConfigsWhenDue(cluster, now);
            }
            if (fleetRead) { // never forget every pair because the fleet has not been read yet
                states.retainOnly(clusters);
            }
            unsettled.forgetSettled(now);
            watches.entrySet().removeIf(entry -> {
                if (current.contains(entry.getKey())) {
                    return false;
                }
                entry.getValue().close();
                return true;
            });
        } catch (RuntimeException e) {
            log.warn("monitor tick failed", e);
        }
    }

    /** Hot pairs carry a copy of the configuration on each node; compare the two manifests now and then. */
    private void compareConfigsWhenDue(ClusterView cluster, Instant now) {
        if (cluster.mode() != io.tandem.fleet.ClusterMode.HOT || driftInFlight.contains(cluster.id())
                || now.isBefore(driftDue.getOrDefault(cluster.id(), Instant.EPOCH))) {
            return;
        }
        driftInFlight.add(cluster.id());
        execute(() -> driftInFlight.remove(cluster.id()), () -> {
            try {
                List<String> files = drift.compare(cluster).paths();
                states.drifted(cluster, files);
                if (shared != null) {
                    shared.offerDrift(cluster, files);
                }
            } catch (NodeAccessException | io.tandem.node.config.ConfigRefusedException e) {
                log.debug("no config comparison for {}: {}", cluster.name(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("comparing the configurations of {} failed unexpectedly", cluster.name(), e);
            } finally {
                driftDue.put(cluster.id(), clock.instant().plus(DRIFT_INTERVAL));
                driftInFlight.remove(cluster.id());
            }
        });
    }

    /** Keeps one change stream per pinned agent node, reopening a broken one at most every few seconds. */
    private void ensureWatched(ClusterView cluster, ClusterView.NodeView node, Instant now) {
        if (node.access() != AccessKind.AGENT || node.pinnedFingerprint() == null) {
            return;
        }
        io.tandem.access.NodeAccess.Watch watch = watches.get(node.id());
        if ((watch != null && watch.isOpen()) || now.isBefore(nextWatchAttempt.getOrDefault(node.id(), Instant.EPOCH))) {
            return;
        }
        nextWatchAttempt.put(node.id(), now.plus(WATCH_RETRY));
        execute(() -> { }, () -> {
            try {
                connections.watch(cluster.id(), node.id(), () -> changed(cluster, node))
                        .ifPresent(opened -> {
                            io.tandem.access.NodeAccess.Watch previous = watches.put(node.id(), opened);
                            if (previous != null) {
                                previous.close();
                            }
                        });
            } catch (NodeAccessException | RuntimeException e) {
                log.debug("no change stream from {} yet: {}", node.name(), e.getMessage());
            }
        });
    }

    /**
     * The node's agent reported a change: read it now rather than at the next tick (the operator waits for this
     * one); a change during a read in flight makes the node due again right after it, as that read may predate it.
     */
    void changed(ClusterView cluster, ClusterView.NodeView node) {
        if (inFlight.add(node.id())) {
            submitRead(cluster, node);
        } else {
            changedDuringRead.add(node.id());
            if (inFlight.add(node.id())) { // the read finished meanwhile: this change is still unread
                changedDuringRead.remove(node.id());
                submitRead(cluster, node);
            }
        }
    }

    /** Reads the node on a reader; its in-flight mark goes if no reader takes the read (the poller is stopping). */
    private void submitRead(ClusterView cluster, ClusterView.NodeView node) {
        execute(() -> inFlight.remove(node.id()), () -> read(cluster, node));
    }

    /**
     * Runs {@code work} on a reader. A stopped poller refuses it (a change stream or a pair's judgement may still call
     * in while it stops): then {@code refused} undoes what was marked for it, and nothing is thrown at the caller.
     */
    private void execute(Runnable refused, Runnable work) {
        ExecutorService executor = readers;
        try {
            executor.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            refused.run();
        }
    }

    /**
     * A pair's roles changed or a finding was raised or cleared (judged on one node's new reading): its SSH nodes are
     * read faster for a while, and now, as the other node's view has likely changed too (see {@link UnsettledPairs}).
     */
    @Override
    public void healthChanged(PairStates.HealthChanged event) {
        ClusterView cluster = event.cluster();
        if (!event.judgedHere() || !unsettled.changed(cluster.id(), event.diff(), clock.instant()) || !running) {
            return;
        }
        for (ClusterView.NodeView node : cluster.nodes()) {
            if (node.access() == AccessKind.SSH) {
                changed(cluster, node);
            }
        }
    }

    private void read(ClusterView cluster, ClusterView.NodeView node) {
        try {
            if (!ownership.owns(cluster.id())) {
                return; // given to another console since this read was asked for
            }
            NodeObservation observation;
            try {
                NodeSnapshot snapshot = connections.snapshot(cluster.id(), node.id());
                observation = NodeObservation.read(node.name(), snapshot, clock.instant());
                failures.remove(node.id());
            } catch (NodeAccessException e) {
                observation = NodeObservation.failed(node.name(), e, clock.instant());
                failures.merge(node.id(), 1, Integer::sum);
            }
            states.observed(cluster, node.id(), observation);
            if (shared != null) {
                shared.offer(cluster, node.id(), observation);
            }
        } catch (RuntimeException e) {
            failures.merge(node.id(), 1, Integer::sum);
            unexpected(cluster, node, e);
        } finally {
            due.put(node.id(), changedDuringRead.remove(node.id()) ? Instant.EPOCH : clock.instant().plus(interval(cluster, node)));
            inFlight.remove(node.id());
        }
    }

    /**
     * A read that failed in an unforeseen way still says the node was not read: keeping its last picture would show
     * a node that may be gone as alive until the data went stale. The pair may also have been deleted meanwhile,
     * which is the one expected case.
     */
    private void unexpected(ClusterView cluster, ClusterView.NodeView node, RuntimeException e) {
        if (!pairExists(cluster)) {
            log.debug("{} of {} was read while its pair was deleted: {}", node.name(), cluster.name(), e.toString());
            return;
        }
        log.warn("reading {} of {} failed unexpectedly", node.name(), cluster.name(), e);
        try {
            states.observed(cluster, node.id(), NodeObservation.failed(node.name(),
                    new NodeAccessException.BadAnswer("reading the node failed unexpectedly: " + e, e), clock.instant()));
        } catch (RuntimeException again) {
            log.warn("could not record the failed read of {}", node.name(), again);
        }
    }

    /** Whether the pair is still registered; when the database cannot say, it is taken to be. */
    private boolean pairExists(ClusterView cluster) {
        try {
            return fleet.exists(cluster.id());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private Duration interval(ClusterView cluster, ClusterView.NodeView node) {
        return schedule.next(node.access(), failures.getOrDefault(node.id(), 0),
                unsettled.isUnsettled(cluster.id(), clock.instant()));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
