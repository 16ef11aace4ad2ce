package io.tandem.lab.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.tandem.access.agent.AgentClient;
import io.tandem.agent.AgentCommand;

/**
 * Starts an agent in its own JVM (as in production, with {@link AgentProcess#JVM_FLAGS}), reports its resident
 * memory after start and after load, and the latency of {@code GET /v1/health} through {@link AgentClient}
 * over loopback. Prints figures; asserts nothing.
 *
 * <pre>java -jar tandem.jar bench agent [CALLS]</pre>
 * It lives with the other benches in {@code lab.bench}: it drives the agent through the console's client, and
 * the agent module itself must not depend on the console side (module cycle).
 */
public final class AgentBench {

    private AgentBench() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        int calls;
        try {
            calls = args.isEmpty() ? 200 : Integer.parseInt(args.get(0));
        } catch (NumberFormatException e) {
            err.println("bench agent: CALLS must be a number, got '" + args.get(0) + "'");
            return 2;
        }
        if (calls < 1) {
            err.println("bench agent: CALLS must be at least 1");
            return 2;
        }
        try {
            measure(calls, out, err);
            return 0;
        } catch (Exception e) {
            err.println("bench agent: " + e);
            return 1;
        }
    }

    private static void measure(int calls, PrintStream out, PrintStream err) throws Exception {
        Path dir = Files.createTempDirectory("tandem-agent-bench");
        Path state = dir.resolve("state");
        ByteArrayOutputStream initOut = new ByteArrayOutputStream();
        if (AgentCommand.run(List.of("init", "--state-dir", state.toString()),
                new PrintStream(initOut, true, StandardCharsets.UTF_8), err) != 0) {
            throw new IllegalStateException("agent init failed");
        }
        List<String> lines = initOut.toString(StandardCharsets.UTF_8).lines().toList();
        String token = lines.get(lines.size() - 2).substring("token=".length());
        String fingerprint = lines.get(lines.size() - 1).substring("fingerprint=".length());
        Path config = dir.resolve("bench-agent.yml");
        // No rate limit: the bench is the one client and wants to measure the agent, not the limiter.
        Files.writeString(config, "listen: {address: 127.0.0.1}\nstate-dir: '" + state + "'\nlimits: {max-requests-per-second: 0}\n");

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long launched = System.nanoTime();
        try (AgentProcess agent = AgentProcess.start(config, port, dir.resolve("agent.log"))) {
            AgentClient client = new AgentClient("127.0.0.1", port, fingerprint, token, AgentProcess.pollingSettings());
            agent.awaitHealthy(client, Duration.ofSeconds(90));
            long startMillis = Duration.ofNanos(System.nanoTime() - launched).toMillis();
            Thread.sleep(1000); // let start-up garbage settle before reading RSS
            long rssAfterStart = agent.residentKiB().orElse(-1);

            for (int i = 0; i < 50; i++) {
                client.health(); // warm-up: TLS session, JIT on both sides
            }
            long[] micros = new long[calls];
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                client.health();
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            Arrays.sort(micros);
            long rssAfterLoad = agent.residentKiB().orElse(-1);

            out.printf("agent JVM flags      %s%n", String.join(" ", AgentProcess.JVM_FLAGS));
            out.printf("start to healthy     %d ms%n", startMillis);
            out.printf("VmRSS after start    %d KiB (%.1f MiB)%n", rssAfterStart, rssAfterStart / 1024.0);
            out.printf("VmRSS after %d calls %d KiB (%.1f MiB)%n", calls + 50, rssAfterLoad, rssAfterLoad / 1024.0);
            out.printf("GET /v1/health x%d   p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms%n", calls,
                    percentile(micros, 50) / 1000.0, percentile(micros, 95) / 1000.0, percentile(micros, 99) / 1000.0,
                    micros[micros.length - 1] / 1000.0);
        }
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
