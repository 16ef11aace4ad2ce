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
}
