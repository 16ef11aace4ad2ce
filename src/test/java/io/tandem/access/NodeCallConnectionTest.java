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
