package io.tandem.drbd;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DrbdEvents2Test {

    @Test
    void liveViewEvolvesLineByLine() throws Exception {
        DrbdEvents2 view = new DrbdEvents2();
        String[] lines = SharedCorpus.read("drbd/events2/events2-all-create-change.txt").split("\n");

        view.apply(lines[0]);
        assertThat(view.initialStateComplete()).isTrue();
        assertThat(view.snapshot().resources()).isEmpty();

        for (int i = 1; i <= 4; i++) {
            view.apply(lines[i]);
        }
        DrbdResource created = view.snapshot().resource("some-resource").orElseThrow();
        assertThat(created.role()).isEqualTo(DrbdRole.SECONDARY);
        assertThat(created.devices().get(0).diskState()).isEqualTo(DiskState.DISKLESS);
        assertThat(created.connections().get(0).state()).isEqualTo(ConnectionState.STANDALONE);
        assertThat(created.connections().get(0).peerName()).isEqualTo("some-peer");
        assertThat(created.isSplitBrain()).isFalse(); // StandAlone, but diskless: nothing to diverge

        for (int i = 5; i < lines.length; i++) {
            view.apply(lines[i]);
        }
        DrbdResource upToDate = view.snapshot().resource("some-resource").orElseThrow();
        assertThat(upToDate.role()).isEqualTo(DrbdRole.PRIMARY);
        assertThat(upToDate.isConnected()).isTrue();
        assertThat(upToDate.isUpToDateBothSides()).isTrue();
        assertThat(created.role()).isEqualTo(DrbdRole.SECONDARY); // snapshots are immutable
    }

    @Test
    void resyncPercentAndEtaFromStatistics() throws Exception {
        DrbdResource r = DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-sync--statistics.txt"))
                .resources().get(0);

        DrbdPeerDevice peer = r.connections().get(0).peerDevices().get(0);
        assertThat(peer.replication()).isEqualTo(ReplicationState.SYNC_SOURCE);
        assertThat(peer.peerDiskState()).isEqualTo(DiskState.INCONSISTENT);
        assertThat(peer.outOfSyncKib()).hasValue(2500);
        assertThat(r.resyncPercentDone()).hasValue(37.5);
        assertThat(r.resyncEtaSeconds()).hasValue(10);
    }

    @Test
    void destroyRemovesObjects() throws Exception {
        assertThat(DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-all-create-destroy.txt")).resources())
                .isEmpty();
        DrbdEvents2 view = new DrbdEvents2();
        String[] lines = SharedCorpus.read("drbd/events2/events2-device-create-destroy.txt").split("\n");
        for (int i = 0; i < 4; i++) {
            view.apply(lines[i]);
        }
        assertThat(view.snapshot().resources().get(0).devices()).extracting(DrbdDevice::minor)
                .containsExactly(1000, 1001);
        view.apply(lines[4]);
        assertThat(view.snapshot().resources().get(0).devices()).extracting(DrbdDevice::minor)
                .containsExactly(1000);
    }

    @Test
    void quorumLossIsTracked() throws Exception {
        DrbdResource r = DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-may-promote-quorum.txt"))
                .resources().get(0);
        assertThat(r.devices().get(0).quorum()).contains(false);
    }

    @Test
    void timestampColourAndDiffVariantsGiveTheSameState() throws Exception {
        DrbdStatus plain = DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-all-create-change.txt"));

        assertThat(DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-all-create-change--timestamps.txt")))
                .isEqualTo(plain);
        assertThat(DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-all-create-change--color.txt")))
                .isEqualTo(plain);
        assertThat(DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-all-create-change--diff.txt")))
                .isEqualTo(plain);
    }

    @Test
    void changeBeforeExistsAndWrappedDocumentationListings() throws Exception {
        DrbdStatus early = DrbdParser.events2(SharedCorpus.read("drbd/events2/events2-change-before-exists.txt"));
        assertThat(early.resources().get(0).role()).isEqualTo(DrbdRole.PRIMARY);

        DrbdResource r0 = DrbdParser.events2(SharedCorpus.read(
                "drbd/docs/linbit-ug9-drbd-administration-manual-L196-drbdsetup-events2-statistics-now-r0.txt"))
                .resource("r0").orElseThrow();
        assertThat(r0.devices()).extracting(DrbdDevice::minor).containsExactly(7, 8);
        assertThat(r0.connections().get(0).peerDevices()).hasSize(2);
        assertThat(r0.isUpToDateBothSides()).isTrue();
    }

    @Test
    void splitBrainAfterTheConnectionDrops() throws Exception {
        DrbdEvents2 view = new DrbdEvents2();
        view.apply("exists resource name:r0 role:Primary suspended:no");
        view.apply("exists device name:r0 volume:0 minor:0 disk:UpToDate");
        view.apply("exists connection name:r0 peer-node-id:1 conn-name:nfo-b connection:Connected role:Secondary");
        view.apply("exists -");
        assertThat(view.snapshot().resources().get(0).isSplitBrain()).isFalse();

        view.apply("change connection name:r0 peer-node-id:1 conn-name:nfo-b connection:StandAlone");
        assertThat(view.snapshot().resources().get(0).isSplitBrain()).isTrue();
    }

    @Test
    void splitBrainHandlerCallIsAHintUntilReconnected() throws Exception {
        DrbdEvents2 view = new DrbdEvents2();
        view.apply("exists resource name:r0 role:Secondary suspended:no");
        view.apply("exists device name:r0 volume:0 minor:0 disk:Outdated");
        view.apply("exists connection name:r0 peer-node-id:1 conn-name:nfo-b connection:Connecting role:Unknown");
        view.apply("exists -");
        view.apply("call helper name:r0 peer-node-id:1 conn-name:nfo-b volume:0 helper:split-brain");
        view.apply("response helper name:r0 peer-node-id:1 conn-name:nfo-b volume:0 helper:split-brain status:0");
        DrbdResource reported = view.snapshot().resources().get(0);
        assertThat(reported.connections().get(0).splitBrainReported()).isTrue();
        assertThat(reported.isSplitBrain()).isTrue();

        view.apply("change connection name:r0 peer-node-id:1 conn-name:nfo-b connection:Connected role:Primary");
        assertThat(view.snapshot().resources().get(0).isSplitBrain()).isFalse();
    }

    @Test
    void otherHelperCallsChangeNothing() throws Exception {
        DrbdStatus before = DrbdParser.events2("exists -\ncreate resource name:r0 role:Secondary\n");
        DrbdStatus after = DrbdParser.events2("exists -\ncreate resource name:r0 role:Secondary\n"
                + "call helper name:r0 peer-node-id:1 conn-name:b volume:0 helper:before-resync-target\n");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void foreignLinesAreTypedErrors() {
        DrbdEvents2 view = new DrbdEvents2();
        assertThatThrownBy(() -> view.apply("hello world")).isInstanceOf(DrbdParseException.class);
        assertThatThrownBy(() -> view.apply("change resource role:Primary")).isInstanceOf(DrbdParseException.class)
                .hasMessageContaining("without name");
        assertThatThrownBy(() -> view.apply("change device name:r0 minor:0")).isInstanceOf(DrbdParseException.class)
                .hasMessageContaining("volume");
        assertThatThrownBy(() -> view.apply("x".repeat(100_000))).isInstanceOf(DrbdParseException.class);
        assertThatThrownBy(() -> DrbdParser.events2("")).isInstanceOf(DrbdParseException.class);
    }
}
