package io.tandem.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.alerts.FailoverGrace.Item;
import io.tandem.alerts.FailoverGrace.Kind;
import io.tandem.fleet.ClusterMode;
import io.tandem.monitor.Finding;
import io.tandem.monitor.HealthDiff;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairHealth;
import io.tandem.monitor.Severity;
import io.tandem.monitor.Survival;

/** What a pair's alerts say, driven through judged healths on a controlled clock (grace 30 s). */
class FailoverGraceTest {

    private static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final FailoverGrace grace = new FailoverGrace(GRACE);
    private PairHealth before;

    @Test
    void aCrashFailoverWithinTheGraceIsOneWarningAndTheNodesReturnARecovery() {
        assertThat(judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT))).isEmpty();

        assertThat(judge(1_000, health(NodeRole.UNREACHABLE, NodeRole.PASSIVE_HOT, unreachable("hot-a", Severity.CRITICAL))))
                .as("the lost active waits for the grace").isEmpty();
        List<Item> takeover = judge(2_200, health(NodeRole.UNREACHABLE, NodeRole.ACTIVE, unreachable("hot-a", Severity.WARNING)));

        assertThat(takeover).extracting(Item::kind, Item::severity, Item::node).containsExactly(tuple(Kind.FAILOVER, Severity.WARNING, "hot-b"));
        Item failover = takeover.get(0);
        assertThat(failover.cause()).isEqualTo("hot-b took over from hot-a after node crash; output gap about 1.2 s as seen by Tandem");
        assertThat(failover.fields()).containsEntry("from", "hot-a").containsEntry("to", "hot-b")
                .containsEntry("reason", "node crash").containsEntry("gapSeconds", 1.2);
        assertThat(grace.tick(T0.plusSeconds(120))).as("nothing more while hot-a stays down").isEmpty();

        List<Item> back = judge(200_000, health(NodeRole.PASSIVE_HOT, NodeRole.ACTIVE));
        assertThat(back).extracting(Item::kind, Item::node, Item::cause)
                .containsExactly(tuple(Kind.RECOVERED, "hot-a", "Recovered: hot-a is back: PASSIVE_HOT"));
    }

    @Test
    void aSurvivorSeenSendingBeforeTheCrashedNodeWasSeenLostIsATakeoverWithoutAGap() {
        judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));
        assertThat(judge(500, health(NodeRole.ACTIVE, NodeRole.ACTIVE))).as("old and new reading, no split brain judged").isEmpty();

        List<Item> items = judge(900, health(NodeRole.UNREACHABLE, NodeRole.ACTIVE, unreachable("hot-a", Severity.WARNING)));

        assertThat(items).extracting(Item::kind).containsExactly(Kind.FAILOVER);
        assertThat(items.get(0).cause()).startsWith("hot-b took over from hot-a after node crash; no output gap seen");
    }

    @Test
    void nfoRestartedInPlaceIsOneWarningWithTheMostTellingCause() {
        judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));
        assertThat(judge(1_000, health(NodeRole.FAILED, NodeRole.PASSIVE_HOT))).isEmpty();
        assertThat(judge(2_000, health(NodeRole.FAILED, NodeRole.PASSIVE_HOT, noOutput()))).isEmpty();
        assertThat(judge(3_000, health(NodeRole.STOPPED, NodeRole.PASSIVE_HOT, noOutput()))).isEmpty();

        List<Item> items = judge(3_500, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));

        assertThat(items).extracting(Item::kind, Item::severity).containsExactly(tuple(Kind.FAILOVER, Severity.WARNING));
        assertThat(items.get(0).cause()).isEqualTo("hot-a resumed output after NFO failure; output gap about 2.5 s as seen by Tandem");
        assertThat(grace.tick(T0.plusSeconds(60))).as("the no-output finding cleared within the grace").isEmpty();
    }

    @Test
    void anOutageThatOutlastsTheGraceIsCriticalAndItsEndRecovers() {
        judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));
        judge(1_000, health(NodeRole.UNREACHABLE, NodeRole.PASSIVE_HOT, unreachable("hot-a", Severity.WARNING)));
        assertThat(judge(3_000, health(NodeRole.UNREACHABLE, NodeRole.PASSIVE_HOT, unreachable("hot-a", Severity.CRITICAL))))
                .as("critical once the passive was read, still within the grace").isEmpty();

        assertThat(grace.tick(T0.plusMillis(30_999))).isEmpty();
        List<Item> escalated = grace.tick(T0.plusMillis(31_000));
        assertThat(escalated).extracting(Item::kind, Item::subject, Item::node)
                .containsExactly(tuple(Kind.CRITICAL, "node-unreachable", "hot-a"));
        assertThat(grace.tick(T0.plusSeconds(40))).as("told once").isEmpty();

        List<Item> end = judge(45_000, health(NodeRole.UNREACHABLE, NodeRole.ACTIVE, unreachable("hot-a", Severity.WARNING)));
        assertThat(end).extracting(Item::kind, Item::subject).containsExactly(
                tuple(Kind.FAILOVER, "failover"), tuple(Kind.RECOVERED, "node-unreachable"));
        assertThat(end.get(0).cause()).contains("output gap about 44.0 s", "longer than the 30.0 s grace");
        assertThat(end.get(1).cause()).isEqualTo("Recovered: Cannot read hot-a (CRITICAL) (still WARNING: Cannot read hot-a (WARNING))");
    }

    @Test
    void anOutageWithoutAnyCriticalFindingIsCriticalOfItsOwnAfterTheGrace() {
        judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));
        judge(1_000, health(NodeRole.UNREACHABLE, NodeRole.UNREACHABLE,
                unreachable("hot-a", Severity.WARNING), unreachable("hot-b", Severity.WARNING)));

        List<Item> escalated = grace.tick(T0.plusSeconds(31));

        assertThat(escalated).extracting(Item::kind, Item::subject).containsExactly(tuple(Kind.CRITICAL, "outage"));
        assertThat(escalated.get(0).cause()).startsWith("No node has been seen sending output for 30.0 s, since hot-a stopped (node crash");
        assertThat(judge(60_000, health(NodeRole.ACTIVE, NodeRole.UNREACHABLE, unreachable("hot-b", Severity.WARNING))))
                .extracting(Item::kind, Item::cause)
                .containsExactly(tuple(Kind.FAILOVER, "hot-a resumed output after node crash; output gap about 59.0 s as seen by "
                        + "Tandem, longer than the 30.0 s grace"));
    }

    @Test
    void bothOutputsOpenHasNoGraceAndRecoversWhenClosed() {
        judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));
        assertThat(judge(500, health(NodeRole.ACTIVE, NodeRole.ACTIVE))).as("not yet judged together").isEmpty();

        List<Item> split = judge(2_000, health(NodeRole.ACTIVE, NodeRole.ACTIVE, splitBrain()));
        assertThat(split).extracting(Item::kind, Item::severity, Item::subject)
                .containsExactly(tuple(Kind.CRITICAL, Severity.CRITICAL, "split-brain-output"));

        List<Item> healed = judge(60_000, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));
        assertThat(healed).extracting(Item::kind, Item::subject).containsExactly(tuple(Kind.RECOVERED, "split-brain-output"));
    }

    @Test
    void aPassiveThatGoesDownIsAWarningAndItsReturnARecovery() {
        judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));

        List<Item> down = judge(1_000, health(NodeRole.ACTIVE, NodeRole.UNREACHABLE, unreachable("hot-b", Severity.WARNING)));
        assertThat(down).extracting(Item::kind, Item::severity, Item::node).containsExactly(tuple(Kind.ROLE_CHANGE, Severity.WARNING, "hot-b"));
        assertThat(down.get(0).cause()).startsWith("hot-b is now UNREACHABLE (was PASSIVE_HOT)");
        assertThat(judge(2_000, health(NodeRole.ACTIVE, NodeRole.FAILED))).as("still down: nothing new").isEmpty();

        assertThat(judge(9_000, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT))).extracting(Item::kind, Item::node)
                .containsExactly(tuple(Kind.RECOVERED, "hot-b"));
    }

    @Test
    void aGracedCriticalClearedWithinTheGraceIsNeverTold() {
        judge(0, health(NodeRole.PASSIVE_HOT, NodeRole.PASSIVE_HOT));
        assertThat(judge(1_000, health(NodeRole.PASSIVE_HOT, NodeRole.PASSIVE_HOT, noOutput()))).isEmpty();
        assertThat(judge(5_000, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT))).isEmpty();

        assertThat(grace.tick(T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void aCriticalThatComesBackAfterItsRecoveryIsToldAgain() {
        judge(0, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT));
        Finding keyChanged = new Finding(Severity.CRITICAL, Finding.Kind.KEY_CHANGED, "KEY CHANGED on hot-b", "Refused", List.of(), "hot-b");

        assertThat(judge(1_000, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT, keyChanged))).extracting(Item::kind).containsExactly(Kind.CRITICAL);
        assertThat(judge(2_000, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT, keyChanged))).as("the same, still open").isEmpty();
        assertThat(judge(3_000, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT))).extracting(Item::kind).containsExactly(Kind.RECOVERED);
        assertThat(judge(4_000, health(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT, keyChanged))).extracting(Item::kind).containsExactly(Kind.CRITICAL);
    }

    private List<Item> judge(long millis, PairHealth health) {
        HealthDiff diff = HealthDiff.between(before, health);
        before = health;
        return grace.changed(diff, health, T0.plusMillis(millis));
    }

    static PairHealth health(NodeRole a, NodeRole b, Finding... findings) {
        List<NodeState> nodes = List.of(new NodeState("hot-a", a, "facts of hot-a", null), new NodeState("hot-b", b, "facts of hot-b", null));
        List<Survival> survival = new ArrayList<>();
        survival.add(new Survival("hot-a", b == NodeRole.ACTIVE || b == NodeRole.PASSIVE_HOT, "hot-b is " + b, List.of()));
        survival.add(new Survival("hot-b", a == NodeRole.ACTIVE || a == NodeRole.PASSIVE_HOT, "hot-a is " + a, List.of()));
        return new PairHealth("demo-hot", ClusterMode.HOT, T0, nodes, List.of(findings), survival, "summary");
    }

    private static Finding unreachable(String node, Severity severity) {
        return new Finding(severity, Finding.Kind.NODE_UNREACHABLE, "Cannot read " + node + " (" + severity + ")", "impact", List.of(), node);
    }

    private static Finding noOutput() {
        return new Finding(Severity.CRITICAL, Finding.Kind.NO_OUTPUT, "No node sends output", "All data lost", List.of(), null);
    }

    private static Finding splitBrain() {
        return new Finding(Severity.CRITICAL, Finding.Kind.SPLIT_BRAIN_OUTPUT, "Both outputs open", "Duplicates", List.of(), null);
    }
}
