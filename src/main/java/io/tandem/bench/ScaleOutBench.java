package io.tandem.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.tandem.ConsoleApplication;
import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.datastore.EmbeddedDatabase;
import io.tandem.fleet.ClusterView;
import io.tandem.instances.PairLeases;
import io.tandem.monitor.PairStates;

/**
 * Measures two consoles sharing one PostgreSQL on this machine: console X in this JVM (embedded server, demo lab,
 * simulated pairs replaying the demo's snapshots) and console Y a separate process on X's server, replaying the same
 * snapshots. Prints each console's collector CPU and pairs, the overview's render time on each, and, after Y is
 * killed (SIGKILL), how long until X holds every pair and until X has read every node itself. Asserts nothing.
 * <pre>java -jar tandem.jar bench consoles [--pairs 2000] [--cpu-seconds 30] [--renders 30]</pre>
 */
public final class ScaleOutBench {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    /** What {@code Tandem} takes for "keep the JVM running". */
    private static final int KEEP_RUNNING = -1;
    private static final String[] COLLECTOR_THREADS = {"node-reader-", "node-poller"};
    private static final String[] SHARING_THREADS = {"pair-share-", "pair-leases"};

    private ScaleOutBench() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, Integer> options;
        try {
            options = BenchConsole.options(args, Map.of("--pairs", 2000, "--cpu-seconds", 30, "--renders", 30));
        } catch (IllegalArgumentException e) {
            err.println("bench consoles: " + e.getMessage());
            err.println("usage: bench consoles [--pairs N] [--cpu-seconds N] [--renders N]");
            return 2;
        }
        try {
            measure(options.get("--pairs"), options.get("--cpu-seconds"), options.get("--renders"), out);
            return 0;
        } catch (Exception e) {
            err.println("bench consoles: " + e);
            return 1;
        }
    }

    /**
     * The second console: {@code bench consoles-member RECORDING console-arguments...}, a console whose simulated
     * nodes replay the recording (JSON) written by {@link #run}.
     */
    public static int member(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("usage: bench consoles-member RECORDING [console arguments]");
            return 2;
        }
        ReplayedNodes.Recording recording;
        try {
            recording = JSON.readValue(Files.readString(Path.of(args.get(0))), ReplayedNodes.Recording.class);
        } catch (IOException | RuntimeException e) {
            err.println("bench consoles-member: cannot read the recording: " + e);
            return 2;
        }
        SpringApplication app = new SpringApplication(ConsoleApplication.class);
        app.addInitializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof NodeAccess access && !(bean instanceof ReplayedNodes)
                        && access.transport() == NodeTarget.Transport.AGENT) {
                    ReplayedNodes replay = new ReplayedNodes(access);
                    replay.replay(recording); // before the first read: no simulated node is ever unknown here
                    return replay;
                }
                return bean;
            }
        }));
        app.run(args.subList(1, args.size()).toArray(String[]::new));
        return KEEP_RUNNING;
    }

    private static void measure(int pairs, int cpuSeconds, int renders, PrintStream out) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = "--tandem.master-key=" + Base64.getEncoder().encodeToString(key);
        try (BenchConsole x = BenchConsole.start("consoles", out, List.of("--tandem.instances.enabled=true",
                "--tandem.instances.name=console-x", masterKey))) {
            PairLeases leasesX = x.context().getBean(PairLeases.class);
            PairStates statesX = x.states();
            long registering = System.nanoTime();
            x.simulate(pairs);
            int total = x.fleet().list().size();
            out.printf(Locale.ROOT, "%d simulated pairs (%d nodes) registered and read by console X alone in %d s%n",
                    pairs, pairs * 2, Duration.ofNanos(System.nanoTime() - registering).toSeconds());

            Path dir = Files.createTempDirectory("tandem-consoles-bench");
            Path recording = dir.resolve("recording.json");
            Files.writeString(recording, JSON.writeValueAsString(x.replay().recording()));
            int portY = freePort();
            String baseY = "http://127.0.0.1:" + portY;
            List<String> command = new ArrayList<>(javaCommand());
            command.addAll(List.of("bench", "consoles-member", recording.toString(), "--server.port=" + portY,
                    "--server.address=127.0.0.1", "--tandem.data-dir=" + dir.resolve("y"), "--tandem.instances.enabled=true",
                    "--tandem.instances.name=console-y", "--tandem.monitor.enabled=true", masterKey,
                    "--logging.level.root=WARN", "--logging.level.io.tandem=WARN"));
            command.addAll(x.context().getBean(EmbeddedDatabase.class).consoleArguments());
            Process y = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("console-y.log").toFile()).start();
            try {
                long joining = System.nanoTime();
                // a second JVM starting a whole console: minutes on a loaded machine
                long startDeadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                while (!answers(baseY)) {
                    if (System.nanoTime() > startDeadline || !y.isAlive()) {
                        throw new IllegalStateException("console Y did not start; see " + dir.resolve("console-y.log"));
                    }
                    Thread.sleep(1000);
                }
                BenchConsole.await("the pairs to be split", () -> Math.abs(leasesX.owned().size() - total / 2) <= 1);
                out.printf(Locale.ROOT, "console Y started and the pairs split in %d s: X reads %d pairs, Y %d%n",
                        Duration.ofNanos(System.nanoTime() - joining).toSeconds(), leasesX.owned().size(),
                        total - leasesX.owned().size());
                Thread.sleep(10_000); // Y's first reads of its share, and its backlog of shares to X

                Map<Long, Long> collectorX0 = threadCpu(COLLECTOR_THREADS);
                Map<Long, Long> sharingX0 = threadCpu(SHARING_THREADS);
                Map<String, Long> collectorY0 = procThreadCpu(y.pid(), COLLECTOR_THREADS);
                Map<String, Long> sharingY0 = procThreadCpu(y.pid(), SHARING_THREADS);
                long processY0 = procCpu(y.pid());
                long wall0 = System.nanoTime();
                Thread.sleep(cpuSeconds * 1000L);
                double wall = System.nanoTime() - wall0;
                out.printf(Locale.ROOT, "collector CPU over %d s, %d nodes split between two consoles (target: each console less than one "
                                + "core; one console read 1,000 nodes at 0.31 cores):%n", cpuSeconds, pairs * 2);
                out.printf(Locale.ROOT, "  console X (%d pairs): collector threads %.2f cores, sharing threads (leases, share writer and "
                                + "listener) %.2f cores%n", leasesX.owned().size(), delta(threadCpu(COLLECTOR_THREADS), collectorX0) / wall,
                        delta(threadCpu(SHARING_THREADS), sharingX0) / wall);
                out.printf(Locale.ROOT, "  console Y (%d pairs): collector threads %.2f cores, sharing threads %.2f cores, whole process %.2f cores%n",
                        total - leasesX.owned().size(), delta(procThreadCpu(y.pid(), COLLECTOR_THREADS), collectorY0) / wall,
                        delta(procThreadCpu(y.pid(), SHARING_THREADS), sharingY0) / wall, (procCpu(y.pid()) - processY0) / wall);

                overview("X", x.base(), x.adminPassword(), renders, total, out);
                overview("Y", baseY, x.adminPassword(), renders, total, out);

                List<ClusterView> ofY = x.fleet().list().stream().filter(c -> !leasesX.owns(c.id())).toList();
                y.destroyForcibly();
                Instant killed = Instant.now();
                long kill = System.nanoTime();
                BenchConsole.await("X to hold every pair", () -> leasesX.owned().size() == total);
                double leased = (System.nanoTime() - kill) / 1e9;
                BenchConsole.await("X to read every node of Y's pairs", () -> ofY.stream().allMatch(c -> statesX.state(c.id())
                        .map(s -> s.observations().values().stream().allMatch(o -> o.reachable() && o.observedAt().isAfter(killed)))
                        .orElse(false)));
                double read = (System.nanoTime() - kill) / 1e9;
                out.printf(Locale.ROOT, "console Y killed (SIGKILL) holding %d pairs: X held them all after %.1f s and had read all %d of "
                                + "their nodes itself after %.1f s (target: 10 s; lease %s, renewed every %s)%n", ofY.size(), leased,
                        ofY.size() * 2, read, x.context().getEnvironment().getProperty("tandem.instances.lease", "5s"),
                        x.context().getEnvironment().getProperty("tandem.instances.renew-every", "1s"));
                out.printf(Locale.ROOT, "system load average at the end: %.1f on %d cores (the figures above share the machine)%n",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
            } finally {
                y.destroyForcibly();
            }
        }
    }

    private static void overview(String console, String base, String password, int renders, int pairs, PrintStream out)
            throws Exception {
        ConsoleSession browser = ConsoleSession.login(base, "admin", password, HTTP_TIMEOUT);
        browser.get("/"); // warm-up
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < renders; i++) {
            long t0 = System.nanoTime();
            browser.get("/");
            samples.add((System.nanoTime() - t0) / 1e6);
        }
        out.printf(Locale.ROOT, "fleet overview on console %s (GET /, %d pairs, %d renders): p50 %.0f ms, p95 %.0f ms%n", console, pairs,
                renders, BenchConsole.percentile(samples, 0.50), BenchConsole.percentile(samples, 0.95));
    }

    /** This JVM's java, started on the same jar or class path, at {@code Tandem}. */
    private static List<String> javaCommand() {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return List.of(javaBin, "-jar", classPath);
        }
        return List.of(javaBin, "-cp", classPath, "io.tandem.Tandem");
    }

    private static boolean answers(String base) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/login"))
                    .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long delta(Map<?, Long> now, Map<?, Long> before) {
        long sum = 0;
        for (Map.Entry<?, Long> entry : now.entrySet()) {
            sum += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
        }
        return sum;
    }

    /** CPU nanoseconds so far of this JVM's threads whose names start with one of {@code prefixes}. */
    private static Map<Long, Long> threadCpu(String... prefixes) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (Stream.of(prefixes).anyMatch(info.getThreadName()::startsWith)) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    /** The same for another process, from Linux's /proc (thread names as the kernel keeps them, 15 characters). */
    private static Map<String, Long> procThreadCpu(long pid, String... prefixes) throws IOException {
        Map<String, Long> cpu = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (Stream.of(prefixes).anyMatch(p -> name.startsWith(p.length() > 15 ? p.substring(0, 15) : p))) {
                        cpu.put(task.getFileName().toString(), ticksToNanos(Files.readString(task.resolve("stat"))));
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return cpu;
    }

    private static long procCpu(long pid) throws IOException {
        return ticksToNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** utime + stime (fields 14 and 15 of stat, after the name in parentheses), at 100 ticks per second. */
    private static long ticksToNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

}
