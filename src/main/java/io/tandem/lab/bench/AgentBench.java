package io.tandem.lab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.tandem.access.agent.AgentClient;
import io.tandem.access.agent.AgentNodeAccess;
import io.tandem.agent.AgentPackage;
import io.tandem.agent.ServiceUnit;
import io.tandem.node.NodeAccessException;
import io.tandem.access.NodeTarget;

/**
 * Starts an agent in its own JVM exactly as shipped (the packaged jar, the systemd unit's JVM flags and environment,
 * see {@link ServiceUnit}), lets a console read its node every 500 ms for a while, and prints the figures the agent
 * is held to: time to ready, resident memory, CPU while being read, download size, and {@code GET /v1/health}
 * latency over loopback. Prints figures against the goals; asserts nothing.
 *
 * <pre>java -jar tandem.jar bench agent [CALLS] [--minutes N] [--jar AGENT_JAR]</pre>
 * Run from the console jar it starts {@code tandem-agent.jar} beside it (what an NFO server downloads), or itself
 * when that is absent; from a class path (IDE, tests) it starts the class path.
 * It lives with the other benches in {@code lab.bench}: it drives the agent through the console's client, and
 * the agent module itself must not depend on the console side (module cycle).
 */
public final class AgentBench {

    /** The goals of issue 15, as shipped, after a console has read the node every 500 ms. */
    static final long GOAL_RSS_MIB = 96;
    static final long GOAL_READY_MILLIS = 2000;
    static final double GOAL_CPU_PERCENT = 2.0;
    static final long GOAL_DOWNLOAD_BYTES = 30_000_000;
    static final Duration READ_INTERVAL = Duration.ofMillis(500);

    private AgentBench() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    record Options(int calls, Duration soak, Path jar) {

        static Options parse(List<String> args) {
            int calls = 200;
            Duration soak = Duration.ofMinutes(1);
            Path jar = null;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--minutes" -> soak = Duration.ofSeconds(Math.round(60 * positiveNumber(arg, value(args, ++i))));
                    case "--jar" -> {
                        jar = Path.of(value(args, ++i));
                        if (!Files.isRegularFile(jar)) {
                            throw new IllegalArgumentException("--jar: no such file: " + jar);
                        }
                    }
                    default -> calls = (int) positiveNumber("CALLS", arg);
                }
            }
            return new Options(calls, soak, jar);
        }

        private static String value(List<String> args, int i) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(args.get(i - 1) + " needs a value");
            }
            return args.get(i);
        }

        private static double positiveNumber(String name, String text) {
            try {
                double value = Double.parseDouble(text);
                if (value > 0 && value <= 24 * 60) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a positive number, got '" + text + "'");
        }
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return BenchCommand.run("agent", "usage: bench agent [CALLS] [--minutes N] [--jar AGENT_JAR]", args, Options::parse,
                AgentBench::measure, out, err);
    }

    /** The agent jar to start: --jar, else tandem-agent.jar beside the console jar, else the console jar itself. */
    static List<String> launcher(Path jar) {
        if (jar != null) {
            return List.of("-jar", jar.toString());
        }
        return AgentPackage.agentJar().map(agentJar -> List.of("-jar", agentJar.toString()))
                .orElseGet(AgentProcess::launcher);
    }

    private static void measure(Options options, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("tandem-agent-bench");
        Path state = dir.resolve("state");
        AgentPackage.InitOutput init = AgentProcess.init(state);
        String token = init.token();
        String fingerprint = init.fingerprint();
        Path config = AgentProcess.writeBenchConfig(dir.resolve("bench-agent.yml"), state, "");
        int port = AgentProcess.freePort();
        List<String> launcher = launcher(options.jar());
        long launched = System.nanoTime();
        try (AgentProcess agent = AgentProcess.start(launcher, config, port, dir.resolve("agent.log"))) {
            AgentClient client = new AgentClient("127.0.0.1", port, fingerprint, token, AgentProcess.pollingSettings());
            agent.awaitHealthy(client, Duration.ofMinutes(5)); // generous: a loaded build machine, not the goal
            long readyMillis = Duration.ofNanos(System.nanoTime() - launched).toMillis();
            Thread.sleep(1000); // let start-up garbage settle before reading RSS
            long rssAfterStart = agent.residentKiB().orElse(-1);

            Soak soak = soak(agent, port, token, fingerprint, options.soak());
            long rssAfterSoak = agent.residentKiB().orElse(-1);

            for (int i = 0; i < 50; i++) {
                client.health(); // warm-up: TLS session
            }
            long[] micros = new long[options.calls()];
            for (int i = 0; i < micros.length; i++) {
                long t0 = System.nanoTime();
                client.health();
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            Arrays.sort(micros);

            String launchedWith = String.join(" ", launcher);
            out.printf("agent                %s%n", launchedWith);
            out.printf("JVM flags (unit)     %s%n", String.join(" ", AgentProcess.JVM_FLAGS));
            out.printf("environment (unit)   %s%n", ServiceUnit.shipped().environment());
            out.printf("machine              %d cores, load average %.1f at the end%n", Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.printf("ready (start to /v1/health answering)  %5d ms      goal <= %d ms    %s%n", readyMillis,
                    GOAL_READY_MILLIS, verdict(readyMillis <= GOAL_READY_MILLIS));
            out.printf("VmRSS after start                      %5.1f MiB%n", rssAfterStart / 1024.0);
            out.printf("VmRSS after %-4s of reads every %d ms %5.1f MiB      goal <= %d MiB    %s   (max seen %.1f MiB)%n",
                    human(options.soak()), READ_INTERVAL.toMillis(), rssAfterSoak / 1024.0, GOAL_RSS_MIB,
                    verdict(rssAfterSoak <= GOAL_RSS_MIB * 1024), soak.maxRssKiB() / 1024.0);
            out.printf("CPU while read every %d ms             %5.2f %% of a core  goal <= %.0f %%  %s   (%d snapshots, %d failed)%n",
                    READ_INTERVAL.toMillis(), soak.cpuPercent(), GOAL_CPU_PERCENT, verdict(soak.cpuPercent() <= GOAL_CPU_PERCENT),
                    soak.reads(), soak.failures());
            downloads(launcher, out);
            out.printf("GET /v1/health x%d   p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms%n", micros.length,
                    percentile(micros, 50) / 1000.0, percentile(micros, 95) / 1000.0, percentile(micros, 99) / 1000.0,
                    micros[micros.length - 1] / 1000.0);
            if (soak.lastFailure() != null) {
                out.printf("last snapshot failure: %s%n", soak.lastFailure());
            }
        }
    }

    record Soak(long reads, long failures, String lastFailure, double cpuPercent, long maxRssKiB) {
    }

    /** A console's reads: a whole node snapshot through the console's own agent adapter every 500 ms. */
    private static Soak soak(AgentProcess agent, int port, String token, String fingerprint, Duration length) throws Exception {
        AgentNodeAccess access = new AgentNodeAccess();
        NodeTarget target = new NodeTarget(UUID.randomUUID(), "bench", "127.0.0.1", NodeTarget.Transport.AGENT, null, port,
                port, token, fingerprint, false, "/opt/flowintegrator", "nfo.service", List.of("server/etc/**"), List.of(),
                Set.of(9555), false);
        long reads = 0;
        long failures = 0;
        String lastFailure = null;
        long maxRss = 0;
        long cpuBefore = agent.cpuMillis().orElse(0);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long next = start;
        while (next < end) {
            try {
                access.snapshot(target);
            } catch (NodeAccessException e) {
                failures++;
                lastFailure = e.getMessage();
            }
            reads++;
            maxRss = Math.max(maxRss, agent.residentKiB().orElse(0));
            next += READ_INTERVAL.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        double wallMillis = (System.nanoTime() - start) / 1e6;
        double cpuPercent = 100.0 * (agent.cpuMillis().orElse(0) - cpuBefore) / wallMillis;
        return new Soak(reads, failures, lastFailure, cpuPercent, maxRss);
    }

    /** The agent jar's size, and the packages beside it when the build made them: what a server downloads. */
    private static void downloads(List<String> launcher, PrintStream out) throws IOException {
        if (!launcher.get(0).equals("-jar")) {
            out.println("download             (started from a class path: build the jars to measure it)");
            return;
        }
        Path jar = Path.of(launcher.get(1));
        for (Path file : List.of(jar, jar.resolveSibling("tandem-agent.deb"), jar.resolveSibling("tandem-agent.rpm"))) {
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                out.printf("download %-18s %5.1f MB (%.1f MiB)  goal <= %d MB    %s%n", file.getFileName(), size / 1e6,
                        size / 1024.0 / 1024.0, GOAL_DOWNLOAD_BYTES / 1_000_000, verdict(size <= GOAL_DOWNLOAD_BYTES));
            }
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static String human(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + "min" : duration.toSeconds() + "s";
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
