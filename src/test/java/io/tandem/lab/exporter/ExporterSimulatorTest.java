package io.tandem.lab.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.tandem.netflow.CachedTemplate;
import io.tandem.netflow.Parity;
import io.tandem.netflow.ParityReport;
import io.tandem.netflow.TemplateCache;
import io.tandem.netflow.TemplateDefinition;
import io.tandem.netflow.TemplateField;
import io.tandem.netflow.TemplateKind;
import io.tandem.netflow.capture.FlowIngest;
import io.tandem.netflow.capture.UdpMirrorSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The simulator over loopback into real {@link UdpMirrorSource}s feeding the decoder. */
class ExporterSimulatorTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, TemplateDefinition> learned(TemplateCache cache) {
        return cache.snapshot(System.currentTimeMillis()).templates().stream()
                .collect(Collectors.toMap(t -> t.key().domain() + "/" + t.key().templateId(), CachedTemplate::definition));
    }

    private static Map<String, TemplateDefinition> sent(ExporterSimulator simulator) {
        return simulator.templates().stream()
                .collect(Collectors.toMap(t -> t.domain() + "/" + t.templateId(), ExporterSimulator.SimulatedTemplate::definition));
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10})
    void decoderLearnsEveryTemplateAndCountsData(int version) throws Exception {
        FlowIngest ingest = new FlowIngest(new TemplateCache());
        try (UdpMirrorSource mirror = new UdpMirrorSource(ANY_LOOPBACK, ingest, Clock.systemUTC())) {
            mirror.start();
            ExporterSimulator.Config config = new ExporterSimulator.Config(List.of(mirror.localAddress()), 4, 3, version,
                    Duration.ofSeconds(60), 2_000, null);
            try (ExporterSimulator simulator = new ExporterSimulator(config, Clock.systemUTC())) {
                simulator.start();
                await(() -> ingest.cache().size() == 4 * (3 + 1) && ingest.stats().dataRecords() > 500, "templates and data");
                assertThat(learned(ingest.cache())).isEqualTo(sent(simulator));
            }
        }
        assertThat(ingest.stats().packetsWithErrors()).isZero();
        List<TemplateDefinition> definitions = List.copyOf(learned(ingest.cache()).values());
        assertThat(definitions).anyMatch(d -> d.kind() == (version == 9 ? TemplateKind.V9_OPTIONS : TemplateKind.IPFIX_OPTIONS));
        assertThat(definitions).anyMatch(TemplateDefinition::hasVariableLengthFields);
        if (version == 10) {
            assertThat(definitions).anyMatch(d -> d.fields().stream().anyMatch(f -> f.enterprise() == SimulatedExporter.ENTERPRISE));
        }
    }

    @Test
    void templateChangeWithTemplatesStoppedToOneDestinationShowsAsAConflict() throws Exception {
        FlowIngest active = new FlowIngest(new TemplateCache());
        FlowIngest passive = new FlowIngest(new TemplateCache());
        try (UdpMirrorSource a = new UdpMirrorSource(ANY_LOOPBACK, active, Clock.systemUTC());
             UdpMirrorSource p = new UdpMirrorSource(ANY_LOOPBACK, passive, Clock.systemUTC())) {
            a.start();
            p.start();
            ExporterSimulator.Config config = new ExporterSimulator.Config(List.of(a.localAddress(), p.localAddress()), 2, 2, 10,
                    Duration.ofSeconds(60), 1_000, null);
            try (ExporterSimulator simulator = new ExporterSimulator(config, Clock.systemUTC())) {
                simulator.start();
                await(() -> active.cache().size() == 6 && passive.cache().size() == 6, "initial templates");
                simulator.stopTemplatesTo(p.localAddress());
                simulator.changeTemplate(1, 257);
                TemplateDefinition changed = sent(simulator).get("1001/257");
                assertThat(changed.fields()).contains(new TemplateField(136, 0, 1));
                await(() -> changed.equals(learned(active.cache()).get("1001/257")), "the active to learn the change");
                long now = System.currentTimeMillis();
                ParityReport report = Parity.compare(active.cache().snapshot(now), passive.cache().snapshot(now), now);
                assertThat(report.conflicts()).singleElement().satisfies(c -> {
                    assertThat(c.key().domain()).isEqualTo(1001);
                    assertThat(c.key().templateId()).isEqualTo(257);
                    assertThat(c.fieldDiff()).extracting(ParityReport.FieldChange::active).contains(new TemplateField(136, 0, 1));
                });

                simulator.resumeTemplatesTo(p.localAddress());
                simulator.changeTemplate(1, 257); // flips back; now both receive it
                await(() -> learned(passive.cache()).equals(learned(active.cache()))
                        && !learned(active.cache()).get("1001/257").equals(changed), "both to converge");
                assertThat(simulator.counters().sendErrors()).isZero();
            }
        }
    }

    @Test
    void commandRejectsBadUsageAndRunsForItsDuration() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(ExportersCommand.run(List.of("--to", "127.0.0.1:9995"), new PrintStream(out), new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("missing --exporters");
        assertThat(ExportersCommand.run(List.of("--to", "127.0.0.1:99999", "--exporters", "1", "--templates", "1", "--version", "9",
                "--template-interval", "1", "--rate", "1"), new PrintStream(out), new PrintStream(err))).isEqualTo(2);
        assertThat(ExportersCommand.run(List.of("--to", "127.0.0.1:9", "--exporters", "2", "--templates", "2", "--version", "10",
                "--template-interval", "1", "--rate", "100", "--duration", "0"), new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString()).contains("packets=");
        assertThat(ExportersCommand.destination("[::1]:2055")).isEqualTo(new InetSocketAddress("::1", 2055));
        assertThatThrownBy(() -> ExportersCommand.destination("host-without-port")).isInstanceOf(IllegalArgumentException.class);
    }
}
