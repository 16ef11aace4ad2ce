package io.tandem.drbd;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DrbdTextTest {

    @Test
    void resyncPercentFromDrbdadmStatus() throws Exception {
        DrbdResource single = DrbdParser.statusText(
                SharedCorpus.read("drbd/drbdadm-status/salt-shaptools-single-syncsource.txt")).resources().get(0);

        assertThat(single.name()).isEqualTo("single");
        assertThat(single.role()).isEqualTo(DrbdRole.PRIMARY);
        assertThat(single.devices()).singleElement()
                .satisfies(d -> assertThat(d.diskState()).isEqualTo(DiskState.UP_TO_DATE));
        assertThat(single.connections()).singleElement().satisfies(c -> {
            assertThat(c.peerName()).isEqualTo("opensuse-node2");
            assertThat(c.peerRole()).isEqualTo(DrbdRole.SECONDARY);
            assertThat(c.peerDevices()).singleElement().satisfies(p -> {
                assertThat(p.replication()).isEqualTo(ReplicationState.SYNC_SOURCE);
                assertThat(p.peerDiskState()).isEqualTo(DiskState.INCONSISTENT);
            });
        });
        assertThat(single.isResyncing()).isTrue();
        assertThat(single.resyncPercentDone()).hasValue(96.47);
        assertThat(single.resyncEtaSeconds()).isEmpty();
        assertThat(single.isUpToDateBothSides()).isFalse();
    }

    @Test
    void multipleResourcesVolumesAndPeers() throws Exception {
        DrbdStatus status = DrbdParser.statusText(
                SharedCorpus.read("drbd/drbdadm-status/salt-shaptools-2res-2vol-3node.txt"));

        assertThat(status.resources()).extracting(DrbdResource::name).containsExactly("res", "test");
        assertThat(status.resources()).allSatisfy(r -> {
            assertThat(r.devices()).extracting(DrbdDevice::volume).containsExactly(0, 1);
            assertThat(r.connections()).extracting(DrbdConnection::peerName).containsExactly("node2", "node3");
            assertThat(r.connections()).allSatisfy(c -> assertThat(c.peerDevices()).hasSize(2));
            // drbdadm status omits connection:Connected when connected; peer roles are only known then
            assertThat(r.connections()).allSatisfy(c -> assertThat(c.peerRole()).isEqualTo(DrbdRole.SECONDARY));
        });
    }

    @Test
    void peerInconsistentIsDegraded() throws Exception {
        DrbdResource beijing = DrbdParser.statusText(
                SharedCorpus.read("drbd/drbdadm-status/salt-shaptools-beijing-peer-inconsistent.txt")).resources().get(0);
        assertThat(beijing.connections().get(0).peerDevices().get(0).peerDiskState())
                .isEqualTo(DiskState.INCONSISTENT);
        assertThat(beijing.isDegraded()).isTrue();
    }

    @Test
    void verboseStatisticsWithWrappedLines() throws Exception {
        DrbdResource home = DrbdParser.statusText(SharedCorpus.read(
                "drbd/docs/linbit-ug9-drbd-administration-manual-L93-drbdsetup-status-home-verbose-statistics.txt"))
                .resources().get(0);

        assertThat(home.devices()).singleElement().satisfies(d -> {
            assertThat(d.minor()).isZero();
            assertThat(d.sizeKib()).hasValue(1048412);
        });
        assertThat(home.connections()).extracting(DrbdConnection::peerName).containsExactly("nina", "nino", "nono");
        assertThat(home.connections()).extracting(DrbdConnection::state).containsExactly(
                ConnectionState.CONNECTED, ConnectionState.CONNECTED, ConnectionState.CONNECTING);
        assertThat(home.connections().get(2).peerNodeId()).hasValue(3);
        assertThat(home.connections().get(0).peerDevices().get(0).outOfSyncKib()).hasValue(0);
        assertThat(home.isConnected()).isFalse();
        assertThat(home.isDegraded()).isTrue();
    }

    @Test
    void standAloneWithDataIsSplitBrain() throws Exception {
        DrbdResource here = DrbdParser.statusText("""
                nfo-config role:Primary
                  disk:UpToDate
                  nfo-b connection:StandAlone
                """).resources().get(0);
        DrbdResource there = DrbdParser.statusText("""
                nfo-config role:Primary
                  disk:UpToDate
                  nfo-a connection:StandAlone
                """).resources().get(0);
        DrbdResource waiting = DrbdParser.statusText("""
                nfo-config role:Secondary
                  disk:UpToDate
                  nfo-a connection:Connecting
                """).resources().get(0);

        assertThat(here.isSplitBrain()).isTrue();
        assertThat(here.isSplitBrainWith(there)).isTrue();
        assertThat(waiting.isSplitBrain()).isFalse();
        assertThat(here.isSplitBrainWith(waiting)).isFalse();
    }

    @Test
    void colouredOutputReadsLikePlainOutput() throws Exception {
        DrbdResource r = DrbdParser.statusText(
                "r0 role:\u001b[1;36mPrimary\u001b[0m\n  disk:\u001b[1;32mUpToDate\u001b[0m\n").resources().get(0);
        assertThat(r.role()).isEqualTo(DrbdRole.PRIMARY);
        assertThat(r.devices().get(0).diskState()).isEqualTo(DiskState.UP_TO_DATE);
    }

    @Test
    void singleWordAnswersAndGarbageAreTypedErrors() {
        assertThatThrownBy(() -> DrbdParser.statusText("Connected\n")).isInstanceOf(DrbdParseException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> DrbdParser.statusText("  disk:UpToDate\n")).isInstanceOf(DrbdParseException.class);
        assertThatThrownBy(() -> DrbdParser.statusText("")).isInstanceOf(DrbdParseException.class)
                .hasMessageContaining("no resource");
        assertThatThrownBy(() -> DrbdParser.statusText("r0 role:Primary\n  volume:99999999999 disk:UpToDate"))
                .isInstanceOf(DrbdParseException.class);
        assertThatThrownBy(() -> DrbdParser.statusText("r0 role:Primary\n  volume:0 size:lots"))
                .isInstanceOf(DrbdParseException.class).hasMessageContaining("not a number");
    }
}
