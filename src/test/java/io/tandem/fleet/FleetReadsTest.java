package io.tandem.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.tandem.access.NodeDirectory;
import io.tandem.console.Rejected;
import io.tandem.support.ConsoleTest;

/** The fleet as pages and the API read it (shared between changes) shows every change the moment it is committed. */
@ConsoleTest
class FleetReadsTest {

    private static final String KEY = "sha256:" + "cd".repeat(32);

    @Autowired
    FleetService fleet;
    @Autowired
    NodeDirectory directory;

    @Test
    void aRegisteredEditedAndDeletedPairShowsAtOnce() {
        fleet.list(); // the fleet as read before the changes
        ClusterView pair = fleet.create(spec("reads-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(fleet.list()).extracting(ClusterView::id).contains(pair.id());

        ClusterSpec renamed = new ClusterSpec(pair.name() + "-renamed", ClusterMode.HOT, "edited", null, null, null, null,
                spec(pair.name()).nodes());
        fleet.update(pair.id(), renamed, pair.version());
        assertThat(fleet.get(pair.id()).name()).isEqualTo(pair.name() + "-renamed");
        assertThat(fleet.list()).filteredOn(c -> c.id().equals(pair.id())).extracting(ClusterView::description).containsExactly("edited");

        fleet.ignoreDrift(pair.id(), List.of("server/etc/license.key"), null);
        assertThat(fleet.get(pair.id()).driftIgnore()).containsExactly("server/etc/license.key");

        fleet.delete(pair.id());
        assertThat(fleet.list()).extracting(ClusterView::id).doesNotContain(pair.id());
        assertThatThrownBy(() -> fleet.get(pair.id()))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(Rejected.Kind.NOT_FOUND));
    }

    @Test
    void aPinnedKeyShowsAtOnce() {
        ClusterView pair = fleet.create(spec("reads-" + UUID.randomUUID().toString().substring(0, 8)));
        UUID node = pair.nodes().get(0).id();
        assertThat(fleet.get(pair.id()).nodes().get(0).pinnedFingerprint()).isNull();

        directory.pin(pair.id(), node, directory.target(pair.id(), node), KEY);

        assertThat(fleet.get(pair.id()).nodes().get(0).pinnedFingerprint()).isEqualTo(KEY);
        assertThat(fleet.list()).filteredOn(c -> c.id().equals(pair.id()))
                .extracting(c -> c.nodes().get(0).pinnedFingerprint()).containsExactly(KEY);
    }

    private static ClusterSpec spec(String name) {
        return new ClusterSpec(name, ClusterMode.HOT, null, null, null, null, null,
                List.of(FleetRulesTest.node("nfo-a", "10.21.0.1"), FleetRulesTest.node("nfo-b", "10.21.0.2")));
    }
}
