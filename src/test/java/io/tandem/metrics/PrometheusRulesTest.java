package io.tandem.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The example alerting rules under docs/prometheus are valid for Prometheus ({@code promtool check rules}) and fire on
 * the series Tandem exports, and only then ({@code promtool test rules}). That the metrics they use are exported is
 * {@link TandemMetricsTest}'s part.
 */
class PrometheusRulesTest {

    static final Path RULES_DIR = Path.of("docs", "prometheus");
    static final Path RULES = RULES_DIR.resolve("tandem-rules.yml");
    static final Path DASHBOARD = Path.of("docs", "grafana", "tandem-dashboard.json");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertThat(promtool("check", "rules", RULES.getFileName().toString())).contains("SUCCESS: 13 rules found");
    }

    @Test
    void theRulesFireOnTandemsSeriesAndNotOnAFailoversShortGap() throws Exception {
        assertThat(promtool("test", "rules", "tandem-rules-test.yml")).contains("SUCCESS");
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool),
                "promtool is missing: install the Debian package prometheus (.ci/run installs it) to check docs/prometheus");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(promtool.toString()));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).directory(RULES_DIR.toFile()).redirectErrorStream(true).start();
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("promtool ended within 2 minutes").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
