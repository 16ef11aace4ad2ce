package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * The monitor stops and starts again (Spring pauses and resumes a cached test context this way) and reads every node
 * afterwards. A read asked for as it stopped once kept its node unread for good: CI saw a demo node stale for ten
 * minutes.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class MonitorRestartTest {

    @Autowired
    NodePoller poller;
    @Autowired
    PairStates states;
    @Autowired
    FleetService fleet;

    @Test
    void aReadAskedForWhileTheMonitorStoppedDoesNotKeepItsNodeUnreadAfterItStartsAgain() throws Exception {
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        ClusterView.NodeView node = hot.nodes().get(0);
        assertThat(readSince(hot, node, Instant.EPOCH, Duration.ofSeconds(60))).as("read before the stop").isTrue();

        poller.stop();
        try {
            poller.changed(hot, node); // the node's change stream reports as the monitor stops
        } finally {
            poller.start();
        }
        Instant restarted = Instant.now();
        assertThat(readSince(hot, node, restarted, Duration.ofSeconds(30))).as("%s read again after the restart", node.name()).isTrue();
        ClusterView.NodeView other = hot.nodes().get(1);
        assertThat(readSince(hot, other, restarted, Duration.ofSeconds(30))).as("%s read again after the restart", other.name()).isTrue();
    }

    private boolean readSince(ClusterView pair, ClusterView.NodeView node, Instant since, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            NodeObservation seen = states.state(pair.id()).map(s -> s.observations().get(node.name())).orElse(null);
            if (seen != null && seen.snapshot() != null && seen.observedAt().isAfter(since)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
