package io.tandem.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.node.NodeAccessException;
import io.tandem.support.BlackHole;
import io.tandem.support.ConsoleTest;

/** A node call holds no database connection while the node keeps it waiting (ADR 0011). */
@ConsoleTest
class NodeCallConnectionTest {

    @Autowired
    NodeConnections connections;
    @Autowired
    FleetService fleet;
    @Autowired
    DataSource dataSource;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aCallWaitingOnASilentSshNodeHoldsNoDatabaseConnection() throws Exception {
        try (BlackHole hole = BlackHole.open()) {
            assertNoConnectionHeldWhileBlocked(hole, fleet.create(hole.pair(AccessKind.SSH)));
        }
    }

    @Test
    void aCallWaitingOnASilentAgentHoldsNoDatabaseConnection() throws Exception {
        try (BlackHole hole = BlackHole.open()) {
            assertNoConnectionHeldWhileBlocked(hole, fleet.create(hole.pair(AccessKind.AGENT)));
        }
    }

    @Test
    void aNodeCallInsideATransactionIsRefusedBeforeTheNodeIsContacted() throws Exception {
        try (BlackHole hole = BlackHole.open()) {
            ClusterView pair = fleet.create(hole.pair(AccessKind.SSH));
            UUID node = pair.nodes().get(0).id();
            assertThatThrownBy(() -> transactions.execute(status -> {
                try {
                    return connections.snapshot(pair.id(), node);
                } catch (NodeAccessException e) {
                    throw new AssertionError("the node should not have been called", e);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a database transaction");
            assertThat(hole.acceptedConnections()).isZero();
        }
    }

    /**
     * The monitor reads each node several times a second: those reads look the node up once, not once each (every
     * lookup took a pool connection), and a change made through the console reaches the very next read.
     */
    @Test
    void repeatedReadsLookTheNodeUpOnceAndAnEditReachesTheNextRead() throws Exception {
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(21);
        try (BlackHole first = BlackHole.open(); BlackHole second = BlackHole.open()) {
            ClusterView pair = fleet.create(first.pair(AccessKind.AGENT));
            UUID node = pair.nodes().get(0).id();
            CountingLookups lookups = new CountingLookups(meters);
            readers.execute(() -> readQuietly(pair.id(), node));
            first.awaitOpen(1, Duration.ofSeconds(30));
            for (int read = 1; read < 20; read++) {
                readers.execute(() -> readQuietly(pair.id(), node));
            }
            first.awaitOpen(20, Duration.ofSeconds(30));
            assertThat(lookups.made()).as("pool connections taken for 20 reads of one node").isLessThanOrEqualTo(8);

            var nodes = new java.util.ArrayList<>(fleet.get(pair.id()).nodes().stream().map(n -> new io.tandem.fleet.NodeSpec(n.name(),
                    n.address(), n.access(), null, null, n.agentPort(), null, null, null, null, null, null)).toList());
            var moved = nodes.get(0);
            nodes.set(0, new io.tandem.fleet.NodeSpec(moved.name(), moved.address(), moved.access(), null, null, second.port(),
                    null, null, null, null, null, null));
            var spec = first.pair(AccessKind.AGENT);
            fleet.update(pair.id(), new io.tandem.fleet.ClusterSpec(pair.name(), spec.mode(), null, null, null, null, null, nodes), null);
            readers.execute(() -> readQuietly(pair.id(), node));
            second.awaitOpen(1, Duration.ofSeconds(10));
        } finally {
            readers.shutdownNow();
        }
    }

    /**
     * The node readers take each node's target from the fleet as last read for everyone (one query for the whole
     * fleet every couple of seconds), not from a lookup of their own: before, every node was looked up in the database
     * every 2 s, about 100 lookups a second for 100 pairs, a quarter of the readers' work under load.
     */
    @Test
    void readsOfManyNodesTakeTheirTargetsFromTheFleetAsLastRead() throws Exception {
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(40);
        List<ClusterView> pairs = new java.util.ArrayList<>();
        try (BlackHole hole = BlackHole.open()) {
            for (int i = 0; i < 20; i++) {
                pairs.add(fleet.create(hole.pair(AccessKind.AGENT)));
            }
            fleet.list(); // the fleet read once, as pages and the monitor read it
            CountingLookups lookups = new CountingLookups(meters);
            for (ClusterView pair : pairs) {
                for (var node : pair.nodes()) {
                    readers.execute(() -> readQuietly(pair.id(), node.id()));
                }
            }
            hole.awaitOpen(40, Duration.ofSeconds(30));
            assertThat(lookups.made()).as("pool connections taken to read 40 nodes once each").isLessThanOrEqualTo(10);
        } finally {
            readers.shutdownNow();
            pairs.forEach(pair -> fleet.delete(pair.id()));
        }
    }

    private void readQuietly(UUID clusterId, UUID nodeId) {
        try {
            connections.snapshot(clusterId, nodeId);
        } catch (NodeAccessException | RuntimeException expected) {
            // the node never answers; only which address was dialled matters here
        }
    }

    /**
     * Connections taken from the pool from now on (HikariCP's acquire timer): each lookup takes one; other work of the
     * shared context may take a few, far fewer than one per read.
     */
    private static final class CountingLookups {
        private final io.micrometer.core.instrument.MeterRegistry meters;
        private final long before;

        CountingLookups(io.micrometer.core.instrument.MeterRegistry meters) {
            this.meters = meters;
            this.before = count();
        }

        long made() {
            return count() - before;
        }

        private long count() {
            return meters.get("hikaricp.connections.acquire").timers().stream().mapToLong(t -> t.count()).sum();
        }
    }

    /**
     * While the node holds the call (its connection is open on the black hole and the call has not returned), the pool
     * must at some moment show no active connection. Inside a transaction the call would keep one active until the node
     * timed out; other work of the shared context may take one briefly, so one idle sample is what is asked for.
     */
    private void assertNoConnectionHeldWhileBlocked(BlackHole hole, ClusterView pair) throws Exception {
        HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
        UUID node = pair.nodes().get(0).id();
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return connections.snapshot(pair.id(), node);
            } catch (NodeAccessException e) {
                return e;
            }
        });
        hole.awaitOpen(1, Duration.ofSeconds(30));
        boolean idleWhileBlocked = false;
        while (!call.isDone() && !idleWhileBlocked) {
            int active = pool.getActiveConnections();
            idleWhileBlocked = active == 0 && hole.openConnections() > 0 && !call.isDone();
            Thread.sleep(10);
        }
        assertThat(idleWhileBlocked).as("no database connection active while the node call was blocked").isTrue();
        assertThat(call.get(60, TimeUnit.SECONDS)).as("the silent node ends in a timeout")
                .isInstanceOf(NodeAccessException.TimedOut.class);
    }
}
