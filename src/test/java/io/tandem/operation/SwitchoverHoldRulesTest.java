package io.tandem.operation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.tandem.monitor.NodeRates;

/** When the source's gate may be held blocked before Pacemaker moves the VIP: only if the target gets its flows too. */
class SwitchoverHoldRulesTest {

    private static NodeRates in(Double records, Double datagrams) {
        return new NodeRates(records, datagrams, null, null);
    }

    @Test
    void bothNodesReceivingTheSameFlowsMayHold() {
        assertThat(Switchovers.flowsOnlyAtSource(in(400.0, 120.0), in(398.0, 119.0), "a", "b")).isEmpty();
        assertThat(Switchovers.flowsOnlyAtSource(in(0.6, 1.5), in(0.0, 0.4), "a", "b")).as("noise at idle").isEmpty();
        assertThat(Switchovers.flowsOnlyAtSource(NodeRates.UNKNOWN, in(1.0, 1.0), "a", "b")).as("not known").isEmpty();
    }

    @Test
    void aTargetMissingFlowsTheSourceGetsIsNotHeldAndTheReasonSaysWhy() {
        assertThat(Switchovers.flowsOnlyAtSource(in(400.0, 120.0), in(300.0, 120.0), "a", "b")).hasValueSatisfying(why ->
                assertThat(why).startsWith("a decodes 400 records/s and b only 300").contains("the VIP"));
        assertThat(Switchovers.flowsOnlyAtSource(in(400.0, 58.0), in(400.0, 35.0), "a", "b"))
                .as("the hosts' UDP datagrams include the cluster's own traffic: not a sign of missing flows").isEmpty();
    }
}
