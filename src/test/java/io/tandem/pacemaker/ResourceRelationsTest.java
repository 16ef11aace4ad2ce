package io.tandem.pacemaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.tandem.support.SharedCorpus;

/**
 * Placement and start order judged by effect, on real outputs: the Pacemaker lab's Hot pair (constraints) and Cold pair
 * (a group), and a SUSE SAP cluster from the corpus whose colocation is only advisory. The demo's Cold chain of
 * colocations under a Promoted DRBD: SimulatedPairTest.
 */
class ResourceRelationsTest {

    private static ClusterStatus crmMon(String xml) throws Exception {
        return CrmMonParser.parse(xml).status().orElseThrow();
    }

    private static String sample(String name) throws Exception {
        return Files.readString(Path.of("lab/samples", name));
    }

    @Test
    void theHotLabPairPlacesTheGateWithTheVipAndStartsItAfter() throws Exception {
        ClusterStatus status = crmMon(sample("crm_mon-hot-healthy.xml"));
        ResourceRelations r = ResourceRelations.of(status.resources(),
                CibParser.parse(sample("cibadmin-constraints-hot.xml")).constraints());

        assertThat(r.clone("nfo")).map(Resource.Clone::id).contains("nfo-clone");
        assertThat(r.placedWith("nfo-vip", "nfo-clone", false)).isTrue();
        assertThat(r.placedWith("nfo-vip", "nfo", false)).as("a clone's child stands for its clone").isTrue();
        assertThat(r.placedWith("nfo-vip", "nfo-clone", true)).as("nfo-clone has no Promoted role to follow").isFalse();
        assertThat(r.together("nfo-gate", "nfo-vip")).isTrue();
        assertThat(r.together("nfo-gate", "nfo")).as("a clone runs everywhere: being with it ties nothing together").isFalse();
        assertThat(r.startsAfter("nfo-gate", "nfo-vip")).isTrue();
        assertThat(r.startsAfter("nfo-gate", "nfo-clone")).as("through the VIP").isTrue();
        assertThat(r.startsAfter("nfo-vip", "nfo-gate")).isFalse();
    }

    @Test
    void theColdLabGroupPlacesItsMembersTogetherAndStartsThemInSequence() throws Exception {
        ClusterStatus status = crmMon(sample("crm_mon-cold-healthy.xml"));
        ResourceRelations r = ResourceRelations.of(status.resources(), CibParser.parse(sample("cib-cold.xml")).constraints());

        assertThat(r.group("nfo")).contains("nfo-group");
        assertThat(r.together("nfo", "nfo-fs")).isTrue();
        assertThat(r.together("nfo-gate", "nfo-vip")).isTrue();
        assertThat(r.startsAfter("nfo", "nfo-fs")).isTrue();
        assertThat(r.startsAfter("nfo-gate", "nfo-vip")).isTrue();
        assertThat(r.startsAfter("nfo-fs", "nfo")).isFalse();
    }

    @Test
    void anAdvisoryColocationAndAnOptionalOrderTieNothing() throws Exception {
        ClusterStatus status = crmMon(SharedCorpus.read("pacemaker/legacy/ha_cluster_exporter-crm_mon.xml"));
        Cib cib = CibParser.parse(SharedCorpus.read("pacemaker/cib/ha_cluster_exporter-cib.xml"));
        ResourceRelations r = ResourceRelations.of(status.resources(), cib.constraints());

        // col_saphana_ip_PRD_HDB00 has score 2000: Pacemaker prefers, but may place the IP elsewhere
        assertThat(r.placedWith("rsc_ip_PRD_HDB00", "msl_SAPHana_PRD_HDB00", true)).isFalse();
        assertThat(r.startsAfter("msl_SAPHana_PRD_HDB00", "cln_SAPHanaTopology_PRD_HDB00")).as("kind=Optional").isFalse();
        assertThat(r.together("rsc_ip_HA1_ASCS00", "rsc_sap_HA1_ASCS00")).as("one group").isTrue();
        assertThat(r.together("rsc_ip_HA1_ASCS00", "rsc_ip_HA1_ERS10")).isFalse();
    }
}
