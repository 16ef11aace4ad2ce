package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.tandem.access.NodeDirectory;
import io.tandem.access.NodeTarget;
import io.tandem.console.Rejected;
import io.tandem.support.ConsoleTest;

/** The pin is written after the node was reached, in its own transaction: only for the endpoint that was reached. */
@ConsoleTest
class FleetNodeDirectoryTest {

    private static final String KEY = "sha256:" + "ab".repeat(32);

    @Autowired
    NodeDirectory directory;
    @Autowired
    FleetService fleet;

    @Test
    void aKeyReadFromTheNodesEndpointIsPinned() {
        ClusterView pair = fleet.create(spec("10.20.0.1"));
        UUID node = pair.nodes().get(0).id();
        NodeTarget reached = directory.target(pair.id(), node);
        assertThat(reached.pinnedFingerprint()).isNull();

        directory.pin(pair.id(), node, reached, KEY);

        assertThat(directory.target(pair.id(), node).pinnedFingerprint()).isEqualTo(KEY);
    }

    @Test
    void aKeyReadBeforeTheNodeWasMovedIsRefused() {
        ClusterView pair = fleet.create(spec("10.20.0.1"));
        UUID node = pair.nodes().get(0).id();
        NodeTarget reached = directory.target(pair.id(), node);
        ClusterSpec moved = spec("10.20.0.9");
        fleet.update(pair.id(), new ClusterSpec(pair.name(), moved.mode(), null, null, null, null, null, moved.nodes()), null);

        assertThatThrownBy(() -> directory.pin(pair.id(), node, reached, KEY))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(Rejected.Kind.CONFLICT))
                .hasMessageContaining("10.20.0.9");
        assertThat(directory.target(pair.id(), node).pinnedFingerprint()).isNull();
    }

    @Test
    void anUnknownNodeIsNotFound() {
        assertThatThrownBy(() -> directory.target(UUID.randomUUID(), UUID.randomUUID()))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(Rejected.Kind.NOT_FOUND));
    }

    private static ClusterSpec spec(String firstAddress) {
        return new ClusterSpec("directory-" + UUID.randomUUID().toString().substring(0, 8), ClusterMode.HOT, null, null, null,
                null, null, List.of(FleetRulesTest.node("nfo-a", firstAddress), FleetRulesTest.node("nfo-b", "10.20.0.2")));
    }
}
