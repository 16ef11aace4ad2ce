package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class UnsettledPairsTest {

    private static final MonitorProperties PROPERTIES = new MonitorProperties(true, Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(20),
            Duration.ofSeconds(60), 16, Duration.ofDays(30), Duration.ofSeconds(15));
    private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
    private static final Finding STALE_10S = finding("Data from nfo-a is 10s old");
    private static final Finding STALE_11S = finding("Data from nfo-a is 11s old");

    private final UnsettledPairs pairs = new UnsettledPairs(PROPERTIES);
    private final UUID pair = UUID.randomUUID();

    @Test
    void aRoleChangeUnsettlesThePairAndAsksForAnEarlyRead() {
        assertThat(pairs.changed(pair, roleChange(), T0)).isTrue();

        assertThat(pairs.isUnsettled(pair, T0.plusSeconds(59))).isTrue();
        assertThat(pairs.isUnsettled(pair, T0.plusSeconds(60))).as("quiet for the whole hold").isFalse();
        assertThat(pairs.isUnsettled(UUID.randomUUID(), T0)).as("another pair").isFalse();
    }

    @Test
    void raisedAndClearedFindingsCountButAChangeOfWordingDoesNot() {
        assertThat(pairs.changed(pair, new HealthDiff(List.of(), List.of(), List.of(new HealthDiff.Change(STALE_10S, STALE_11S)),
                List.of()), T0)).isFalse();
        assertThat(pairs.isUnsettled(pair, T0)).isFalse();

        assertThat(pairs.changed(pair, new HealthDiff(List.of(STALE_10S), List.of(), List.of(), List.of()), T0)).isTrue();
        assertThat(pairs.changed(UUID.randomUUID(), new HealthDiff(List.of(), List.of(STALE_10S), List.of(), List.of()), T0))
                .isTrue();
    }

    @Test
    void earlyReadsAreAtMostOnePerUnsettledIntervalWhileEachChangeExtendsTheHold() {
        assertThat(pairs.changed(pair, roleChange(), T0)).isTrue();
        assertThat(pairs.changed(pair, roleChange(), T0.plusMillis(400))).isFalse();
        assertThat(pairs.changed(pair, roleChange(), T0.plusMillis(999))).isFalse();
        assertThat(pairs.changed(pair, roleChange(), T0.plusMillis(1000))).isTrue();

        assertThat(pairs.isUnsettled(pair, T0.plusMillis(60_999))).as("held from the latest change").isTrue();
    }

    @Test
    void settledPairsAreForgotten() {
        pairs.changed(pair, roleChange(), T0);
        pairs.forgetSettled(T0.plusSeconds(61));

        assertThat(pairs.isUnsettled(pair, T0.plusSeconds(30))).as("forgotten, even if asked about the past").isFalse();
        assertThat(pairs.changed(pair, roleChange(), T0.plusSeconds(61).plusMillis(1))).as("its early reads too").isTrue();
    }

    private static HealthDiff roleChange() {
        return new HealthDiff(List.of(), List.of(), List.of(),
                List.of(new HealthDiff.RoleChange("nfo-b", NodeRole.PASSIVE_HOT, NodeRole.ACTIVE)));
    }

    private static Finding finding(String cause) {
        return new Finding(Severity.WARNING, Finding.Kind.STALE_DATA, cause, "impact", List.of(), "nfo-a");
    }
}
