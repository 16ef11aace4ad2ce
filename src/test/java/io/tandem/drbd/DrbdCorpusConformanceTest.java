package io.tandem.drbd;

import io.tandem.support.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every file under the corpus's {@code drbd/} through the reader its directory and name call for. Every DRBD
 * status format must parse, to resources whose names and object counts match an independent reading of the raw
 * text (Jackson tree, line shapes, event replay); configuration dumps, expected metrics and single-word query
 * answers are classified as not status documents and skipped with the reason.
 */
class DrbdCorpusConformanceTest {

    private static final Map<String, String> OUTCOMES = new ConcurrentSkipListMap<>();
    private static final Pattern PROC_DEVICE = Pattern.compile("^\\s*\\d+: cs:(?!Unconfigured).*");

    private enum Kind { JSON, TEXT, EVENTS2, PROC, NOT_STATUS }

    private record Classification(Kind kind, String reason) {
    }

    @TestFactory
    Stream<DynamicTest> everyDrbdFile() throws IOException {
        Path root = SharedCorpus.root();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root.resolve("drbd"))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(80);
        return files.stream().map(file -> {
            String relative = root.relativize(file).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(relative, () -> check(relative, Files.readString(file, StandardCharsets.UTF_8)));
        });
    }

    @AfterAll
    static void summary() {
        Map<String, Long> byOutcome = new ConcurrentSkipListMap<>();
        OUTCOMES.values().forEach(outcome -> byOutcome.merge(outcome, 1L, Long::sum));
        System.out.println("DRBD corpus conformance, " + OUTCOMES.size() + " files:");
        byOutcome.forEach((outcome, files) -> System.out.println("  " + files + " x " + outcome));
    }

    private static Classification classify(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.endsWith(".metrics")) {
            return new Classification(Kind.NOT_STATUS, "Prometheus metrics an exporter is expected to produce");
        }
        if (path.startsWith("drbd/drbdsetup-show-json/")) {
            return new Classification(Kind.NOT_STATUS, "configuration dump (drbdsetup show --json), not state");
        }
        if (name.contains("cstate") || name.contains("dstate") || name.contains("-role-")) {
            return new Classification(Kind.NOT_STATUS, "single-word answer of drbdadm cstate/dstate/role");
        }
        if (name.contains("drbd-overview")) {
            return new Classification(Kind.NOT_STATUS, "drbd-overview summary (8.4 script), not a supported format");
        }
        if (path.startsWith("drbd/drbdsetup-status-json/")) {
            return new Classification(Kind.JSON, "drbdsetup status --json");
        }
        if (path.startsWith("drbd/events2/") || name.contains("events2")) {
            return new Classification(Kind.EVENTS2, "drbdsetup events2");
        }
        if (path.startsWith("drbd/proc-drbd/") || name.contains("proc-drbd")) {
            return new Classification(Kind.PROC, "/proc/drbd");
        }
        if (path.startsWith("drbd/drbdadm-status/") || path.startsWith("drbd/drbdsetup-status/")
                || name.contains("drbdadm-status") || name.contains("drbdsetup-status")) {
            return new Classification(Kind.TEXT, "drbdadm/drbdsetup status text");
        }
        return fail("unclassified corpus file " + path + ": decide which reader it needs");
    }

    private static void check(String path, String content) throws Exception {
        Classification classification = classify(path);
        switch (classification.kind()) {
            case NOT_STATUS -> {
                OUTCOMES.put(path, "not a status document: " + classification.reason());
                Assumptions.abort("not a status document: " + classification.reason());
            }
            case JSON -> checkJson(content);
            case TEXT -> checkText(content);
            case EVENTS2 -> assertThat(names(DrbdParser.events2(content))).containsExactlyElementsOf(replayNames(content));
            case PROC -> checkProc(content);
        }
        OUTCOMES.put(path, "parsed: " + classification.reason());
    }

    private static void checkJson(String content) throws Exception {
        DrbdStatus status = DrbdParser.statusJson(content);
        JsonNode raw = JsonMapper.builder().build().readTree(content);

        assertThat(status.resources()).hasSize(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            JsonNode resource = raw.get(i);
            DrbdResource parsed = status.resources().get(i);
            assertThat(parsed.name()).isEqualTo(resource.get("name").asString());
            assertThat(parsed.devices()).hasSize(resource.path("devices").size());
            assertThat(parsed.connections()).hasSize(resource.path("connections").size());
            for (int c = 0; c < parsed.connections().size(); c++) {
                assertThat(parsed.connections().get(c).peerDevices())
                        .hasSize(resource.path("connections").get(c).path("peer_devices").size());
            }
        }
    }

    /** Resources start at column 0; a peer is an indent-2 line whose first word is a name, not a key. */
    private static void checkText(String content) throws Exception {
        DrbdStatus status = DrbdParser.statusText(content);
        List<String> resources = new ArrayList<>();
        List<Integer> peers = new ArrayList<>();
        for (String line : content.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String first = line.strip().split("\\s+")[0];
            if (!Character.isWhitespace(line.charAt(0))) {
                resources.add(first);
                peers.add(0);
            } else if (line.startsWith("  ") && !line.startsWith("   ") && !first.contains(":")) {
                peers.set(peers.size() - 1, peers.get(peers.size() - 1) + 1);
            }
        }
        assertThat(names(status)).containsExactlyElementsOf(resources);
        assertThat(status.resources()).extracting(r -> r.connections().size()).containsExactlyElementsOf(peers);
        assertThat(status.resources()).allSatisfy(r -> assertThat(r.role()).isNotEqualTo(DrbdRole.UNKNOWN));
    }

    private static void checkProc(String content) throws Exception {
        DrbdStatus status = DrbdParser.procDrbd(content);
        List<String> minors = content.lines().filter(l -> PROC_DEVICE.matcher(l).matches())
                .map(l -> l.strip().substring(0, l.strip().indexOf(':'))).toList();
        assertThat(names(status)).containsExactlyElementsOf(minors);
    }

    private static List<String> names(DrbdStatus status) {
        return status.resources().stream().map(DrbdResource::name).toList();
    }

    /** Which resources exist after the events: named by any non-destroy event, gone after "destroy resource". */
    private static Set<String> replayNames(String content) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : content.split("\\R")) {
            List<String> words = List.of(line.strip().split("\\s+"));
            if (words.size() > 2 && !words.get(0).matches("exists|create|change|destroy|call|response")) {
                words = words.subList(1, words.size()); // --timestamps
            }
            String name = words.stream().filter(w -> w.startsWith("name:")).map(w -> w.substring(5)).findFirst()
                    .orElse(null);
            if (name == null || words.size() < 2) {
                continue;
            }
            if (words.get(0).equals("destroy") && words.get(1).equals("resource")) {
                names.remove(name);
            } else if (words.get(0).matches("exists|create|change")) {
                names.add(name);
            }
        }
        return names;
    }
}
