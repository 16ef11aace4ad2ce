package io.tandem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TandemTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Tandem.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownRoleWordPrintsUsageAndExitsTwo() {
        assertThat(run("frobnicate", "--server.port=1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown role 'frobnicate'").contains("usage:");
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("console").contains("templates FILE");
    }

    @Test
    void optionsWithoutARoleWordMeanTheConsole() {
        Tandem.Invocation invocation = Tandem.Invocation.parse(List.of("--server.port=8081", "--tandem.data-dir=/x"));
        assertThat(invocation.words()).isEqualTo("console");
        assertThat(invocation.rest()).containsExactly("--server.port=8081", "--tandem.data-dir=/x");
    }

    @Test
    void twoWordToolsTakeTheArgumentsAfterBothWords() {
        Tandem.Invocation invocation = Tandem.Invocation.parse(List.of("lab", "exporters", "--to", "127.0.0.1:9555"));
        assertThat(invocation.words()).isEqualTo("lab exporters");
        assertThat(invocation.rest()).containsExactly("--to", "127.0.0.1:9555");
    }

    @Test
    void aToolRunsThroughTheRoleDispatch() {
        assertThat(run("templates")).as("no files is bad usage").isEqualTo(2);
        assertThat(run("templates", "/nonexistent/file.pcap")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/file.pcap");
    }

    @Test
    void theDashboardBenchRefusesABadOptionBeforeStartingAnything() {
        assertThat(run("bench", "dashboard", "--pairs", "lots")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--pairs takes a number").contains("usage: bench dashboard");
        assertThat(run("bench", "dashboard", "--colour", "blue")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("no console was started").doesNotContain("starting the console");
    }

    @Test
    void theCopyBenchRefusesABadOptionBeforeStartingAnyAgent() {
        assertThat(run("bench", "copy", "--ssh", "127.0.0.1:22")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ssh needs --user and --key").contains("usage: bench copy");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing measured").isEmpty();
    }

    @Test
    void theLoadBenchRefusesABadOptionBeforeStartingAnything() {
        assertThat(run("bench", "load", "--sessions", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--sessions takes a number from 1").contains("usage: bench load");
        assertThat(run("bench", "load", "--seconds")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing value: --seconds");
        assertThat(run("bench", "load", "--threads", "4")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("no console was started").doesNotContain("starting the console");
    }
}
