package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.tandem.fleet.ClusterMode;
import io.tandem.monitor.Finding.Kind;
import io.tandem.node.ActiveState;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeAccessException;

/**
 * Findings about both nodes at once (both outputs open, no output, no readable node sending) come only from
 * readings that overlap in time: each node read at or after the other's latest change of output state.
 */
class BothNodesFindingsTest {

    private static final Instant T0 = Snapshots.T0;

    @Test
    void aSurvivorsFreshReadingBesideTheCrashedNodesOldOneIsNoSplitBrain() {
        // nfo-a crashed after its last reading at T0; nfo-b opened its gate at T0+1 and was read then
        PairHealth health = Pairs.hot().b(n -> n.gate(GateStatus.OPEN))
                .observedA(T0).outputSince("nfo-a", T0.minusSeconds(3600))
                .observedB(T0.plusSeconds(1)).outputSince("nfo-b", T0.plusSeconds(1))
                .health();

        assertThat(health.nodes()).extracting(NodeState::role).containsExactly(NodeRole.ACTIVE, NodeRole.ACTIVE);
        assertThat(health.findings(Kind.SPLIT_BRAIN_OUTPUT)).isEmpty();
    }

    @Test
    void aSplitBrainIsRaisedOnceTheOtherNodeIsReadAfterTheChange() {
        PairHealth health = Pairs.hot().b(n -> n.gate(GateStatus.OPEN))
                .observedA(T0.plusSeconds(2)).outputSince("nfo-a", T0.minusSeconds(3600))
                .observedB(T0.plusSeconds(1)).outputSince("nfo-b", T0.plusSeconds(1))
                .health();

        assertThat(health.findings(Kind.SPLIT_BRAIN_OUTPUT)).extracting(Finding::severity).containsExactly(Severity.CRITICAL);
    }

    @Test
    void bothOutputsOpenForAPlannedSwitchoverIsAWarningNamingItUntilItLastsTooLong() {
        // now is T0+5: nfo-b opened at T0+1, within the limit
        Finding planned = Pairs.hot().b(n -> n.gate(GateStatus.OPEN)).plannedOverlap("the switchover to nfo-b")
                .observedA(T0.plusSeconds(2)).outputSince("nfo-a", T0.minusSeconds(3600))
                .observedB(T0.plusSeconds(1)).outputSince("nfo-b", T0.plusSeconds(1))
                .health().findings(Kind.SPLIT_BRAIN_OUTPUT).get(0);
        assertThat(planned.severity()).isEqualTo(Severity.WARNING);
        assertThat(planned.cause()).startsWith("Both outputs open for the switchover to nfo-b: nfo-a and nfo-b");

        // opened at T0+5 minus more than the limit: the switchover has held both open too long
        Instant longAgo = T0.plusSeconds(5).minus(OutputRules.PLANNED_OVERLAP_LIMIT).minusSeconds(1);
        Finding stuck = Pairs.hot().b(n -> n.gate(GateStatus.OPEN)).plannedOverlap("the switchover to nfo-b")
                .observedA(T0.plusSeconds(2)).outputSince("nfo-a", T0.minusSeconds(3600))
                .observedB(T0.plusSeconds(1)).outputSince("nfo-b", longAgo)
                .health().findings(Kind.SPLIT_BRAIN_OUTPUT).get(0);
        assertThat(stuck.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(stuck.cause()).startsWith("Both outputs open: nfo-a and nfo-b");
    }

    @Test
    void readingsTakenAtTheSameMomentAsTheChangeCount() {
        PairHealth health = Pairs.hot().b(n -> n.gate(GateStatus.OPEN))
                .observedA(T0.plusSeconds(1)).outputSince("nfo-a", T0.minusSeconds(3600))
                .observedB(T0.plusSeconds(1)).outputSince("nfo-b", T0.plusSeconds(1))
                .health();

        assertThat(health.findings(Kind.SPLIT_BRAIN_OUTPUT)).hasSize(1);
    }

    @Test
    void noOutputWaitsForAReadingOfThePassiveTakenAfterTheActiveFailed() {
        Pairs failed = Pairs.hot().a(n -> n.service(ActiveState.FAILED))
                .observedA(T0.plusSeconds(1)).outputSince("nfo-a", T0.plusSeconds(1))
                .outputSince("nfo-b", T0.minusSeconds(3600));

        assertThat(failed.observedB(T0).health().findings(Kind.NO_OUTPUT)).as("nfo-b read before nfo-a failed").isEmpty();
        assertThat(failed.observedB(T0.plusSeconds(2)).health().findings(Kind.NO_OUTPUT)).as("nfo-b read after")
                .extracting(Finding::severity).containsExactly(Severity.CRITICAL);
    }

    @Test
    void aLostActiveIsCriticalOnlyOnceThePassiveIsReadAfterTheLoss() {
        Pairs lost = Pairs.hot().unreachableA(new NodeAccessException.Unreachable("no route to host", null))
                .observedA(T0.plusSeconds(1)).outputSince("nfo-a", T0.plusSeconds(1))
                .outputSince("nfo-b", T0.minusSeconds(3600));

        Finding before = lost.observedB(T0).health().findings(Kind.NODE_UNREACHABLE).get(0);
        assertThat(before.severity()).isEqualTo(Severity.WARNING);
        assertThat(before.impact()).contains("nfo-b", "from before nfo-a was lost");

        Finding after = lost.observedB(T0.plusSeconds(2)).health().findings(Kind.NODE_UNREACHABLE).get(0);
        assertThat(after.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(after.impact()).contains("No readable node is sending output");
    }

    @Test
    void withoutKnownChangeTimesTheReadingsCountAsTogether() {
        assertThat(Pairs.hot().b(n -> n.gate(GateStatus.OPEN)).observedB(T0.plusSeconds(1)).health()
                .findings(Kind.SPLIT_BRAIN_OUTPUT)).hasSize(1);
    }

    @Test
    void aNodesOutputStateDatesFromTheFirstReadingThatShowedIt() {
        OutputChanges changes = new OutputChanges();
        UUID node = UUID.randomUUID();
        var cluster = Pairs.cluster(ClusterMode.HOT);

        assertThat(changes.since(node)).isNull();
        assertThat(changes.observed(cluster, node, reading(GateStatus.BLOCKED, T0))).isEqualTo(T0);
        assertThat(changes.observed(cluster, node, reading(GateStatus.BLOCKED, T0.plusSeconds(2)))).as("same state").isEqualTo(T0);
        assertThat(changes.observed(cluster, node, reading(GateStatus.OPEN, T0.plusSeconds(4)))).isEqualTo(T0.plusSeconds(4));
        assertThat(changes.observed(cluster, node, NodeReading.of(NodeObservation.failed("nfo-a",
                new NodeAccessException.Unreachable("down", null), T0.plusSeconds(6))))).isEqualTo(T0.plusSeconds(6));
        assertThat(changes.since(node)).isEqualTo(T0.plusSeconds(6));

        changes.retainOnly(List.of());
        assertThat(changes.since(node)).isNull();
    }

    private static NodeReading reading(GateStatus gate, Instant at) {
        return NodeReading.of(NodeObservation.read("nfo-a", Snapshots.node("nfo-a").gate(gate).build(), at));
    }
}
