package io.tandem.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.tandem.netflow.cli.TemplateFileReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the whole shared corpus and checks it against the counts the catalog states (logstash spec
 * {@code decode.size} per context, catalogued template lists per payload, pcap template lists and
 * decodable-record counts, akvorado replay sequences) and the flowset ids in logstash's expected events.
 */
class CorpusConformanceTest {

    private static final Pattern CONTEXT = Pattern.compile(
            "spec context \"([^\"]+)\" feeds \\[([^\\]]+)\\] → expect\\(decode\\.size\\) == (\\d+)");
    private static final Pattern PAYLOAD_ROW = Pattern.compile(
            "^\\| `netflow/logstash/([^`]+\\.dat)` \\| [^|]+ \\| [^|]+ \\| ([^|]+) \\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final Pattern PCAP_ROW = Pattern.compile(
            "^\\| `netflow/(\\w+/[^`]+\\.pcap)` \\| [^|]+ \\| [^|]+ \\| \\d+ \\| ([^|]+) \\| ([^|]+) \\| (\\d+)( \\(\\+\\d+ sets w/o template in this file\\))? \\|$",
            Pattern.MULTILINE);
    private static final Pattern SEQUENCE = Pattern.compile(
            "`netflow/akvorado/[^`]+` \\| [^\\n]*?Replay as a sequence: ([^;]+); decodable data records over the sequence \\(header parse\\): (\\d+)");

    private String catalog;

    @BeforeEach
    void corpus() {
        Corpus.assumePresent();
        catalog = Corpus.catalog();
    }

    @Test
    void everyCorpusFileDecodesWithoutUnexpectedErrors() {
        List<Path> files = new ArrayList<>(Corpus.files(".pcap"));
        files.addAll(Corpus.files(".dat"));
        assertThat(files).hasSizeGreaterThanOrEqualTo(34 + 92);
        List<String> withErrors = new ArrayList<>();
        for (Path f : files) {
            TemplateFileReport.Report r = TemplateFileReport.analyze(f.toString(), Corpus.read(f), Exporter.UNSPECIFIED);
            assertThat(r.packets()).as(f.toString()).isPositive();
            if (r.hasErrors()) {
                withErrors.add(f.getFileName() + " " + r.errors());
            }
        }
        // Only the packets the catalog describes as malformed on purpose may report errors.
        assertThat(withErrors).allSatisfy(e -> assertThat(e).containsAnyOf("invalid", "netscaler_data"));
    }

    @Test
    void logstashSpecContextsDecodeTheStatedRecordCounts() {
        Matcher m = CONTEXT.matcher(catalog);
        Map<String, Long> expected = new HashMap<>();
        Map<String, Long> actual = new HashMap<>();
        while (m.find()) {
            String key = m.group(1) + " " + m.group(2);
            if (expected.containsKey(key)) {
                continue;
            }
            TemplateCache cache = new TemplateCache();
            DecodeStats stats = new DecodeStats();
            for (String file : m.group(2).split(",\\s*")) {
                Corpus.replay(Corpus.NETFLOW.resolve("logstash").resolve(file.trim()), cache, stats);
            }
            expected.put(key, Long.parseLong(m.group(3)));
            actual.put(key, stats.dataRecords());
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(41);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void payloadTemplatesMatchTheCatalog() {
        Matcher m = PAYLOAD_ROW.matcher(contentTable());
        int checked = 0;
        while (m.find()) {
            Path file = Corpus.NETFLOW.resolve("logstash").resolve(m.group(1));
            TemplateCache cache = new TemplateCache();
            Corpus.replay(file, cache, new DecodeStats());
            Set<String> expected = new TreeSet<>();
            expected.addAll(parseTemplates(m.group(2).trim()));
            expected.addAll(parseOptions(m.group(3).trim()));
            Set<String> actual = cache.snapshot(0).templates().stream().map(CorpusConformanceTest::describe)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(actual).as(m.group(1)).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(92);
    }

    @Test
    void pcapTemplatesAndDecodableRecordsMatchTheCatalog() {
        Matcher m = PCAP_ROW.matcher(contentTable());
        int checked = 0;
        while (m.find()) {
            Path file = Corpus.NETFLOW.resolve(m.group(1));
            TemplateCache cache = new TemplateCache();
            DecodeStats stats = new DecodeStats();
            Corpus.replay(file, cache, stats);
            Set<String> expectedData = idsWithCounts(m.group(2));
            Set<String> expectedOptions = idsWithCounts(m.group(3));
            List<CachedTemplate> templates = cache.snapshot(0).templates();
            assertThat(templates.stream().filter(t -> !t.kind().isOptions()).map(CorpusConformanceTest::idWithCount)
                    .collect(Collectors.toSet())).as(m.group(1)).isEqualTo(expectedData);
            assertThat(templates.stream().filter(t -> t.kind().isOptions()).map(CorpusConformanceTest::idWithCount)
                    .collect(Collectors.toSet())).as(m.group(1)).isEqualTo(expectedOptions);
            assertThat(stats.dataRecords()).as(m.group(1)).isEqualTo(Long.parseLong(m.group(4)));
            if (m.group(5) != null) {
                assertThat(stats.undecodableSets()).as(m.group(1)).isPositive();
                assertThat(stats.undecodableRecords()).as(m.group(1)).isPositive();
            } else {
                assertThat(stats.undecodableSets()).as(m.group(1)).isZero();
            }
            checked++;
        }
        assertThat(checked).isEqualTo(34);
    }

    @Test
    void akvoradoSequencesDecodeTheStatedRecordCounts() {
        Matcher m = SEQUENCE.matcher(catalog);
        Map<String, Long> expected = new HashMap<>();
        Map<String, Long> actual = new HashMap<>();
        while (m.find()) {
            if (expected.containsKey(m.group(1))) {
                continue;
            }
            TemplateCache cache = new TemplateCache();
            DecodeStats stats = new DecodeStats();
            for (String file : m.group(1).split(" → ")) {
                Corpus.replay(Corpus.NETFLOW.resolve("akvorado").resolve(file.trim()), cache, stats);
            }
            expected.put(m.group(1), Long.parseLong(m.group(2)));
            actual.put(m.group(1), stats.dataRecords());
        }
        assertThat(expected).hasSize(14);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void logstashExpectedEventsUseTemplatesTheReplayLearned() {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, String> feedsBySlug = new HashMap<>();
        Matcher m = CONTEXT.matcher(catalog);
        while (m.find()) {
            feedsBySlug.putIfAbsent(slug(m.group(1)), m.group(2));
        }
        int checked = 0;
        for (Path expectedFile : Corpus.files(".json")) {
            if (!expectedFile.getParent().getFileName().toString().equals("expected")) {
                continue;
            }
            String feeds = feedsBySlug.get(expectedFile.getFileName().toString().replace(".json", ""));
            if (feeds == null) {
                continue; // contexts without a decode.size assertion are not listed with their feeds
            }
            TemplateCache cache = new TemplateCache();
            for (String file : feeds.split(",\\s*")) {
                Corpus.replay(Corpus.NETFLOW.resolve("logstash").resolve(file.trim()), cache, new DecodeStats());
            }
            Set<Integer> learned = cache.snapshot(0).templates().stream().map(t -> t.key().templateId())
                    .collect(Collectors.toSet());
            JsonNode events = json.readTree(Corpus.read(expectedFile));
            for (JsonNode event : events) {
                JsonNode flowset = event.path("netflow").path("flowset_id");
                if (!flowset.isMissingNode()) {
                    assertThat(learned).as(expectedFile.getFileName().toString()).contains(flowset.asInt());
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(30);
    }

    /** Section 4 of the catalog, the format and content table (4b holds provenance rows). */
    private String contentTable() {
        int start = catalog.indexOf("## 4. NetFlow");
        int end = catalog.indexOf("## 4b.", start);
        assertThat(start).isNotNegative();
        assertThat(end).isGreaterThan(start);
        return catalog.substring(start, end);
    }

    private static String slug(String context) {
        return context.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** "256:15f, 257:21f(12ent)/var" -> ids with field counts, enterprise counts and a variable flag. */
    private static List<String> parseTemplates(String column) {
        if (column.equals("—")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String t : column.split(",\\s*")) {
            Matcher m = Pattern.compile("(\\d+):(\\d+)f(?:\\((\\d+)ent\\))?(/var)?").matcher(t.trim());
            if (!m.matches()) {
                throw new AssertionError("unparsed template " + t);
            }
            out.add(m.group(1) + " fields=" + m.group(2) + " scope=0 ent=" + (m.group(3) == null ? 0 : m.group(3))
                    + (m.group(4) == null ? "" : " var"));
        }
        return out;
    }

    /** v9 "256:1s+2o" (scope + option fields) or IPFIX "256:5f/1s" (all fields / scope). */
    private static List<String> parseOptions(String column) {
        if (column.equals("—")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String t : column.split(",\\s*")) {
            Matcher v9 = Pattern.compile("(\\d+):(\\d+)s\\+(\\d+)o").matcher(t.trim());
            Matcher ipfix = Pattern.compile("(\\d+):(\\d+)f/(\\d+)s").matcher(t.trim());
            if (v9.matches()) {
                int scope = Integer.parseInt(v9.group(2));
                out.add(v9.group(1) + " fields=" + (scope + Integer.parseInt(v9.group(3))) + " scope=" + scope);
            } else if (ipfix.matches()) {
                out.add(ipfix.group(1) + " fields=" + ipfix.group(2) + " scope=" + ipfix.group(3));
            } else {
                throw new AssertionError("unparsed options template " + t);
            }
        }
        return out;
    }

    private static String describe(CachedTemplate t) {
        TemplateDefinition d = t.definition();
        long enterprise = d.fields().stream().filter(f -> f.enterprise() != 0).count();
        String described = t.key().templateId() + " fields=" + d.fields().size() + " scope=" + d.scopeFieldCount();
        // The catalog notes enterprise and variable-length fields for data templates only.
        return t.kind().isOptions() ? described
                : described + " ent=" + enterprise + (d.hasVariableLengthFields() ? " var" : "");
    }

    private static Set<String> idsWithCounts(String column) {
        String c = column.trim();
        return c.equals("—") ? Set.of() : Arrays.stream(c.split(",\\s*")).map(String::trim).collect(Collectors.toSet());
    }

    private static String idWithCount(CachedTemplate t) {
        return t.key().templateId() + "(" + t.definition().fields().size() + ")";
    }
}
