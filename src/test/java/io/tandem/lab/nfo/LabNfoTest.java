package io.tandem.lab.nfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.lab.exporter.ExporterSimulator;
import io.tandem.lab.sink.SiemSink;
import io.tandem.node.GateDestination;

/** A lab NFO node over loopback between the real exporter simulator and a SIEM sink. */
class LabNfoTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path home;

    private SiemSink sink;
    private LabNfo nfo;
    private ExporterSimulator exporter;

    @AfterEach
    void tearDown() {
        if (exporter != null) {
            exporter.close();
        }
        if (nfo != null) {
            nfo.stop();
        }
        if (sink != null) {
            sink.close();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private LabNfoConfig config(OutputGateSim gate, GateDestination.Transport transport) {
        InetSocketAddress out = transport == GateDestination.Transport.UDP ? sink.udpAddress() : sink.tcpAddress();
        return new LabNfoConfig("nodeA", home, LOOPBACK, new LabNfoConfig.Output(out, transport), 0, gate,
                Clock.systemUTC());
    }

    private ExporterSimulator exporterTo(InetSocketAddress nfoAddress, Duration templateInterval) throws Exception {
        ExporterSimulator simulator = new ExporterSimulator(new ExporterSimulator.Config(List.of(nfoAddress), 2, 2, 10,
                templateInterval, 400, null), Clock.systemUTC());
        simulator.start();
        return simulator;
    }

    @Test
    void learnsTemplatesAndForwardsEveryDecodedRecordToTheSiem() throws Exception {
        sink = SiemSink.start(LOOPBACK, Clock.systemUTC());
        nfo = LabNfo.start(config(OutputGateSim.opened(), GateDestination.Transport.UDP));
        exporter = exporterTo(nfo.listenAddress(), Duration.ofSeconds(30));

        await(() -> sink.totals().getOrDefault("nodeA", 0L) >= 200, "records at the SIEM");
        exporter.close();
        exporter = null;
        await(() -> sink.totals().getOrDefault("nodeA", 0L) == nfo.status().forwarded(), "the SIEM to catch up");

        LabNfoStatus status = nfo.status();
        assertThat(status.templates()).isEqualTo(2 * 3); // two exporters, two data templates and one options each
        assertThat(status.forwarded()).isEqualTo(status.decodedRecords());
        assertThat(status.outputErrors()).isZero();
        assertThat(sink.malformed()).isZero();
        // each line names its record (exporter, domain, packet sequence, index): the SIEM finds none missing or doubled
        assertThat(sink.exporters()).hasSize(2).allSatisfy((exporter, counts) -> {
            assertThat(counts.lost()).as("lost from " + exporter).isZero();
            assertThat(counts.duplicated()).as("duplicated from " + exporter).isZero();
        });
        await(() -> readStatus().contains("\"forwarded\":" + nfo.status().forwarded()), "the status file");
    }

    @Test
    void dropsRecordsBeforeItsTemplatesArriveAndCountsThem() throws Exception {
        sink = SiemSink.start(LOOPBACK, Clock.systemUTC());
        nfo = LabNfo.start(config(OutputGateSim.opened(), GateDestination.Transport.UDP));
        exporter = exporterTo(nfo.listenAddress(), Duration.ofHours(1));
        InetSocketAddress nfoAddress = nfo.listenAddress();
        await(() -> nfo.status().decodedRecords() > 0, "templates learned");
        // the node loses its templates and the exporter will not re-send them for an hour
        exporter.stopTemplatesTo(nfoAddress);
        // a template packet already on its way would teach the node again after it forgot: forget once packets sent
        // after the stop (one in progress per exporter, then one more) have arrived; one socket keeps their order
        long after = exporter.counters().packets() + 3;
        await(() -> exporter.counters().packets() >= after, "packets sent after the stop");
        await(() -> nfo.status().receivedPackets() >= after, "those packets received");
        nfo.forgetTemplates();
        long forwarded = nfo.status().forwarded();
        await(() -> nfo.status().droppedNoTemplate() >= 20, "drops for lack of a template");

        assertThat(nfo.status().templates()).isZero();
        assertThat(nfo.status().forwarded()).isEqualTo(forwarded);
    }

    @Test
    void persistsTemplatesAndReloadsThemAtTheNextStart() throws Exception {
        sink = SiemSink.start(LOOPBACK, Clock.systemUTC());
        nfo = LabNfo.start(config(OutputGateSim.opened(), GateDestination.Transport.UDP));
        exporter = exporterTo(nfo.listenAddress(), Duration.ofHours(1));
        await(() -> nfo.status().templates() == 6, "templates learned");
        exporter.close();
        exporter = null;
        nfo.stop();

        nfo = LabNfo.start(config(OutputGateSim.opened(), GateDestination.Transport.UDP));

        assertThat(nfo.status().templates()).isEqualTo(6);
        assertThat(nfo.status().templatesLoaded()).isEqualTo("6 templates");
    }

    @Test
    void readsItsConfigurationOnlyAtStart() throws Exception {
        Path etc = home.resolve(NfoConfiguration.ETC);
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("server.cfg"), "# lab\nLISTEN_PORT 9555\nSYSLOG_HOST 127.0.0.1\n");
        sink = SiemSink.start(LOOPBACK, Clock.systemUTC());
        nfo = LabNfo.start(config(OutputGateSim.opened(), GateDestination.Transport.UDP));
        String digest = nfo.status().configDigest();
        assertThat(nfo.configuration().settings()).containsEntry("LISTEN_PORT", "9555");

        Files.writeString(etc.resolve("server.cfg"), "LISTEN_PORT 2055\n");
        assertThat(nfo.status().configDigest()).isEqualTo(digest);

        nfo.stop();
        nfo = LabNfo.start(config(OutputGateSim.opened(), GateDestination.Transport.UDP));
        assertThat(nfo.status().configDigest()).isNotEqualTo(digest);
        assertThat(nfo.configuration().settings()).containsEntry("LISTEN_PORT", "2055");
    }

    @Test
    void aBlockedGateStopsTheOutputAndCountsWhatItDropped() throws Exception {
        sink = SiemSink.start(LOOPBACK, Clock.systemUTC());
        OutputGateSim gate = OutputGateSim.opened();
        nfo = LabNfo.start(config(gate, GateDestination.Transport.TCP));
        gate.block(List.of(nfo.config().output().gateDestination()));
        exporter = exporterTo(nfo.listenAddress(), Duration.ofSeconds(30));

        await(() -> gate.droppedPackets() >= 100, "the gate to drop output");

        assertThat(nfo.status().forwarded()).isZero();
        assertThat(sink.totals()).isEmpty();
        assertThat(nfo.status().gateBlockedPackets()).isPositive();
        assertThat(gate.droppedBytes()).isGreaterThan(gate.droppedPackets() * 50);

        gate.open();
        await(() -> sink.totals().getOrDefault("nodeA", 0L) >= 50, "output over TCP once the gate opens");
    }

    private String readStatus() {
        try {
            return Files.readString(home.resolve(LabNfo.STATUS_FILE));
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
