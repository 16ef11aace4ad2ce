package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.netflow.CachedTemplate;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.TemplateDefinition;
import io.tandem.netflow.TemplateField;
import io.tandem.netflow.TemplateKey;
import io.tandem.netflow.TemplateKind;
import io.tandem.netflow.TemplateSnapshot;

/** Rates an operator reads on the pair picture, from two readings of a node's counters. */
class NodeRatesTest {

    @Test
    void ratesAreCounterDifferencesOverTheNodesOwnClock() {
        NodeObservation earlier = observe(Snapshots.node("nfo-b").takenAt(Snapshots.T0).udp(10_000, 400)
                .blockedHavingDropped(1_000).templates(templates(5_000, 2_000)));
        NodeObservation later = observe(Snapshots.node("nfo-b").takenAt(Snapshots.T0.plusSeconds(2)).udp(10_600, 420)
                .blockedHavingDropped(1_300).templates(templates(5_500, 2_300)));

        NodeRates rates = NodeRates.between(earlier, later);

        assertThat(rates.recordsIn()).isEqualTo(400.0);      // (500 + 300) records over 2 s
        assertThat(rates.datagramsIn()).isEqualTo(300.0);
        assertThat(rates.heldBack()).isEqualTo(150.0);
        assertThat(rates.datagramsOut()).isEqualTo(10.0);
    }

    @Test
    void aCounterThatWentBackwardsIsNoRateAndAnOpenGateHoldsNothingBack() {
        NodeObservation earlier = observe(Snapshots.node("nfo-a").takenAt(Snapshots.T0).udp(10_000, 400)
                .templates(templates(5_000, 2_000)));
        NodeObservation restarted = observe(Snapshots.node("nfo-a").takenAt(Snapshots.T0.plusSeconds(4)).udp(10_400, 800)
                .templates(templates(10, 0)));

        NodeRates rates = NodeRates.between(earlier, restarted);

        assertThat(rates.recordsIn()).as("NFO restarted: its cache counts from zero again").isNull();
        assertThat(rates.heldBack()).as("the gate is open").isNull();
        assertThat(rates.datagramsOut()).isEqualTo(100.0);
    }

    @Test
    void readingsTooCloseTogetherOrWithoutASnapshotGiveNoRates() {
        NodeObservation earlier = observe(Snapshots.node("nfo-a").takenAt(Snapshots.T0).udp(10_000, 400));
        NodeObservation soon = observe(Snapshots.node("nfo-a").takenAt(Snapshots.T0.plusMillis(300)).udp(10_100, 410));
        assertThat(NodeRates.between(earlier, soon)).isEqualTo(NodeRates.UNKNOWN);
        NodeObservation unreachable = new NodeObservation("nfo-a", null,
                new NodeObservation.ReadFailure("unreachable", "connection refused"), Snapshots.T0.plusSeconds(2));
        assertThat(NodeRates.between(earlier, unreachable)).isEqualTo(NodeRates.UNKNOWN);
    }

    static NodeObservation observe(Snapshots.Builder snapshot) {
        var built = snapshot.build();
        return NodeObservation.read(built.host().hostname(), built, built.takenAt());
    }

    /** Two templates of one exporter that have decoded {@code first} and {@code second} data records. */
    static TemplateSnapshot templates(long first, long second) {
        TemplateDefinition definition = new TemplateDefinition(TemplateKind.V9, 0,
                List.of(new TemplateField(8, 0, 4), new TemplateField(12, 0, 4)));
        Exporter exporter = Exporter.parse("192.0.2.7");
        long now = Snapshots.T0.toEpochMilli();
        return new TemplateSnapshot(now, List.of(
                new CachedTemplate(new TemplateKey(exporter, 0, 256), definition, now - 60_000, now, 3, 20_000, first, now, 100),
                new CachedTemplate(new TemplateKey(exporter, 0, 257), definition, now - 60_000, now, 3, 20_000, second, now, 50)));
    }
}
