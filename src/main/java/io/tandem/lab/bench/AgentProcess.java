package io.tandem.lab.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.tandem.access.agent.AgentClient;
import io.tandem.agent.AgentCommand;
import io.tandem.agent.AgentPackage;
import io.tandem.agent.ServiceUnit;
import io.tandem.access.agent.AgentClientSettings;
import io.tandem.agent.wire.HealthReport;
import io.tandem.node.NodeAccessException;

/**
 * An agent in its own JVM, started the way an operator starts it ({@code io.tandem.Tandem agent --config ...}),
 * for process-level tests and the bench, with the JVM flags and environment of the shipped systemd unit.
 */
public final class AgentProcess implements AutoCloseable {

    /** The shipped unit's JVM options (a 2-core server with NFO on it: small heap, C1 only). */
    public static final List<String> JVM_FLAGS = ServiceUnit.shipped().jvmOptions();

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the agent from this JVM's own code: the executable jar it runs from ({@link #launcher()}), or its class
     * path (tests). The agent's output goes to {@code log}.
     */
    public static AgentProcess start(Path config, int port, Path log) throws IOException {
        return start(launcher(), config, port, log);
    }

    /** Starts the agent with {@code launcher} (from {@code java}'s options to the role), the unit's flags and environment. */
    public static AgentProcess start(List<String> launcher, Path config, int port, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(launcher);
        command.addAll(List.of("agent", "--config", config.toString(), "--port", Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(ServiceUnit.shipped().environment());
        return new AgentProcess(builder.start(), log);
    }

    /**
     * How to start this JVM's code again: {@code -jar FILE} when it runs from an executable jar (whose classes sit
     * under BOOT-INF, out of reach of {@code -cp}), otherwise {@code -cp CLASSPATH io.tandem.Tandem}.
     */
    public static List<String> launcher() {
        Optional<Path> jar = executableJar();
        if (jar.isPresent()) {
            return List.of("-jar", jar.get().toString());
        }
        return List.of("-cp", System.getProperty("java.class.path"), "io.tandem.Tandem");
    }

    /** The Spring Boot executable jar this JVM was started from ({@code java -jar tandem.jar}), if any. */
    public static Optional<Path> executableJar() {
        return io.tandem.agent.AgentPackage.executableJar();
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

    /** User plus system CPU time the agent process has used so far, from /proc (Linux only). */
    public OptionalLong cpuMillis() throws IOException {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (!Files.exists(stat)) {
            return OptionalLong.empty();
        }
        // fields after the command name, which may itself hold spaces: ") state ppid ... utime(14) stime(15)"
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return OptionalLong.of(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    }

    /** USER_HZ: 100 on every Linux architecture the agent runs on (x86-64, arm64). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

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

    /** Runs {@code agent init} in this JVM, as an operator does on a node; the token and fingerprint it printed. */
    public static AgentPackage.InitOutput init(Path stateDir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (AgentCommand.run(List.of("init", "--state-dir", stateDir.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)) != 0) {
            throw new IllegalStateException("agent init failed: " + err.toString(StandardCharsets.UTF_8));
        }
        return AgentPackage.InitOutput.parse(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Writes a bench agent's config to {@code file}: loopback, the state {@code init} made, no rate limit (the bench is
     * the one client and measures the agent, not the limiter) and no capture (tcpdump needs root and a flow port);
     * {@code sections} adds more top-level YAML (an {@code nfo:} section, say).
     */
    public static Path writeBenchConfig(Path file, Path stateDir, String sections) throws IOException {
        Files.writeString(file, "listen: {address: 127.0.0.1}\nstate-dir: '" + stateDir + "'\n"
                + "limits: {max-requests-per-second: 0}\ncapture: {source: none}\n" + sections);
        return file;
    }

    /** A TCP port free on loopback now, for an agent to listen on. */
    public static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** Settings for waiting on a starting agent: connect fails fast so polling is quick. */
    public static AgentClientSettings pollingSettings() {
        return new AgentClientSettings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(30), 1024 * 1024);
    }
}
