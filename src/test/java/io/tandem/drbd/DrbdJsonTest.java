package io.tandem.drbd;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DrbdJsonTest {

    @Test
    void healthyPrimaryWithOnePeer() throws Exception {
        DrbdStatus status = DrbdParser.statusJson(SharedCorpus.read("drbd/drbdsetup-status-json/salt-shaptools-beijing.json"));

        DrbdResource beijing = status.resource("beijing").orElseThrow();
        assertThat(beijing.role()).isEqualTo(DrbdRole.PRIMARY);
        assertThat(beijing.suspended()).isFalse();
        assertThat(beijing.devices()).singleElement().satisfies(d -> {
            assertThat(d.minor()).isEqualTo(5);
            assertThat(d.diskState()).isEqualTo(DiskState.UP_TO_DATE);
            assertThat(d.sizeKib()).hasValue(307152);
            assertThat(d.quorum()).contains(true);
        });
        assertThat(beijing.connections()).singleElement().satisfies(c -> {
            assertThat(c.peerName()).isEqualTo("salt-node3");
            assertThat(c.peerNodeId()).hasValue(2);
            assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(c.peerRole()).isEqualTo(DrbdRole.SECONDARY);
            assertThat(c.peerDevices()).singleElement().satisfies(p -> {
                assertThat(p.replication()).isEqualTo(ReplicationState.ESTABLISHED);
                assertThat(p.peerDiskState()).isEqualTo(DiskState.UP_TO_DATE);
                assertThat(p.outOfSyncKib()).hasValue(0);
                assertThat(p.percentInSync()).hasValue(100.0);
                assertThat(p.resync()).isEmpty();
            });
        });
        assertThat(beijing.isConnected()).isTrue();
        assertThat(beijing.isUpToDateBothSides()).isTrue();
        assertThat(beijing.isDegraded()).isFalse();
        assertThat(beijing.isSplitBrain()).isFalse();
        assertThat(status.isHealthy()).isTrue();
        assertThat(beijing.simulatedBy()).as("real DRBD output is never marked simulated").isEmpty();
    }

    /** Tandem's demo and lab stand-ins mark their output, so the UI can say the DRBD state is not real. */
    @Test
    void aStandInsMarkIsKeptBoundedAndABlankOneIgnored() throws Exception {
        String marked = "[{\"name\":\"r0\",\"role\":\"Secondary\",\"tandem-simulated\":\"lab stand-in\",\"devices\":[],\"connections\":[]},"
                + "{\"name\":\"r1\",\"role\":\"Secondary\",\"tandem-simulated\":\"" + "x".repeat(500) + "\"},"
                + "{\"name\":\"r2\",\"role\":\"Secondary\",\"tandem-simulated\":\"  \"}]";

        DrbdStatus status = DrbdParser.statusJson(marked);

        assertThat(status.resource("r0").orElseThrow().simulatedBy()).contains("lab stand-in");
        assertThat(status.resource("r1").orElseThrow().simulatedBy()).hasValueSatisfying(text -> assertThat(text).hasSize(200));
        assertThat(status.resource("r2").orElseThrow().simulatedBy()).isEmpty();
    }

    @Test
    void quorumLossIsVisiblePerDevice() throws Exception {
        DrbdStatus status = DrbdParser.statusJson(
                SharedCorpus.read("drbd/drbdsetup-status-json/ha_cluster_exporter-fake_drbdsetup.json"));

        assertThat(status.resources()).extracting(DrbdResource::name).containsExactly("1-single-0", "1-single-1");
        assertThat(status.resource("1-single-1").orElseThrow().devices().get(0).quorum()).contains(false);
        assertThat(status.resource("1-single-0").orElseThrow().connections().get(0).peerRole())
                .isEqualTo(DrbdRole.PRIMARY);
    }

    /** ha_cluster_exporter's expected metrics for the same input are an independent reading of it. */
    @Test
    void agreesWithTheExportersExpectedMetrics() throws Exception {
        DrbdStatus status = DrbdParser.statusJson(
                SharedCorpus.read("drbd/drbdsetup-status-json/ha_cluster_exporter-fake_drbdsetup.json"));
        Pattern metric = Pattern.compile("^(\\w+)\\{([^}]*)\\} (\\S+)$");
        Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        int checked = 0;
        for (String line : SharedCorpus.read("drbd/drbdsetup-status-json/ha_cluster_exporter-drbd.metrics").split("\n")) {
            Matcher m = metric.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = label.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            DrbdResource resource = status.resource(labels.get("resource")).orElseThrow();
            double value = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "ha_cluster_drbd_resources" -> {
                    assertThat(resource.role().name()).isEqualToIgnoringCase(labels.get("role"));
                    assertThat(squash(resource.devices().get(0).diskState().name())).isEqualTo(labels.get("disk_state"));
                    checked++;
                }
                case "ha_cluster_drbd_connections" -> {
                    DrbdConnection connection = resource.connections().get(0);
                    assertThat(connection.peerNodeId()).hasValue(Integer.parseInt(labels.get("peer_node_id")));
                    assertThat(connection.peerRole().name()).isEqualToIgnoringCase(labels.get("peer_role"));
                    assertThat(squash(connection.peerDevices().get(0).peerDiskState().name()))
                            .isEqualTo(labels.get("peer_disk_state"));
                    checked++;
                }
                case "ha_cluster_drbd_quorum" -> {
                    assertThat(resource.devices().get(0).quorum()).contains(value == 1);
                    checked++;
                }
                case "ha_cluster_drbd_connections_sync" -> {
                    assertThat(resource.connections().get(0).peerDevices().get(0).percentInSync()).hasValue(value);
                    checked++;
                }
                default -> {
                }
            }
        }
        assertThat(checked).isEqualTo(8);
    }

    private static String squash(String enumName) {
        return enumName.replace("_", "").toLowerCase();
    }

    @Test
    void resyncFieldsFromVerboseStatistics() throws Exception {
        String json = """
                [{"name":"nfo-config","role":"Primary","suspended":false,
                  "devices":[{"volume":0,"minor":0,"disk-state":"UpToDate","quorum":true,"size":1048508}],
                  "connections":[{"peer-node-id":1,"name":"nfo-b","connection-state":"Connected","congested":false,
                    "peer-role":"Secondary","peer_devices":[{"volume":0,"replication-state":"SyncSource",
                    "peer-disk-state":"Inconsistent","out-of-sync":481052,"percent-in-sync":8.25,
                    "rs-total":524236,"percent-resync-done":8.24,"estimated-seconds-to-finish":111}]}]}]
                """;
        DrbdResource resource = DrbdParser.statusJson(json).resources().get(0);

        assertThat(resource.isResyncing()).isTrue();
        assertThat(resource.resyncPercentDone()).hasValue(8.24);
        assertThat(resource.resyncEtaSeconds()).hasValue(111);
        assertThat(resource.connections().get(0).peerDevices().get(0).resync()).hasValueSatisfying(
                r -> assertThat(r.totalKib()).hasValue(524236));
        assertThat(resource.isDegraded()).isTrue();
    }

    @Test
    void configurationJsonAndGarbageAreTypedErrors() {
        String show = SharedCorpus.read("drbd/drbdsetup-show-json/show-normal.json"); // outside the lambda: without the corpus the test is skipped, not failed
        assertThatThrownBy(() -> DrbdParser.statusJson(show))
                .isInstanceOf(DrbdParseException.class).hasMessageContaining("show --json");
        assertThatThrownBy(() -> DrbdParser.statusJson("{\"name\":\"r0\"}"))
                .isInstanceOf(DrbdParseException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> DrbdParser.statusJson("[{\"name\":\"r0\",")).isInstanceOf(DrbdParseException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> DrbdParser.statusJson("[{\"name\":\"r0\",\"role\":\"Primary\","
                + "\"devices\":[{\"volume\":\"x\"}]}]")).isInstanceOf(DrbdParseException.class);
        assertThatThrownBy(() -> DrbdParser.statusJson(null)).isInstanceOf(DrbdParseException.class);
        assertThatThrownBy(() -> DrbdParser.statusJson("[" + "[".repeat(100_000)))
                .isInstanceOf(DrbdParseException.class);
    }
}
