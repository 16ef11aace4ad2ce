package io.tandem.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.monitor.Finding.Kind;
import io.tandem.node.GateRule;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;
import io.tandem.node.OutputGate;

/**
 * The source of a make-before-break switchover, held blocked by Tandem while Pacemaker still runs the gate there (ADR
 * 0002, agent 1.2): until the hold's deadline it is the handover under way, said in the node's role line, not a
 * disagreement with Pacemaker; after it, it is one, and the finding says the hold expired.
 */
class HandoverHoldTest {

    /** Pacemaker runs the gate on nfo-b, whose gate Tandem holds blocked until {@code until}. */
    private static Pairs heldSource(Instant until) {
        GateState held = new GateState(GateStatus.BLOCKED, true, List.of(new GateRule(4, Snapshots.SIEM, true, 12, 960,
                OutputGate.holdComment(until))), List.of(), "1.0.6");
        return Pairs.hot().pacemaker(CrmMonXml.hot("nfo-b", "nfo-a", "nfo-b")).b(n -> n.gate(held));
    }

    @Test
    void aHoldBeforeItsDeadlineIsTheHandoverNotADisagreement() {
        PairHealth health = heldSource(Snapshots.T0.plusSeconds(60)).health();

        // (the VIP still on nfo-b is a fact of the window too, and stays said: flows sent to it wait for the move)
        assertThat(health.findings(Kind.PACEMAKER_DISAGREES)).noneMatch(f -> f.cause().contains("nfo-b's gate is BLOCKED"));
        assertThat(health.node("nfo-b").why()).contains("gate BLOCKED (held by Tandem for a handover until "
                + Snapshots.T0.plusSeconds(60) + ")");
    }

    @Test
    void anExpiredHoldIsADisagreementThatSaysItExpired() {
        PairHealth health = heldSource(Snapshots.T0.minusSeconds(1)).health();

        assertThat(health.findings(Kind.PACEMAKER_DISAGREES)).anyMatch(f -> "nfo-b".equals(f.node())
                && f.cause().equals("Pacemaker has nfo-gate started on nfo-b (output open), but nfo-b's gate is BLOCKED by "
                + "Tandem's handover hold, expired at " + Snapshots.T0.minusSeconds(1) + ": the gate agent reports it failed"));
    }
}
