package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tandem.fleet.ClusterView;
import io.tandem.node.SetupProbe;
import io.tandem.setup.Checklist.Status;

/** Discovery's judgement of the VIP probe: in use here or elsewhere fails (setup then refuses), unknown stays unchecked. */
class VipCheckTest {

    private static final ClusterView.NodeView NODE = SetupForms.pair(io.tandem.fleet.ClusterMode.HOT).nodes().get(0);

    @Test
    void aVipInUseFailsWithTheFixAndAFreeOnePasses() {
        Checklist.Check held = Discovery.vip(new SetupProbe.VipFacts("10.0.0.100", true, true, "this node has it already"), NODE);
        assertThat(held.status()).isEqualTo(Status.FAIL);
        assertThat(held.fix()).contains("ip addr del 10.0.0.100/PREFIX dev NIC").contains(NODE.name());

        Checklist.Check elsewhere = Discovery.vip(new SetupProbe.VipFacts("10.0.0.100", false, true, "it answers ping"), NODE);
        assertThat(elsewhere.status()).isEqualTo(Status.FAIL);
        assertThat(elsewhere.fix()).contains("Another host uses 10.0.0.100").contains("arping");

        assertThat(Discovery.vip(new SetupProbe.VipFacts("10.0.0.100", false, null, "not pinged"), NODE).status()).isEqualTo(Status.UNCHECKED);
        Checklist.Check free = Discovery.vip(new SetupProbe.VipFacts("10.0.0.100", false, false, "no answer to ping"), NODE);
        assertThat(free.status()).isEqualTo(Status.PASS);
        assertThat(free.id()).isEqualTo(Discovery.VIP_FREE);
    }

    @Test
    void theFormsVipAddressIsTakenOnlyWhenItIsOne() {
        assertThat(ValidSetup.vipAddress("10.0.0.100/24@eth0")).isEqualTo("10.0.0.100");
        assertThat(ValidSetup.vipAddress("10.0.0.100/24")).isEqualTo("10.0.0.100");
        assertThat(ValidSetup.vipAddress("10.0.0.100")).as("no prefix: the plan refuses it, discovery does not guess").isNull();
        assertThat(ValidSetup.vipAddress("vip.example.com/24")).isNull();
        assertThat(ValidSetup.vipAddress(null)).isNull();
    }
}
