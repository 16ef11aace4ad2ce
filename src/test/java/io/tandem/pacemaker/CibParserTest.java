package io.tandem.pacemaker;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CibParserTest {

    @Test
    void versionTokenNodesAndResourcesFromAFullCib() throws Exception {
        Cib cib = CibParser.parse(SharedCorpus.read("pacemaker/cib/ha_cluster_exporter-cib.xml"));

        assertThat(cib.version()).isPresent();
        assertThat(cib.nodeNames()).containsExactly("node01", "node02");
        assertThat(cib.resourceIds()).contains("stonith-sbd", "rsc_ip_PRD_HDB00", "msl_SAPHana_PRD_HDB00",
                "rsc_SAPHana_PRD_HDB00", "cln_SAPHanaTopology_PRD_HDB00");
    }

    @Test
    void leftoverMoveAndBanConstraintsAreFlagged() throws Exception {
        Cib cib = CibParser.parse(SharedCorpus.read("pacemaker/cib/ha_cluster_exporter-cib.xml"));

        assertThat(cib.leftoverMoves()).extracting(Constraint::id).containsExactly(
                "cli-prefer-msl_SAPHana_PRD_HDB00", "cli-prefer-cln_SAPHanaTopology_PRD_HDB00",
                "cli-ban-msl_SAPHana_PRD_HDB00-on-node01");
        assertThat(cib.constraints()).filteredOn(c -> c.id().equals("cli-ban-msl_SAPHana_PRD_HDB00-on-node01"))
                .singleElement().isInstanceOfSatisfying(Constraint.Location.class, l -> {
                    assertThat(l.isBan()).isTrue();
                    assertThat(l.node()).isEqualTo("node01");
                    assertThat(l.resource()).isEqualTo("msl_SAPHana_PRD_HDB00");
                });
        assertThat(cib.constraints()).filteredOn(c -> c.id().equals("test")).singleElement()
                .satisfies(c -> assertThat(c.isLeftoverMove()).isFalse());
        assertThat(cib.constraints()).filteredOn(c -> c instanceof Constraint.Colocation).singleElement()
                .isInstanceOfSatisfying(Constraint.Colocation.class, c -> {
                    assertThat(c.withResource()).isEqualTo("msl_SAPHana_PRD_HDB00");
                    assertThat(c.withResourceRole()).isEqualTo("Master");
                    assertThat(c.score()).isEqualTo("2000");
                });
        assertThat(cib.constraints()).filteredOn(c -> c instanceof Constraint.Order).singleElement()
                .isInstanceOfSatisfying(Constraint.Order.class, o -> {
                    assertThat(o.first()).isEqualTo("cln_SAPHanaTopology_PRD_HDB00");
                    assertThat(o.then()).isEqualTo("msl_SAPHana_PRD_HDB00");
                    assertThat(o.kind()).isEqualTo("Optional");
                });
    }

    @Test
    void versionTokenOrdersAsPacemakerDoes() throws Exception {
        Cib cib = CibParser.parse(SharedCorpus.read("pacemaker/cib/constraints.xml"));
        CibVersion version = cib.version().orElseThrow();

        assertThat(version).isEqualTo(new CibVersion(1, 1, 1));
        assertThat(version.toString()).isEqualTo("1.1.1");
        assertThat(new CibVersion(1, 2, 0).isNewerThan(version)).isTrue();
        assertThat(new CibVersion(0, 9, 99).isNewerThan(version)).isFalse();
        assertThat(cib.constraintsOn("prim4")).hasSize(4);
    }

    @Test
    void ticketConstraints() throws Exception {
        Cib cib = CibParser.parse(SharedCorpus.read("pacemaker/cib/tickets.xml"));
        assertThat(cib.constraints()).hasSize(2).allSatisfy(c -> assertThat(c).isInstanceOf(Constraint.Ticket.class));
        assertThat(((Constraint.Ticket) cib.constraints().get(0)).ticket()).isEqualTo("ticketA");
    }

    @Test
    void constraintsScopeWithRulesAndSets() throws Exception {
        String xml = """
                <constraints>
                  <rsc_location id="cli-prefer-nfo" rsc="nfo" role="Started" node="nfo-b" score="INFINITY"/>
                  <rsc_location id="vip-not-on-ping-fail" rsc="vip">
                    <rule id="r1" score="-INFINITY" boolean-op="or">
                      <expression id="e1" attribute="pingd" operation="not_defined"/>
                      <expression id="e2" attribute="pingd" operation="lte" value="0"/>
                    </rule>
                  </rsc_location>
                  <rsc_order id="o1"><resource_set id="s1"><resource_ref id="fs"/><resource_ref id="vip"/></resource_set></rsc_order>
                  <rsc_colocation id="c1" rsc="vip" with-rsc="drbd-clone" with-rsc-role="Promoted" score="INFINITY"/>
                </constraints>
                """;
        Cib cib = CibParser.parse(xml);

        assertThat(cib.version()).isEmpty();
        assertThat(cib.leftoverMoves()).extracting(Constraint::id).containsExactly("cli-prefer-nfo");
        assertThat(cib.constraints().get(1)).isInstanceOfSatisfying(Constraint.Location.class, l -> {
            assertThat(l.node()).isNull();
            assertThat(l.rules()).singleElement().satisfies(r -> {
                assertThat(r.score()).isEqualTo("-INFINITY");
                assertThat(r.booleanOp()).isEqualTo("or");
                assertThat(r.expressions()).containsExactly("pingd not_defined", "pingd lte 0");
            });
        });
        assertThat(cib.constraints().get(2).resources()).containsExactly("fs", "vip");
        assertThat(cib.constraintsOn("vip")).hasSize(3);
    }

    @Test
    void legacyMasterResourcesAreResourceIds() throws Exception {
        String xml = """
                <cib admin_epoch="0" epoch="7" num_updates="3"><configuration>
                  <nodes><node id="1" uname="a"/><node id="2"/></nodes>
                  <resources><master id="ms-drbd"><primitive id="drbd" class="ocf" provider="linbit" type="drbd"/></master>
                    <group id="g"><primitive id="fs" class="ocf" provider="heartbeat" type="Filesystem"/></group></resources>
                  <constraints/>
                </configuration></cib>
                """;
        Cib cib = CibParser.parse(xml);
        assertThat(cib.version()).contains(new CibVersion(0, 7, 3));
        assertThat(cib.nodeNames()).containsExactly("a", "2");
        assertThat(cib.resourceIds()).containsExactlyInAnyOrder("ms-drbd", "drbd", "g", "fs");
    }

    @Test
    void brokenOrForeignDocumentsAreTypedErrors() {
        String foreign = SharedCorpus.read("pacemaker/cib/gcp-sapagent-pacemaker.xml"); // outside the lambda: without the corpus the test is skipped, not failed
        assertThatThrownBy(() -> CibParser.parse(foreign))
                .isInstanceOf(PacemakerParseException.class).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> CibParser.parse("<cib epoch=\"1\" num_updates=\"2\"><configuration/></cib>"))
                .isInstanceOf(PacemakerParseException.class).hasMessageContaining("admin_epoch");
        assertThatThrownBy(() -> CibParser.parse("<cib admin_epoch=\"x\" epoch=\"1\" num_updates=\"2\"/>"))
                .isInstanceOf(PacemakerParseException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> CibParser.parse("<pacemaker-result/>"))
                .isInstanceOf(PacemakerParseException.class).hasMessageContaining("not a CIB");
        assertThatThrownBy(() -> CibParser.parse("<!DOCTYPE cib [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><cib/>"))
                .isInstanceOf(PacemakerParseException.class);
    }

    @Test
    void resourceDefaultsAndEachResourcesOwnMetaAttributesAreReadOnlyFromAConfiguration() throws Exception {
        Cib cib = CibParser.parse("""
                <configuration>
                  <resources>
                    <group id="g">
                      <meta_attributes id="g-meta"><nvpair id="g-s" name="resource-stickiness" value="0"/></meta_attributes>
                      <primitive id="p" class="ocf" provider="heartbeat" type="IPaddr2"/>
                    </group>
                  </resources>
                  <constraints/>
                  <rsc_defaults>
                    <meta_attributes id="only-at-night">
                      <rule id="night" score="INFINITY"><date_expression id="d" operation="gt" start="2026-01-01"/></rule>
                      <nvpair id="n-s" name="resource-stickiness" value="5"/>
                    </meta_attributes>
                    <meta_attributes id="defaults"><nvpair id="d-s" name="resource-stickiness" value="100"/></meta_attributes>
                  </rsc_defaults>
                </configuration>
                """);

        assertThat(cib.resourceDefaults()).contains(java.util.Map.of("resource-stickiness", "100"));
        assertThat(cib.meta("g", "resource-stickiness")).contains("0");
        assertThat(cib.meta("p", "resource-stickiness")).isEmpty();
        assertThat(CibParser.parse("<configuration><constraints/></configuration>").resourceDefaults())
                .as("a configuration without defaults sets none").contains(java.util.Map.of());
        assertThat(CibParser.parse("<constraints/>").resourceDefaults()).as("constraints alone say nothing of them").isEmpty();
    }
}
