package io.tandem.netflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tandem.lab.exporter.SimulatedExporter;
import io.tandem.netflow.Corpus;
import io.tandem.netflow.Exporter;
import io.tandem.netflow.TemplateDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TemplatesCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TemplatesCommand.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
    }

    private JsonNode json() {
        return JsonMapper.builder().build().readTree(out.toString());
    }

    @Test
    void rawPayloadReportListsTemplatesWithEnterpriseAndVariableLengthFields() throws IOException {
        SimulatedExporter exporter = new SimulatedExporter(10, 77, 2, 1);
        Path raw = dir.resolve("templates.dat");
        Files.write(raw, exporter.templatePackets(0).get(0));

        assertThat(run("--exporter", "203.0.113.5", raw.toString())).isZero();
        JsonNode file = json().get("files").get(0);
        assertThat(file.get("file").asString()).isEqualTo(raw.toString());
        assertThat(file.get("packets").asLong()).isEqualTo(1);
        assertThat(file.get("templateRecords").asLong()).isEqualTo(3);
        assertThat(file.get("dataRecords").asLong()).isEqualTo(1); // the sampling options record
        assertThat(file.get("undecodableRecords").asLong()).isZero();
        assertThat(file.get("errors")).isEmpty();
        List<String> described = new ArrayList<>();
        for (JsonNode t : file.get("templates")) {
            StringBuilder s = new StringBuilder(t.get("exporter").asString() + " " + t.get("domain").asLong() + " "
                    + t.get("templateId").asInt() + " " + t.get("kind").asString() + ":");
            t.get("fields").forEach(f -> s.append(' ').append(f.get("id").asInt()).append('/')
                    .append(f.get("enterprise").asLong()).append('/').append(f.get("length").asInt()));
            described.add(s.toString());
        }
        List<String> expected = new ArrayList<>();
        List<TemplateDefinition> defs = exporter.templates();
        for (int i = 0; i < defs.size(); i++) {
            StringBuilder s = new StringBuilder("203.0.113.5 77 " + (256 + i) + " " + defs.get(i).kind() + ":");
            defs.get(i).fields().forEach(f -> s.append(' ').append(f.id()).append('/').append(f.enterprise()).append('/').append(f.length()));
            expected.add(s.toString());
        }
        assertThat(described).isEqualTo(expected);
        assertThat(described.get(0)).contains(" 12235/9/4");   // enterprise bit stripped from the id
        assertThat(described.get(1)).contains(" 82/0/65535");  // variable length
    }

    @Test
    void withdrawnTemplatesAreNotListed() {
        byte[] template = {0, 10, 0, 28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 12, 1, 0, 0, 1, 0, 8, 0, 4};
        byte[] withdrawal = {0, 10, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 8, 1, 0, 0, 0};
        assertThat(TemplateFileReport.analyze("t", template, Exporter.UNSPECIFIED).templates()).hasSize(1);
        // a capture holding the template, then its withdrawal
        byte[] capture = io.tandem.netflow.capture.CaptureTestFiles.pcapOfPayloads(List.of(template, withdrawal));
        TemplateFileReport.Report report = TemplateFileReport.analyze("capture.pcap", capture, Exporter.UNSPECIFIED);
        assertThat(report.packets()).isEqualTo(2);
        assertThat(report.templateRecords()).isEqualTo(1);
        assertThat(report.templates()).isEmpty();
    }

    @Test
    void decodeErrorsExitOneWithTheReportAndOffsets() throws IOException {
        Path broken = dir.resolve("broken.dat");
        Files.write(broken, new byte[] {0, 10, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        Path notFlow = dir.resolve("notes.txt");
        Files.writeString(notFlow, "hello");
        assertThat(run(broken.toString(), notFlow.toString())).isEqualTo(1);
        JsonNode files = json().get("files");
        assertThat(files.get(0).get("errors").get(0).get("offset").asLong()).isEqualTo(2);
        assertThat(files.get(0).get("errors").get(0).get("reason").asString()).contains("exceeds the datagram");
        assertThat(files.get(1).get("errors").get(0).get("reason").asString()).contains("neither");
    }

    @Test
    void badUsageAndUnreadableFilesExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("--exporter")).isEqualTo(2);
        assertThat(run("--exporter", "not-an-ip", "x")).isEqualTo(2);
        assertThat(run("--frobnicate", "x")).isEqualTo(2);
        assertThat(run(dir.resolve("absent.pcap").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read").contains("usage");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void corpusPcapReportMatchesTheCatalog() {
        Corpus.assumePresent();
        assertThat(run(Corpus.NETFLOW.resolve("pmacct/104-IPFIXv10-IPv6-CISCO-sampling_option-traffic-00.pcap").toString())).isZero();
        JsonNode file = json().get("files").get(0);
        assertThat(file.get("packets").asLong()).isEqualTo(5);
        assertThat(file.get("dataRecords").asLong()).isEqualTo(4);
        List<String> ids = new ArrayList<>();
        file.get("templates").forEach(t -> ids.add(t.get("templateId").asInt() + ":" + t.get("kind").asString()
                + "@" + t.get("exporter").asString()));
        assertThat(ids).allMatch(s -> s.endsWith("@2a02:a90:4007:700::54"))
                .extracting(s -> s.substring(0, s.indexOf('@')))
                .containsExactlyInAnyOrder("257:IPFIX_OPTIONS", "339:IPFIX", "340:IPFIX", "341:IPFIX", "342:IPFIX");
    }
}
