package io.tandem.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.identity.Role;
import io.tandem.support.DemoFaults;
import io.tandem.support.TestUsers;

/**
 * Prometheus scrapes the demo's pairs from {@code /actuator/prometheus} with an API token: health, roles and facts per
 * pair and node, findings as they come and go, only fixed words as labels; every metric the example rules and the
 * Grafana dashboard use is exported, and every exported Tandem metric is documented in the README.
 */
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.demo.enabled=true", "tandem.monitor.enabled=true"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
class TandemMetricsTest {

    /** Recorded by the alerts module when it sends (or fails to send) an alert; absent until the first send. */
    private static final Set<String> RECORDED_ON_FIRST_USE = Set.of("tandem_alerts_sent_total");
    private static final Pattern SAMPLE = Pattern.compile("^(tandem_[a-z_]+)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern METRIC_NAME = Pattern.compile("\\btandem_[a-z_]+\\b");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;
    @Autowired
    FleetService fleet;

    record Sample(String name, Map<String, String> labels, double value) {
    }

    @Test
    void theDemosPairsAreScrapedWithTheirHealthRolesAndFacts() throws Exception {
        String token = users.token(users.create(Role.VIEWER));
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        List<Sample> samples = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> scrape(token), s -> value(s, "tandem_pair_health", Map.of("pair", "demo-hot", "health", "OK")) == 1.0
                        && value(s, "tandem_pair_health", Map.of("pair", "demo-cold", "health", "OK")) == 1.0
                        && s.stream().anyMatch(x -> x.name().equals("tandem_node_drbd_in_sync_percent")));

        assertThat(value(samples, "tandem_pair_health", Map.of("pair", "demo-hot", "health", "CRITICAL"))).isZero();
        for (ClusterView.NodeView node : hot.nodes()) {
            Map<String, String> labels = Map.of("pair", "demo-hot", "node", node.name());
            assertThat(value(samples, "tandem_node_reachable", labels)).isEqualTo(1.0);
            assertThat(value(samples, "tandem_node_nfo_up", labels)).isEqualTo(1.0);
            assertThat(value(samples, "tandem_pair_survives_loss", labels)).as("survives losing " + node.name()).isEqualTo(1.0);
            assertThat(value(samples, "tandem_node_data_age_seconds", labels)).isBetween(0.0, 20.0);
            assertThat(samples).anyMatch(s -> s.name().equals("tandem_node_gate_dropped_packets") && s.labels().equals(labels));
            assertThat(samples).anyMatch(s -> s.name().equals("tandem_node_udp_sent_datagrams") && s.labels().equals(labels));
        }
        // one role per node: the demo's Hot pair has one active and one hot passive
        List<String> roles = samples.stream().filter(s -> s.name().equals("tandem_node_role") && s.labels().get("pair").equals("demo-hot")
                && s.value() == 1.0).map(s -> s.labels().get("role")).sorted().toList();
        assertThat(roles).containsExactly("ACTIVE", "PASSIVE_HOT");
        assertThat(value(samples, "tandem_pair_template_readiness", Map.of("pair", "demo-hot"))).isBetween(0.0, 1.0);
        assertThat(value(samples, "tandem_operations_total",
                Map.of("pair", "demo-hot", "kind", "failover", "outcome", "failed"))).as("zero before the first operation").isZero();

        // labels are names and fixed words, never a finding's text
        for (Sample s : samples) {
            s.labels().forEach((label, value) -> assertThat(value).as(s.name() + " " + label).matches("[A-Za-z0-9_.:-]{1,64}"));
        }
    }

    @Test
    void aFindingAppearsWithItsKindAndSeverityEveryMetricInUseIsExportedAndTheFindingGoesWhenItClears() throws Exception {
        String token = users.token(users.create(Role.VIEWER));
        String operator = users.token(users.create(Role.OPERATOR));
        ClusterView hot = DemoFaults.pair(fleet, "demo-hot");
        Map<String, String> splitBrain = Map.of("pair", "demo-hot", "kind", "split-brain-output", "severity", "CRITICAL");
        Set<String> used = new TreeSet<>();
        used.addAll(names(Files.readString(PrometheusRulesTest.RULES)));
        used.addAll(names(Files.readString(PrometheusRulesTest.DASHBOARD)));
        assertThat(used).contains("tandem_pair_health", "tandem_pair_findings", "tandem_alerts_sent_total");
        Set<String> wanted = new TreeSet<>(used);
        wanted.removeAll(RECORDED_ON_FIRST_USE);

        // healthy: readiness is exported (there is a passive); findings are exported while they exist
        List<Sample> healthy = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> scrape(token), s -> passiveOf(s) != null && exported(s).contains("tandem_pair_template_readiness"));
        String passive = passiveOf(healthy);
        Set<String> seen = exported(healthy);
        try {
            DemoFaults.inject(mvc, operator, hot.name(), passive, "open-gate");
            List<Sample> faulty = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> scrape(token), s -> value(s, "tandem_pair_findings", splitBrain) >= 1.0
                            && value(s, "tandem_pair_health", Map.of("pair", "demo-hot", "health", "CRITICAL")) == 1.0);
            seen.addAll(exported(faulty));
        } finally {
            DemoFaults.healAll(mvc, operator);
        }
        assertThat(seen).as("every metric the rules and the dashboard use").containsAll(wanted);
        String readme = Files.readString(Path.of("README.md"));
        Set<String> documented = new TreeSet<>(seen);
        documented.addAll(RECORDED_ON_FIRST_USE);
        for (String name : documented) {
            assertThat(readme).as("the README documents " + name).contains("`" + name + "`");
        }

        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> scrape(token), s -> Double.isNaN(value(s, "tandem_pair_findings", splitBrain))
                        && value(s, "tandem_pair_health", Map.of("pair", "demo-hot", "health", "OK")) == 1.0);
    }

    private static String passiveOf(List<Sample> samples) {
        return samples.stream().filter(s -> s.name().equals("tandem_node_role") && s.value() == 1.0
                && s.labels().get("pair").equals("demo-hot") && s.labels().get("role").equals("PASSIVE_HOT"))
                .map(s -> s.labels().get("node")).findFirst().orElse(null);
    }

    private static Set<String> exported(List<Sample> samples) {
        return new TreeSet<>(samples.stream().map(Sample::name).toList());
    }

    private List<Sample> scrape(String token) throws Exception {
        String body = mvc.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<Sample> samples = new ArrayList<>();
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                Map<String, String> labels = new TreeMap<>();
                if (m.group(2) != null) {
                    Matcher l = LABEL.matcher(m.group(2));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
        return samples;
    }

    /** The value of the sample with exactly these labels, NaN when there is none. */
    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(new TreeMap<>(labels)))
                .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC_NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
