package io.tandem.netflow.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.tandem.lab.exporter.SimulatedExporter;
import io.tandem.netflow.TemplateCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs fake {@code tcpdump} scripts; needs /bin/sh. */
class TcpdumpCaptureTest {

    @TempDir
    Path dir;

    @BeforeEach
    void shell() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static TcpdumpCapture.Config config(Path tcpdump) {
        return TcpdumpCapture.Config.of(List.of(2055, 9995)).withTcpdumpPath(tcpdump.toString())
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void commandIsAnArgumentListWithThePortFilter() {
        TcpdumpCapture capture = new TcpdumpCapture(config(Path.of("/usr/sbin/tcpdump")).withSudo(true), (a, b, c, d, e, f, g, h) -> { });
        assertThat(capture.command()).containsExactly("sudo", "-n", "/usr/sbin/tcpdump", "-i", "any", "-nn", "-U", "-s", "0",
                "-w", "-", "udp and (dst port 2055 or dst port 9995)");
    }

    @Test
    void feedsThePcapStreamIntoTheDecoderAndReportsRunning() throws Exception {
        SimulatedExporter exporter = new SimulatedExporter(10, 42, 3, 1);
        List<byte[]> frames = new ArrayList<>();
        for (byte[] packet : exporter.templatePackets(0)) {
            frames.add(Frames.udp4(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2}, 50000, 2055, packet, 0));
        }
        frames.add(Frames.udp4(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2}, 50000, 2055, exporter.dataPacket(0, 7, 0), 0));
        Path pcap = dir.resolve("stream.pcap");
        Files.write(pcap, Frames.pcap(276, true, false, 1_000, frames.stream().map(f -> Frames.sll2(0x0800, f)).toList()));
        Path args = dir.resolve("args");
        Path fake = script("tcpdump", "printf '%s\\n' \"$@\" > '" + args + "'\ncat '" + pcap + "'\nexec sleep 60");

        FlowIngest ingest = new FlowIngest(new TemplateCache());
        try (TcpdumpCapture capture = new TcpdumpCapture(config(fake), ingest)) {
            capture.start();
            // 7 flow records plus the options (sampling) record the template packet carries
            await(() -> ingest.stats().dataRecords() == 8, "data records");
            assertThat(capture.status().state()).isEqualTo(TcpdumpCapture.State.RUNNING);
            assertThat(capture.status().starts()).isEqualTo(1);
            assertThat(capture.status().datagrams()).isEqualTo(frames.size());
        }
        assertThat(ingest.cache().size()).isEqualTo(4);
        assertThat(Files.readAllLines(args)).containsExactly("-i", "any", "-nn", "-U", "-s", "0", "-w", "-",
                "udp and (dst port 2055 or dst port 9995)");
    }

    @Test
    void permissionErrorIsReportedAndRetriedWithBackoff() throws Exception {
        Path fake = script("tcpdump", "echo 'tcpdump: any: You don'\"'\"'t have permission to capture on that device' >&2\nexit 1");
        try (TcpdumpCapture capture = new TcpdumpCapture(config(fake), (a, b, c, d, e, f, g, h) -> { })) {
            capture.start();
            await(() -> capture.status().starts() >= 2, "a restart");
            TcpdumpCapture.Status status = capture.status();
            assertThat(status.state()).isEqualTo(TcpdumpCapture.State.NOT_PERMITTED);
            assertThat(status.lastError()).contains("You don't have permission to capture");
        }
    }

    @Test
    void missingBinaryIsReported() throws Exception {
        try (TcpdumpCapture capture = new TcpdumpCapture(config(dir.resolve("no-such-tcpdump")), (a, b, c, d, e, f, g, h) -> { })) {
            capture.start();
            await(() -> capture.status().state() == TcpdumpCapture.State.MISSING, "MISSING");
            assertThat(capture.status().starts()).isZero();
            assertThat(capture.status().lastError()).contains("no-such-tcpdump");
        }
    }

    @Test
    void processThatDiesIsRestarted() throws Exception {
        Path fake = script("tcpdump", "echo 'tcpdump: pcap_loop: The interface went down' >&2\nexit 1");
        try (TcpdumpCapture capture = new TcpdumpCapture(config(fake), (a, b, c, d, e, f, g, h) -> { })) {
            capture.start();
            await(() -> capture.status().starts() >= 3, "restarts");
            assertThat(capture.status().state()).isEqualTo(TcpdumpCapture.State.RESTARTING);
            assertThat(capture.status().lastError()).isEqualTo("tcpdump: pcap_loop: The interface went down");
        }
    }
}
