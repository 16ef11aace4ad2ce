package io.tandem.pacemaker;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Runs every Pacemaker and pcs file of the shared corpus through the parser its directory and name call for. Status
 * documents must parse to a model whose node and resource counts match an independent XPath count of the raw XML
 * (and the catalog's observed counts where it states them); the few documents known to be broken must fail with a
 * typed error; everything else is classified as not a status document and skipped with the reason.
 */
class PacemakerCorpusConformanceTest {

    /** Files that must be refused, with the reason; a change in either direction fails the test. */
    private static final Map<String, String> EXPECTED_TYPED_ERRORS = Map.of(
            "pacemaker/cib/gcp-sapagent-pacemaker.xml", "licence comment before the XML declaration (not well-formed)",
            "pacemaker/cib/gcp-sapagent-pacemaker-clone.xml", "licence comment before the XML declaration (not well-formed)",
            "pacemaker/cib/gcp-sapagent-pacemaker-cliprefer.xml", "licence comment before the XML declaration (not well-formed)");

    private static final Map<String, String> OUTCOMES = new ConcurrentSkipListMap<>();
    private static final AtomicInteger CATALOG_CHECKED = new AtomicInteger();

    private enum Kind { CRM_MON, CIB, NOT_STATUS }

    private record Classification(Kind kind, String reason) {
    }

    @TestFactory
    Stream<DynamicTest> everyPacemakerAndPcsFile() throws IOException {
        Path root = SharedCorpus.root();
        List<Path> files;
        try (Stream<Path> walk = Stream.concat(Files.walk(root.resolve("pacemaker")), Files.walk(root.resolve("pcs")))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(300);
        return files.stream().map(file -> {
            String relative = root.relativize(file).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(relative, () -> check(relative, Files.readString(file, StandardCharsets.UTF_8)));
        });
    }

    @AfterAll
    static void summary() {
        Map<String, Long> byOutcome = new ConcurrentSkipListMap<>();
        OUTCOMES.values().forEach(outcome -> byOutcome.merge(outcome, 1L, Long::sum));
        System.out.println("Pacemaker/pcs corpus conformance, " + OUTCOMES.size() + " files; catalog counts checked for "
                + CATALOG_CHECKED.get() + ":");
        byOutcome.forEach((outcome, files) -> System.out.println("  " + files + " x " + outcome));
    }

    private static Classification classify(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (path.startsWith("pacemaker/rng/") || path.startsWith("pcs/rng/")) {
            return new Classification(Kind.NOT_STATUS, "RELAX NG schema");
        }
        if (path.startsWith("pacemaker/text/")) {
            return new Classification(Kind.NOT_STATUS, "crm_mon/crm status text; Tandem reads crm_mon XML");
        }
        if (path.startsWith("pcs/docs/")) {
            return new Classification(Kind.NOT_STATUS, "pcs/corosync console transcript from documentation");
        }
        if (path.startsWith("pcs/corosync/")) {
            return new Classification(Kind.NOT_STATUS, "corosync.conf, not Pacemaker state");
        }
        if (name.endsWith(".summary")) {
            return new Classification(Kind.NOT_STATUS, "crm_simulate summary text");
        }
        if (name.endsWith(".metrics")) {
            return new Classification(Kind.NOT_STATUS, "Prometheus metrics an exporter is expected to produce");
        }
        if (name.endsWith(".xml") && (path.startsWith("pacemaker/cib/") || path.startsWith("pacemaker/scheduler/")
                || path.startsWith("pcs/cib/"))) {
            return new Classification(Kind.CIB, "cibadmin --query document");
        }
        if (name.endsWith(".xml")) {
            return new Classification(Kind.CRM_MON, "crm_mon XML");
        }
        return fail("unclassified corpus file " + path + ": decide which parser it needs");
    }

    private static void check(String path, String content) throws Exception {
        Classification classification = classify(path);
        if (classification.kind() == Kind.NOT_STATUS) {
            OUTCOMES.put(path, "not a status document: " + classification.reason());
            Assumptions.abort("not a status document: " + classification.reason());
        }
        String expectedError = EXPECTED_TYPED_ERRORS.get(path);
        if (expectedError != null) {
            assertThatThrownBy(() -> parse(classification.kind(), content))
                    .as("expected a typed error: " + expectedError)
                    .isInstanceOf(PacemakerParseException.class);
            OUTCOMES.put(path, "typed error: " + expectedError);
            return;
        }
        if (classification.kind() == Kind.CRM_MON) {
            checkCrmMon(path, content);
        } else {
            checkCib(content);
        }
        OUTCOMES.put(path, "parsed: " + classification.reason());
    }

    private static Object parse(Kind kind, String content) throws PacemakerParseException {
        return kind == Kind.CRM_MON ? CrmMonParser.parse(content) : CibParser.parse(content);
    }

    private static void checkCrmMon(String path, String content) throws Exception {
        CrmMonResult result = CrmMonParser.parse(content);
        assertThat(result).isInstanceOf(CrmMonResult.Running.class);
        ClusterStatus status = result.status().orElseThrow();
        Document raw = raw(content);

        assertThat(status.nodes()).hasSize(count(raw, "/*/nodes/node"));
        int inResourcesSection = count(raw, "/*/resources//resource");
        int onlyUnderNodes = count(raw, "/*/nodes/node/resource[not(@id = /*/resources//resource/@id)]");
        assertThat(status.primitives()).hasSize(inResourcesSection + onlyUnderNodes);
        assertThat(status.bans()).hasSize(count(raw, "/*/bans/ban"));
        assertThat(status.failures()).hasSize(count(raw, "/*/failures/failure"));
        assertThat(status.fenceHistory()).hasSize(count(raw, "/*/fence_history/fence_event"));
        assertThat(status.dcName().orElse(""))
                .isEqualTo(text(raw, "/*/summary/current_dc[@present='true']/@name"));

        // the catalog counts only the <resources> section; its counts vouch for the XPath ones above
        Optional<Integer> catalogNodes = catalogCount(path, "nodes: nodes=");
        Optional<Integer> catalogPrimitives = catalogCount(path, "primitive_instances=");
        catalogNodes.ifPresent(n -> assertThat(status.nodes()).hasSize(n));
        catalogPrimitives.ifPresent(n -> assertThat(
                content.contains("<resources") ? inResourcesSection : status.primitives().size()).isEqualTo(n));
        if (catalogNodes.isPresent() || catalogPrimitives.isPresent()) {
            CATALOG_CHECKED.incrementAndGet();
        }
    }

    private static void checkCib(String content) throws Exception {
        Cib cib = CibParser.parse(content);
        Document raw = raw(content);

        assertThat(cib.version()).contains(new CibVersion(number(raw, "/cib/@admin_epoch"),
                number(raw, "/cib/@epoch"), number(raw, "/cib/@num_updates")));
        assertThat(cib.nodeNames()).hasSize(count(raw, "/cib/configuration/nodes/node"));
        String resourceElements = "/cib/configuration/resources//*[self::primitive or self::group or self::clone"
                + " or self::master or self::bundle]";
        assertThat(cib.resourceIds()).containsExactlyInAnyOrderElementsOf(distinctIds(raw, resourceElements));
        String constraints = "/cib/configuration/constraints/*[self::rsc_location or self::rsc_colocation"
                + " or self::rsc_order or self::rsc_ticket]";
        assertThat(cib.constraints()).hasSize(count(raw, constraints));
        assertThat(cib.leftoverMoves()).hasSize(count(raw,
                constraints + "[starts-with(@id, 'cli-prefer-') or starts-with(@id, 'cli-ban-')]"));
    }

    // ---- independent reading of the raw document: plain JDK DOM + XPath, nothing shared with the parser ----

    private static Document raw(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml.strip())));
    }

    private static int count(Document document, String xpath) throws Exception {
        return ((Double) XPathFactory.newInstance().newXPath().evaluate("count(" + xpath + ")", document,
                XPathConstants.NUMBER)).intValue();
    }

    private static Set<String> distinctIds(Document document, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath + "/@id", document,
                XPathConstants.NODESET);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            ids.add(nodes.item(i).getNodeValue());
        }
        return ids;
    }

    private static String text(Document document, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, document);
    }

    private static long number(Document document, String xpath) throws Exception {
        return Long.parseLong(text(document, xpath));
    }

    /** A count the corpus catalog states in its "Observed:" column for this file, e.g. {@code nodes: nodes=5}. */
    private static Optional<Integer> catalogCount(String path, String label) throws IOException {
        Path catalog = SharedCorpus.root().resolve("CATALOG.md");
        if (!Files.isRegularFile(catalog)) {
            return Optional.empty();
        }
        String row = Files.readAllLines(catalog, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("| `" + path + "`")).findFirst().orElse("");
        int observed = row.indexOf("Observed:");
        if (observed < 0) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile(Pattern.quote(label) + "(\\d+)").matcher(row.substring(observed));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }
}
