package io.tandem.pacemaker;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrmMonParserTest {

    private static ClusterStatus running(String xml) throws PacemakerParseException {
        CrmMonResult result = CrmMonParser.parse(xml);
        assertThat(result).isInstanceOf(CrmMonResult.Running.class);
        return result.status().orElseThrow();
    }

    @Test
    void currentOutputGivesSummaryNodesAndThePromotedNode() throws Exception {
        ClusterStatus status = running(SharedCorpus.read("pacemaker/crm_mon-basic-output.xml"));

        assertThat(status.stack()).isEqualTo("corosync");
        assertThat(status.dcName()).contains("cluster02");
        assertThat(status.quorum()).isTrue();
        assertThat(status.options().stonithEnabled()).isTrue();
        assertThat(status.options().maintenanceMode()).isFalse();
        assertThat(status.nodes()).extracting(ClusterNode::name)
                .containsExactly("cluster01", "cluster02", "httpd-bundle-0", "httpd-bundle-1", "httpd-bundle-2");
        assertThat(status.node("cluster02").orElseThrow().dc()).isTrue();
        assertThat(status.node("httpd-bundle-2").orElseThrow()).satisfies(n -> {
            assertThat(n.online()).isFalse();
            assertThat(n.type()).isEqualTo(ClusterNode.Type.REMOTE);
        });
        assertThat(status.promotedNodes("promotable-clone")).containsExactly("cluster02");
        assertThat(status.promotedNodes("promotable-rsc")).containsExactly("cluster02");
        assertThat(status.nodesRunning("promotable-clone")).containsExactlyInAnyOrder("cluster01", "cluster02");
        assertThat(status.primitives()).hasSize(32);
    }

    @Test
    void resourceTreeKeepsGroupsClonesAndBundles() throws Exception {
        ClusterStatus status = running(SharedCorpus.read("pacemaker/crm_mon-basic-output.xml"));

        assertThat(status.resource("exim-group").orElseThrow()).isInstanceOfSatisfying(Resource.Group.class,
                g -> assertThat(g.members()).extracting(Resource::id).containsExactly("Public-IP", "Email"));
        assertThat(status.resource("httpd-bundle").orElseThrow()).isInstanceOfSatisfying(Resource.Bundle.class,
                b -> assertThat(b.replicas()).hasSize(3));
        assertThat(status.resource("mysql-clone-group").orElseThrow()).isInstanceOfSatisfying(Resource.Clone.class,
                c -> assertThat(c.instances()).hasSize(5).allMatch(i -> i instanceof Resource.Group));
        assertThat(status.nodesRunning("mysql-group")).containsExactly("cluster02", "cluster01");
        assertThat(status.resource("inactive-group").orElseThrow().primitives())
                .allSatisfy(p -> assertThat(p.targetRole()).isEqualTo(Role.STOPPED));
        assertThat(status.resource("Fencing").orElseThrow()).isInstanceOfSatisfying(Resource.Primitive.class,
                p -> assertThat(p.agent()).isEqualTo("stonith:fence_xvm"));
        assertThat(status.resourceIds()).contains("ping-clone", "ping", "mysql-group", "httpd", "promotable-rsc");
    }

    @Test
    void banFromTheCurrentFormat() throws Exception {
        ClusterStatus status = running(SharedCorpus.read("pacemaker/crm_mon-basic-output.xml"));

        assertThat(status.bans()).singleElement().satisfies(ban -> {
            assertThat(ban.id()).isEqualTo("not-on-cluster1");
            assertThat(ban.resource()).isEqualTo("dummy");
            assertThat(ban.node()).isEqualTo("cluster01");
            assertThat(ban.weight()).isEqualTo(-1_000_000);
            assertThat(ban.isLeftoverMove()).isFalse();
        });
        assertThat(status.nodeAttributes().get("cluster01")).containsEntry("location", "office");
    }

    @Test
    void failedResourceAndFailureEntry() throws Exception {
        ClusterStatus status = running(SharedCorpus.read("pacemaker/crm_mon-output-of-partially-active-resources.xml"));

        assertThat(status.failedPrimitives()).extracting(Resource.Primitive::id).contains("dummy-2");
        assertThat(status.resource("partially-active-group").orElseThrow().failed()).isTrue();
        assertThat(status.failures()).singleElement().satisfies(f -> {
            assertThat(f.opKey()).isEqualTo("dummy-2_monitor_0");
            assertThat(f.resource()).isEqualTo("dummy-2");
            assertThat(f.node()).isEqualTo("cluster02");
            assertThat(f.exitCode()).isEqualTo(3);
            assertThat(f.call()).isEqualTo(2);
        });
    }

    @Test
    void legacyMasterSlaveRolesAreNormalised() throws Exception {
        CrmMonResult result = CrmMonParser.parse(SharedCorpus.read("pacemaker/legacy/ha_cluster_exporter-crm_mon.xml"));

        assertThat(result).isInstanceOfSatisfying(CrmMonResult.Running.class,
                r -> assertThat(r.format()).isEqualTo(CrmMonResult.Format.LEGACY));
        ClusterStatus status = result.status().orElseThrow();
        assertThat(status.promotedNodes("msl_SAPHana_PRD_HDB00")).containsExactly("node01");
        assertThat(status.resource("msl_SAPHana_PRD_HDB00").orElseThrow().primitives())
                .extracting(Resource.Primitive::role).containsExactly(Role.PROMOTED, Role.UNPROMOTED);
        assertThat(status.resource("msl_SAPHana_PRD_HDB00").orElseThrow())
                .isInstanceOfSatisfying(Resource.Clone.class, c -> assertThat(c.promotable()).isTrue());
        assertThat(status.resource("rsc_ip_PRD_HDB00").orElseThrow()).isInstanceOfSatisfying(
                Resource.Primitive.class, p -> assertThat(p.agent()).isEqualTo("ocf:heartbeat:IPaddr2"));
    }

    @Test
    void failCountsPerResourceAndNodeAndTheFencingDevices() throws Exception {
        ClusterStatus status = running(SharedCorpus.read("pacemaker/legacy/ha_cluster_exporter-crm_mon.xml"));

        assertThat(status.failCounts()).contains(
                new FailCount("node01", "rsc_SAPHana_PRD_HDB00", FailCount.INFINITY, 5000),
                new FailCount("node01", "rsc_ip_PRD_HDB00", 2, 5000),
                new FailCount("node02", "rsc_SAPHana_PRD_HDB00", 300, 50));
        assertThat(status.failCounts()).allMatch(f -> f.count() > 0);
        assertThat(status.failCounts().get(0).countText()).isEqualTo("INFINITY");
        assertThat(status.fencingDevices()).extracting(Resource.Primitive::id).containsExactly("stonith-sbd");
        assertThat(status.options().stonithEnabled()).isTrue();
        assertThat(status.dcName()).hasValue("node01");
    }

    @Test
    void legacyGroupByNodeTakesResourcesFromTheNodes() throws Exception {
        ClusterStatus status = running(
                SharedCorpus.read("pacemaker/legacy/ha_cluster_exporter-crm_mon-group-by-node-2019.xml"));

        assertThat(status.primitives()).hasSize(6);
        assertThat(status.promotedNodes("rsc_SAPHana_PRD_HDB00")).containsExactly("hana01");
        assertThat(status.nodesRunning("rsc_SAPHana_PRD_HDB00")).containsExactly("hana01", "hana02");
        assertThat(status.pacemakerVersion()).hasValueSatisfying(v -> assertThat(v).startsWith("1.1.18"));
        assertThat(status.bans()).singleElement().satisfies(b -> assertThat(b.isLeftoverMove()).isTrue());
    }

    @Test
    void legacyFailuresAndFenceHistory() throws Exception {
        ClusterStatus withFailures = running(SharedCorpus.read("pacemaker/legacy/hawk-apiserver-crm-mon-1.xml"));
        assertThat(withFailures.failures()).hasSize(2).allSatisfy(f -> {
            assertThat(f.exitStatus()).isEqualTo("not installed");
            assertThat(f.exitCode()).isEqualTo(5);
            assertThat(f.exitReason()).contains("safe_mysqld");
            assertThat(f.lastRcChange()).isEqualTo("Tue Jan 15 22:19:59 2019");
        });
        assertThat(withFailures.options().stonithEnabled()).isFalse();

        ClusterStatus fenced = running(SharedCorpus.read("pacemaker/legacy/hawk-apiserver-crm-mon-4.xml"));
        assertThat(fenced.fenceHistory()).hasSize(2).allSatisfy(e -> {
            assertThat(e.target()).isEqualTo("node1");
            assertThat(e.action()).isEqualTo("reboot");
            assertThat(e.succeeded()).isTrue();
        });
        // this capture lists DRBD only inside <nodes>, not in <resources>
        assertThat(fenced.promotedNodes("DRBD")).containsExactly("webui");
        assertThat(fenced.nodesRunning("DRBD")).containsExactly("node2", "webui");
        assertThat(fenced.nodesRunning("c-clusterfs")).containsExactly("webui", "node1", "node2");
    }

    @Test
    void maintenanceModeIsReported() throws Exception {
        ClusterStatus status = running(
                SharedCorpus.read("pacemaker/crm_mon-output-of-all-resources-with-maintenance-mode-enabled.xml"));
        assertThat(status.options().maintenanceMode()).isTrue();
    }

    @Test
    void disconnectedOutputMeansTheClusterIsNotRunning() throws Exception {
        String xml = """
                <pacemaker-result api-version="2.25" request="crm_mon --output-as=xml">
                  <crm-mon-disconnected description="Waiting for initial connection" pacemakerd-state="starting"/>
                  <status code="102" message="Not connected"/>
                </pacemaker-result>
                """;
        assertThat(CrmMonParser.parse(xml)).isInstanceOfSatisfying(CrmMonResult.NotRunning.class, r -> {
            assertThat(r.description()).isEqualTo("Waiting for initial connection");
            assertThat(r.pacemakerdState()).contains("starting");
        });
        assertThat(CrmMonParser.parse("<crm-mon-disconnected/>")).isInstanceOf(CrmMonResult.NotRunning.class);
        String starting = """
                <pacemaker-result api-version="2.29" request="crm_mon --output-as=xml">
                  <pacemakerd state="starting_daemons" last_updated="2026-11-25 19:20:00"/>
                  <status code="0" message="OK"/>
                </pacemaker-result>
                """;
        assertThat(CrmMonParser.parse(starting)).isInstanceOfSatisfying(CrmMonResult.NotRunning.class,
                r -> assertThat(r.pacemakerdState()).contains("starting_daemons"));
    }

    @Test
    void errorStatusIsATypedOutcome() throws Exception {
        String xml = """
                <pacemaker-result api-version="2.25" request="crm_mon --output-as=xml">
                  <status code="102" message="Not connected">
                    <errors>
                      <error>crm_mon: Error: cluster is not available on this node</error>
                    </errors>
                  </status>
                </pacemaker-result>
                """;
        CrmMonResult result = CrmMonParser.parse(xml);
        assertThat(result.status()).isEmpty();
        assertThat(result).isInstanceOfSatisfying(CrmMonResult.ToolError.class, e -> {
            assertThat(e.code()).isEqualTo(102);
            assertThat(e.message()).isEqualTo("Not connected");
            assertThat(e.errors()).containsExactly("crm_mon: Error: cluster is not available on this node");
        });
    }

    @Test
    void unknownElementsAndAttributesAreIgnored() throws Exception {
        String xml = """
                <pacemaker-result api-version="9.99" request="crm_mon" future="yes">
                  <summary><current_dc present="true" name="a" with_quorum="true" new-attr="1"/></summary>
                  <hyperdrive speed="11"/>
                  <nodes><node name="a" id="1" online="true" type="quantum"><gizmo/></node></nodes>
                  <resources><teleporter id="t"/><resource id="vip" role="Started" active="true"><node name="a"/></resource></resources>
                  <status code="0" message="OK"/>
                </pacemaker-result>
                """;
        ClusterStatus status = running(xml);
        assertThat(status.nodes()).singleElement().satisfies(n -> assertThat(n.type()).isEqualTo(ClusterNode.Type.UNKNOWN));
        assertThat(status.nodesRunning("vip")).containsExactly("a");
    }

    @Test
    void malformedAndForeignDocumentsAreTypedErrors() {
        assertThatThrownBy(() -> CrmMonParser.parse("")).isInstanceOf(PacemakerParseException.class);
        assertThatThrownBy(() -> CrmMonParser.parse("<crm_mon><nodes>")).isInstanceOf(PacemakerParseException.class)
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> CrmMonParser.parse("<cib epoch=\"1\"/>")).isInstanceOf(PacemakerParseException.class)
                .hasMessageContaining("<cib>");
        assertThatThrownBy(() -> CrmMonParser.parse("crm_mon: command not found"))
                .isInstanceOf(PacemakerParseException.class);
        assertThatThrownBy(() -> CrmMonParser.parse("<pacemaker-result><status code=\"0\" message=\"OK\"/></pacemaker-result>"))
                .isInstanceOf(PacemakerParseException.class).hasMessageContaining("no cluster status");
        assertThatThrownBy(() -> CrmMonParser.parse("<crm_mon><nodes><node id=\"1\"/></nodes></crm_mon>"))
                .isInstanceOf(PacemakerParseException.class).hasMessageContaining("name");
    }

    @Test
    void hostileXmlIsRefused() {
        String billionLaughs = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
                <crm_mon><summary><stack type="&lol2;"/></summary></crm_mon>
                """;
        String externalEntity = """
                <?xml version="1.0"?>
                <!DOCTYPE crm_mon [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <crm_mon><summary><stack type="&xxe;"/></summary></crm_mon>
                """;
        assertThatThrownBy(() -> CrmMonParser.parse(billionLaughs)).isInstanceOf(PacemakerParseException.class)
                .hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> CrmMonParser.parse(externalEntity)).isInstanceOf(PacemakerParseException.class);
        String tooLarge = "<crm_mon>" + " ".repeat(SafeXml.MAX_CHARS) + "</crm_mon>";
        assertThatThrownBy(() -> CrmMonParser.parse(tooLarge)).isInstanceOf(PacemakerParseException.class)
                .hasMessageContaining("over the limit");
        String deep = "<crm_mon><resources>" + "<group id=\"g\">".repeat(50) + "</group>".repeat(50)
                + "</resources></crm_mon>";
        assertThatThrownBy(() -> CrmMonParser.parse(deep)).isInstanceOf(PacemakerParseException.class)
                .hasMessageContaining("deeper");
    }

    @Test
    void xincludeIsNotFollowed() throws Exception {
        String xml = """
                <crm_mon xmlns:xi="http://www.w3.org/2001/XInclude">
                  <summary><xi:include href="file:///etc/hostname" parse="text"/></summary>
                  <nodes><node name="a" online="true"/></nodes>
                </crm_mon>
                """;
        ClusterStatus status = running(xml);
        assertThat(status.nodes()).extracting(ClusterNode::name).containsExactly("a");
        assertThat(status.stack()).isEqualTo("unknown");
    }

    @Test
    void leadingBlankLinesFromAnSshSessionAreAccepted() throws Exception {
        assertThat(running("\n\n  <?xml version=\"1.0\"?><crm_mon><nodes/></crm_mon>").nodes()).isEmpty();
    }
}
