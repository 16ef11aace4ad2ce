package io.tandem.lab.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.tandem.lab.nfo.FlowSyslog;

/** Counting per node and second, and the loss/duplication helpers, on a virtual clock. */
class SiemSinkTest {

    private final AtomicLong millis = new AtomicLong(1_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    };

    private static String line(String node, long seq) {
        return new FlowSyslog(Instant.EPOCH, node, "127.0.0.1", 1000, "256", seq).format();
    }

    @Test
    void findsTheFailoverGapAndTheSecondsWithDuplicateOutput() throws Exception {
        try (SiemSink sink = SiemSink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clock)) {
            sink.accept(line("n1", 1));
            sink.accept(line("n1", 2));
            millis.addAndGet(4000); // three silent seconds: the failover
            sink.accept(line("n2", 1));
            sink.accept(line("n1", 3)); // both outputs open in this second
            sink.accept("<13>1 garbage");

            assertThat(sink.totals()).isEqualTo(Map.of("n1", 3L, "n2", 1L));
            assertThat(sink.gaps(Duration.ofSeconds(2))).containsExactly(new SiemSink.Gap(1_000_001, 1_000_003));
            assertThat(sink.gaps(Duration.ofSeconds(4))).isEmpty();
            assertThat(sink.overlaps()).singleElement().satisfies(o -> {
                assertThat(o.second()).isEqualTo(1_000_004);
                assertThat(o.byNode()).isEqualTo(Map.of("n2", 1L, "n1", 1L));
            });
            assertThat(sink.malformed()).isEqualTo(1);
        }
    }

    private static String record(String node, String exporter, int version, long packetSeq, int record, int records) {
        return new FlowSyslog(Instant.EPOCH, node, exporter, 1000, "256", 1, version, packetSeq, record, records).format();
    }

    @Test
    void countsLostAndDuplicatedRecordsPerExporterFromTheirIdentities() throws Exception {
        try (SiemSink sink = SiemSink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clock)) {
            // IPFIX: a packet's sequence counts the records before it. Packets 100 (3 records), 103 (2), then
            // 105 (2 records) never arrives and 107 (1) arrives from both nodes: 2 lost, 1 duplicated.
            for (int i = 0; i < 3; i++) {
                sink.accept(record("n1", "10.0.0.1", 10, 100, i, 3));
            }
            sink.accept(record("n1", "10.0.0.1", 10, 103, 0, 2));
            sink.accept(record("n1", "10.0.0.1", 10, 103, 1, 2));
            sink.accept(record("n1", "10.0.0.1", 10, 107, 0, 1));
            sink.accept(record("n2", "10.0.0.1", 10, 107, 0, 1));
            // v9 numbers packets: packet 7 lacks its second record, packet 8 (maybe templates only) is reported apart
            sink.accept(record("n2", "10.0.0.2", 9, 6, 0, 1));
            sink.accept(record("n2", "10.0.0.2", 9, 7, 0, 2));
            sink.accept(record("n2", "10.0.0.2", 9, 9, 0, 1));
            sink.accept(record("n1", "10.0.0.2", 9, 9, 0, 1));
            sink.accept(record("n1", "10.0.0.2", 9, 9, 0, 1));

            assertThat(sink.exporters()).containsEntry("10.0.0.1/1000", new RecordLedger.Counts(7, 2, 1, 0, false))
                    .containsEntry("10.0.0.2/1000", new RecordLedger.Counts(5, 1, 2, 1, false));
            assertThat(sink.report().exporters()).hasSize(2);
        }
    }

    @Test
    void recordsArrivingOutOfOrderAreNeitherLostNorDuplicated() throws Exception {
        try (SiemSink sink = SiemSink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clock)) {
            for (long seq : new long[] {4294967290L, 4294967294L, 4294967292L, 0, 2}) { // across the 2^32 wrap
                sink.accept(record("n1", "10.0.0.1", 10, seq, 0, 2));
                sink.accept(record("n1", "10.0.0.1", 10, seq, 1, 2));
            }
            assertThat(sink.exporters().get("10.0.0.1/1000")).isEqualTo(new RecordLedger.Counts(10, 0, 0, 0, false));
        }
    }

    @Test
    void aRecordIndexBeyondItsPacketIsNotALine() {
        String bad = record("n1", "10.0.0.1", 10, 1, 0, 1).replace("rec=\"0\"", "rec=\"1\"");
        assertThat(FlowSyslog.parse(bad)).isEmpty();
        assertThat(FlowSyslog.parse(record("n1", "10.0.0.1", 10, 1, 0, 1))).get()
                .extracting(FlowSyslog::packetSeq, FlowSyslog::record, FlowSyslog::records).containsExactly(1L, 0, 1);
    }
}
