package io.tandem.drbd;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcDrbdTest {

    @Test
    void syncProgressAndFinishEstimate() throws Exception {
        DrbdResource device = DrbdParser.procDrbd(SharedCorpus.read(
                "drbd/docs/clusters-from-scratch-cfs-1.1.18-ch-shared-storage-L218-cat-proc-drbd.txt"))
                .resources().get(0);

        assertThat(device.name()).isEqualTo("1");
        assertThat(device.role()).isEqualTo(DrbdRole.PRIMARY);
        assertThat(device.devices().get(0).minor()).isEqualTo(1);
        assertThat(device.devices().get(0).diskState()).isEqualTo(DiskState.UP_TO_DATE);
        DrbdConnection peer = device.connections().get(0);
        assertThat(peer.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(peer.peerRole()).isEqualTo(DrbdRole.SECONDARY);
        assertThat(peer.peerDevices().get(0).replication()).isEqualTo(ReplicationState.SYNC_SOURCE);
        assertThat(peer.peerDevices().get(0).peerDiskState()).isEqualTo(DiskState.INCONSISTENT);
        assertThat(peer.peerDevices().get(0).outOfSyncKib()).hasValue(1045636);
        assertThat(device.isResyncing()).isTrue();
        assertThat(device.resyncPercentDone()).hasValue(0.4);
        assertThat(device.resyncEtaSeconds()).hasValue(10 * 60 + 53);
        assertThat(peer.peerDevices().get(0).resync()).hasValueSatisfying(
                r -> assertThat(r.totalKib()).hasValue(1048508));
    }

    @Test
    void waitingForConnectionIsNotConnected() throws Exception {
        DrbdResource device = DrbdParser.procDrbd(SharedCorpus.read(
                "drbd/docs/clusters-from-scratch-cfs-1.1.18-ch-shared-storage-L172-cat-proc-drbd.txt"))
                .resources().get(0);

        assertThat(device.connections().get(0).state()).isEqualTo(ConnectionState.WF_CONNECTION);
        assertThat(device.connections().get(0).peerRole()).isEqualTo(DrbdRole.UNKNOWN);
        assertThat(device.isConnected()).isFalse();
        assertThat(device.isResyncing()).isFalse();
        assertThat(device.isDegraded()).isTrue();
    }

    @Test
    void dualPrimaryFromNodeExporterFixture() throws Exception {
        DrbdStatus status = DrbdParser.procDrbd(SharedCorpus.read("drbd/proc-drbd/node_exporter-proc-drbd-8.4.3.txt"));

        assertThat(status.resources()).singleElement().satisfies(r -> {
            assertThat(r.role()).isEqualTo(DrbdRole.PRIMARY);
            assertThat(r.connections().get(0).peerRole()).isEqualTo(DrbdRole.PRIMARY);
            assertThat(r.isUpToDateBothSides()).isTrue();
        });
    }

    @Test
    void severalDevicesAndDrbd9VersionOnly() throws Exception {
        assertThat(DrbdParser.procDrbd(SharedCorpus.read("drbd/docs/linbit-ug84-administration-L174-cat-proc-drbd.txt"))
                .resources()).extracting(DrbdResource::name).containsExactly("0", "1", "2");
        assertThat(DrbdParser.procDrbd(
                SharedCorpus.read("drbd/docs/linbit-ug9-drbd-administration-manual-L58-cat-proc-drbd.txt")).resources())
                .isEmpty();
    }

    @Test
    void somethingElseIsATypedError() {
        assertThatThrownBy(() -> DrbdParser.procDrbd("cat: /proc/drbd: No such file or directory"))
                .isInstanceOf(DrbdParseException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> DrbdParser.procDrbd("\n\n")).isInstanceOf(DrbdParseException.class);
        assertThatThrownBy(() -> DrbdParser.procDrbd("version: 8.4\n 1: cs:SyncSource ro:Primary/Secondary "
                + "ds:UpToDate/Inconsistent C\n\t[>...] sync'ed: 1.2.3% (1/2)K")).isInstanceOf(DrbdParseException.class);
    }
}
