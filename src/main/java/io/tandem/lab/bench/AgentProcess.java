package io.tandem.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import io.tandem.access.agent.AgentClient;
import io.tandem.access.agent.AgentClientSettings;
import io.tandem.agent.wire.HealthReport;
import io.tandem.node.NodeAccessException;

/**
 * An agent in its own JVM, started the way an operator starts it ({@code io.tandem.Tandem agent --config ...}),
 * for process-level tests and the bench. The JVM flags are the ones a small agent deserves in production.
 */
public final class AgentProcess implements AutoCloseable {

    /** A 2-core server with NFO on it: keep the agent's heap and JIT small. */
    public static final List<String> JVM_FLAGS = List.of("-Xmx64m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m");

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the agent with this JVM's class path; the agent's output goes to {@code log}. */
    public static AgentProcess start(Path config, int port, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tandem.Tandem",
                "agent", "--config", config.toString(), "--port", Integer.toString(port)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcess(process, log);
    }

    /** Polls health until it answers; fails with the agent's output when it died or took longer than {@code limit}. */
    public HealthReport awaitHealthy(AgentClient client, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        NodeAccessException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("agent exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return client.health();
            } catch (NodeAccessException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("agent not healthy within " + limit + " (" + last + "):\n" + Files.readString(log));
    }

    public long pid() {
        return process.pid();
    }

    /** VmRSS of the agent process in KiB, from /proc (Linux only). */
    public OptionalLong residentKiB() throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) {
            return OptionalLong.empty();
        }
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Settings for waiting on a starting agent: connect fails fast so polling is quick. */
    public static AgentClientSettings pollingSettings() {
        return new AgentClientSettings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(30), 1024 * 1024);
    }
}
