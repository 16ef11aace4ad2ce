package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tandem.node.ActiveState;
import io.tandem.node.GateDestination;
import io.tandem.node.GateRule;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;
import io.tandem.node.HostFacts;
import io.tandem.node.NodeSnapshot;
import io.tandem.node.ServiceState;

class ChangeWatcherTest {

    private static NodeSnapshot snapshot(GateStatus gate, long packets, Duration uptime) {
        return new NodeSnapshot(Instant.now(), new HostFacts("n", uptime, "6.1", Instant.now()),
                new ServiceState("loaded", ActiveState.ACTIVE, "running", 42, null, "", 0, "disabled"), null,
                new GateState(gate, true, gate == GateStatus.BLOCKED
                        ? List.of(new GateRule(7, GateDestination.of("10.77.0.2", GateDestination.Transport.UDP, 514), true,
                                packets, packets * 100, "tandem-gate"))
                        : List.<GateRule>of(), List.of(), "1.0.6"), null, null, null, null, List.of());
    }

    @Test
    void movingCountersAreNoChangeButAGateFlipIs() {
        Map<String, Object> before = ChangeWatcher.digest(snapshot(GateStatus.BLOCKED, 10, Duration.ofSeconds(5)));
        Map<String, Object> later = ChangeWatcher.digest(snapshot(GateStatus.BLOCKED, 99, Duration.ofSeconds(9)));
        Map<String, Object> flipped = ChangeWatcher.digest(snapshot(GateStatus.OPEN, 99, Duration.ofSeconds(9)));
        assertThat(later).isEqualTo(before);
        assertThat(flipped.get("gate")).isNotEqualTo(before.get("gate"));
        assertThat(flipped.get("service")).isEqualTo(before.get("service"));
    }
}
