package io.tandem.monitor;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;

/**
 * Consoles sharing a database see the same picture: the console that reads a pair writes its nodes' observations and
 * its configuration drift to {@code pair_share} and wakes the others with {@code NOTIFY}; they judge what they receive
 * exactly as the reader did ({@link PairStates#observed}), so every page and push on every console shows the same
 * roles and findings. The history and alerts stay with the reader ({@link PairOwnership}).
 * <p>
 * A reading is shared at once when its pair's roles or findings changed, else at most every quarter of the freshness
 * bound per node (never stale elsewhere, and a fraction of the writes). Writes are gathered for {@link #FLUSH_EVERY},
 * outside the read, and serialised across consoles by an advisory lock so versions commit in order and a console
 * reading "newer than what I saw" misses none. A missed notification costs at most {@link #PULL_EVERY}.
 */
@Component
@ConditionalOnProperty(name = "tandem.instances.enabled", havingValue = "true")
class SharedReadings implements SmartLifecycle, PairListener {

    private static final Logger log = LoggerFactory.getLogger(SharedReadings.class);
    static final String CHANNEL = "tandem_pair_share";
    private static final long SHARE_LOCK = 0x74616e64656d02L;
    private static final Duration FLUSH_EVERY = Duration.ofMillis(50);
    private static final Duration PULL_EVERY = Duration.ofSeconds(1);
    private static final Duration FLEET_REFRESH = Duration.ofSeconds(5);
    private static final int PULL_BATCH = 5000;
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private record Pending(UUID subject, UUID clusterId, String kind, Object body) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DataSource dataSource;
    private final PairStates states;
    private final FleetService fleet;
    private final PairOwnership ownership;
    private final Duration shareEvery;
    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> lastShared = new ConcurrentHashMap<>();
    private final Map<UUID, List<String>> driftShared = new ConcurrentHashMap<>();
    private final Set<UUID> urgent = ConcurrentHashMap.newKeySet();
    private volatile Map<UUID, ClusterView> clusters = Map.of();
    private volatile long clustersReadNanos;
    private volatile long lastVersion;
    private ScheduledExecutorService writer;
    private Thread listener;
    private volatile boolean running;

    SharedReadings(JdbcTemplate jdbc, TransactionTemplate transactions, DataSource dataSource, PairStates states,
                   FleetService fleet, ObjectProvider<PairOwnership> ownership, MonitorProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.states = states;
        this.fleet = fleet;
        this.ownership = ownership.getIfAvailable(() -> PairOwnership.EVERY_PAIR);
        this.shareEvery = properties.freshness().dividedBy(4);
    }

    /** The reader judged a node's new observation: share it now if its pair changed, else when it is due. */
    void offer(ClusterView cluster, UUID nodeId, NodeObservation observation) {
        Instant last = lastShared.get(nodeId);
        if (urgent.remove(cluster.id()) || last == null || !observation.observedAt().isBefore(last.plus(shareEvery))) {
            lastShared.put(nodeId, observation.observedAt());
            pending.put(nodeId, new Pending(nodeId, cluster.id(), "NODE", observation));
        }
    }

    /** The reader compared the pair's configurations: share the result when it changed. */
    void offerDrift(ClusterView cluster, List<String> files) {
        if (!List.copyOf(files).equals(driftShared.put(cluster.id(), List.copyOf(files)))) {
            pending.put(cluster.id(), new Pending(cluster.id(), cluster.id(), "DRIFT", List.copyOf(files)));
        }
    }

    @Override
    public void healthChanged(PairStates.HealthChanged change) {
        if (change.judgedHere()) {
            urgent.add(change.cluster().id());
        }
    }

    @Override
    public void start() {
        running = true;
        writer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pair-share-writer"));
        writer.scheduleWithFixedDelay(this::flush, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        listener = daemon(this::listen, "pair-share-listener");
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        writer.shutdownNow();
        listener.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (UUID subject : List.copyOf(pending.keySet())) {
            Pending item = pending.remove(subject);
            if (item != null) {
                rows.add(new Object[] {item.subject(), item.clusterId(), item.kind(), JSON.writeValueAsString(item.body())});
            }
        }
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.queryForObject("select pg_advisory_xact_lock(?)", Object.class, SHARE_LOCK);
                jdbc.batchUpdate("""
                        insert into pair_share (subject_id, cluster_id, kind, version, body)
                        values (?, ?, ?, nextval('pair_share_version'), ?)
                        on conflict (subject_id) do update set version = excluded.version, body = excluded.body""", rows);
                jdbc.queryForObject("select pg_notify(?, '')", Object.class, CHANNEL);
            });
        } catch (RuntimeException e) {
            // a pair deleted meanwhile (foreign key), or the database away: the next reading is shared again soon
            log.debug("could not share {} reading(s): {}", rows.size(), e.toString());
            rows.forEach(row -> lastShared.remove((UUID) row[0]));
        }
    }

    /** Waits for notifications on its own connection (never one of the pool's), and pulls at least every second. */
    private void listen() {
        while (running) {
            try (Connection connection = listeningConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                pull();
                while (running) {
                    PGNotification[] notes = pg.getNotifications((int) PULL_EVERY.toMillis());
                    pull();
                    if (notes == null || notes.length == 0) {
                        try (Statement ping = connection.createStatement()) { // a dead connection shows here
                            ping.execute("select 1");
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("shared readings: {}; listening again in a second", e.toString());
                    sleep(PULL_EVERY);
                }
            }
        }
    }

    /** Judges what other consoles shared since the last pull, for the pairs this console does not read. */
    void pull() {
        List<Object[]> rows;
        do {
            rows = jdbc.query("select subject_id, cluster_id, kind, version, body from pair_share where version > ? order by version limit ?",
                    (rs, i) -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getLong(4), rs.getString(5)}, lastVersion, PULL_BATCH);
            for (Object[] row : rows) {
                apply((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[4]);
                lastVersion = (Long) row[3];
            }
        } while (rows.size() == PULL_BATCH);
    }

    private void apply(UUID subject, UUID clusterId, String kind, String body) {
        if (ownership.owns(clusterId)) {
            return; // this console read it itself
        }
        ClusterView cluster = cluster(clusterId);
        if (cluster == null) {
            return;
        }
        try {
            if (kind.equals("DRIFT")) {
                states.drifted(cluster, JSON.readValue(body, new TypeReference<List<String>>() { }));
            } else if (cluster.nodes().stream().anyMatch(n -> n.id().equals(subject))) {
                NodeObservation observation = JSON.readValue(body, NodeObservation.class);
                if (states.newerThanKnown(subject, observation)) {
                    states.observed(cluster, subject, observation);
                }
            }
        } catch (RuntimeException e) {
            log.warn("a shared reading of {} could not be judged: {}", cluster.name(), e.toString());
        }
    }

    private ClusterView cluster(UUID id) {
        ClusterView cluster = clusters.get(id);
        if (cluster == null || System.nanoTime() - clustersReadNanos > FLEET_REFRESH.toNanos()) {
            Map<UUID, ClusterView> read = new HashMap<>();
            fleet.list().forEach(c -> read.put(c.id(), c));
            clusters = read;
            clustersReadNanos = System.nanoTime();
            cluster = read.get(id);
        }
        return cluster;
    }

    /** LISTEN needs one connection for as long as it listens: opened beside the pool, with the pool's settings. */
    private Connection listeningConnection() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari) {
            Properties properties = new Properties();
            hikari.getDataSourceProperties().forEach((key, value) -> properties.setProperty(key.toString(), value.toString()));
            if (hikari.getUsername() != null) {
                properties.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                properties.setProperty("password", hikari.getPassword());
            }
            return DriverManager.getConnection(hikari.getJdbcUrl(), properties);
        }
        return dataSource.getConnection();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
