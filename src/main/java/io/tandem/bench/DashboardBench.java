package io.tandem.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ConfigurableApplicationContext;

import io.tandem.demo.DemoLab;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.HealthDiff;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairListener;
import io.tandem.monitor.PairStates;

/**
 * Measures the live dashboard in one JVM: the console with the demo lab (real agents over simulated nodes), on an
 * embedded PostgreSQL in a temporary directory, reached over real HTTP. Prints figures; asserts nothing.
 * <ol>
 * <li>freshness: a fault injected into a demo agent's node (the passive's output gate opened, then healed) until the
 * pair page's pushed HTML showing the new role reaches an SSE client;</li>
 * <li>fleet overview render time ({@code GET /}, full page) with {@code --pairs} simulated pairs;</li>
 * <li>collector CPU while the monitor reads twice as many simulated nodes on its normal schedule: each answers
 * with a snapshot recorded from a demo agent ({@link ReplayedNodes}), so collecting, judging and recording are
 * real and only the network read is not.</li>
 * </ol>
 * <pre>java -jar tandem.jar bench dashboard [--trials 24] [--pairs 500] [--cpu-seconds 30] [--renders 50]</pre>
 */
public final class DashboardBench {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    /** A change not seen by then is counted as missed, not as a slow sample. */
    private static final Duration TRIAL_TIMEOUT = Duration.ofSeconds(15);

    private DashboardBench() {
    }

    record Options(int trials, int pairs, int cpuSeconds, int renders) {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench dashboard: " + e.getMessage());
            err.println("usage: bench dashboard [--trials N] [--pairs N] [--cpu-seconds N] [--renders N]");
            return 2;
        }
        try {
            measure(options, out);
            return 0;
        } catch (Exception e) {
            err.println("bench dashboard: " + e);
            return 1;
        }
    }

    static Options parse(List<String> args) {
        Map<String, Integer> values = BenchConsole.options(args, Map.of("--trials", 24, "--pairs", 500, "--cpu-seconds", 30, "--renders", 50));
        return new Options(values.get("--trials"), values.get("--pairs"), values.get("--cpu-seconds"), values.get("--renders"));
    }

    private static void measure(Options options, PrintStream out) throws Exception {
        try (BenchConsole console = BenchConsole.start("dashboard", out)) {
            ConfigurableApplicationContext context = console.context();
            AtomicLong observations = new AtomicLong();
            BlockingQueue<Long> judged = new java.util.concurrent.LinkedBlockingQueue<>();
            context.getBeanFactory().registerSingleton("benchListener", new PairListener() {
                @Override
                public void observed(java.util.UUID clusterId) {
                    observations.incrementAndGet();
                }

                @Override
                public void healthChanged(PairStates.HealthChanged changed) {
                    if (changed.cluster().name().equals("demo-hot")) {
                        judged.add(System.nanoTime());
                    }
                }
            });
            FleetService fleet = console.fleet();
            PairStates states = console.states();
            DemoLab demo = context.getBean(DemoLab.class);
            ClusterView hot = console.named("demo-hot");

            ConsoleSession browser = ConsoleSession.login(console.base(), "admin", console.adminPassword(), HTTP_TIMEOUT);
            freshness(options.trials(), browser, demo, states, hot, judged, out);

            List<ClusterView> simulated = console.simulate(options.pairs());

            collector(options.cpuSeconds(), observations, simulated.size() * 2, out);
            overview(options.renders(), browser, fleet.list().size(), () -> context.getBeansOfType(PairListener.class).values().forEach(listener -> listener.healthChanged(
                    new PairStates.HealthChanged(simulated.get(0), new HealthDiff(List.of(), List.of(), List.of(), List.of()), null))), out);
            out.printf(Locale.ROOT, "system load average at the end: %.1f on %d cores (the figures above share the machine)%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        }
    }

    /** Trials alternate: open the passive's output gate (it turns ACTIVE), then heal (it turns PASSIVE_HOT again). */
    private static void freshness(int trials, ConsoleSession browser, DemoLab demo, PairStates states, ClusterView hot,
                                  BlockingQueue<Long> judged, PrintStream out) throws Exception {
        BlockingQueue<ConsoleSession.Event> pushed = browser.events("/clusters/" + hot.id() + "/events");
        Random pause = new Random(6);
        List<Double> samples = new ArrayList<>();
        List<Double> detected = new ArrayList<>();
        int missed = 0;
        while (samples.size() + missed < trials) {
            String passive = roleHolder(states, hot, NodeRole.PASSIVE_HOT);
            for (boolean inject : new boolean[] {true, false}) {
                // a random pause, so the change does not keep the same phase against the agent's 1 s watch and the polls
                Thread.sleep(300 + pause.nextInt(1000));
                pushed.clear();
                judged.clear();
                long t0 = System.nanoTime();
                if (inject) {
                    demo.inject("demo-hot", passive, "open-gate");
                } else {
                    demo.heal();
                }
                String expected = "data-node=\"" + passive + "\" data-role=\"" + (inject ? NodeRole.ACTIVE : NodeRole.PASSIVE_HOT) + "\"";
                Optional<Long> arrived = awaitPush(pushed, expected, t0);
                if (arrived.isPresent()) {
                    samples.add((arrived.get() - t0) / 1e6);
                    Long judgedAt = judged.poll();
                    if (judgedAt != null && judgedAt <= arrived.get()) {
                        detected.add((judgedAt - t0) / 1e6);
                    }
                } else {
                    missed++;
                }
            }
            BenchConsole.await("demo-hot healthy again", () -> BenchConsole.healthy(states, hot));
        }
        out.printf(Locale.ROOT, "freshness, demo fault on a real agent's node -> pair page HTML at an SSE client, %d trials: "
                        + "p50 %.0f ms, p95 %.0f ms, max %.0f ms, missed %d (target p95 <= 1000 ms)%n",
                samples.size(), BenchConsole.percentile(samples, 0.50), BenchConsole.percentile(samples, 0.95), BenchConsole.percentile(samples, 1.0), missed);
        out.printf(Locale.ROOT, "  of which until the console had read and judged the change (the agent's change watch every events.watch-millis, its "
                        + "event, the read over HTTPS): p50 %.0f ms, p95 %.0f ms%n",
                BenchConsole.percentile(detected, 0.50), BenchConsole.percentile(detected, 0.95));
    }

    private static Optional<Long> awaitPush(BlockingQueue<ConsoleSession.Event> pushed, String expected, long t0)
            throws InterruptedException {
        long deadline = t0 + TRIAL_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ConsoleSession.Event event = pushed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event != null && event.name().equals("health") && event.data().contains(expected)) {
                return Optional.of(event.arrivedNanos());
            }
        }
        return Optional.empty();
    }

    private static void collector(int seconds, AtomicLong observations, int nodes, PrintStream out) throws InterruptedException {
        Thread.sleep(5000); // let registration and the first judgements settle
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long process0 = os.getProcessCpuTime();
        Map<Long, Long> collector0 = collectorCpu(threads);
        long observed0 = observations.get();
        long wall0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long wall = System.nanoTime() - wall0;
        long process = os.getProcessCpuTime() - process0;
        long collector = 0;
        for (Map.Entry<Long, Long> thread : collectorCpu(threads).entrySet()) {
            collector += thread.getValue() - collector0.getOrDefault(thread.getKey(), 0L);
        }
        double reads = (observations.get() - observed0) / (wall / 1e9);
        out.printf(Locale.ROOT, "collector CPU, %d simulated nodes (+4 demo agents) read for %d s: collector threads %.2f cores, "
                        + "whole console process %.2f cores (demo lab and web server included); %.0f node readings/s "
                        + "(target < 1 core)%n",
                nodes, seconds, collector / (double) wall, process / (double) wall, reads);
    }

    /** CPU time so far of the monitor's threads (the poller and its readers), by thread id. */
    private static Map<Long, Long> collectorCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("node-reader-") || info.getThreadName().equals("node-poller")) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    /**
     * The page as served (its card list is rendered once per change and shared), and the page right after a health
     * change, when the card list must be rendered again: {@code change} publishes one before each such request.
     */
    private static void overview(int renders, ConsoleSession browser, int pairs, Runnable change, PrintStream out) throws Exception {
        for (int i = 0; i < 5; i++) {
            change.run();
            browser.get("/"); // warm-up: templates and JIT, as on a console that has been running
        }
        List<Double> served = new ArrayList<>();
        List<Double> rendered = new ArrayList<>();
        int cards = 0;
        for (int i = 0; i < renders; i++) {
            long t0 = System.nanoTime();
            String html = browser.get("/");
            served.add((System.nanoTime() - t0) / 1e6);
            cards = html.split("class=\"card ", -1).length - 1;
            change.run();
            long t1 = System.nanoTime();
            browser.get("/");
            rendered.add((System.nanoTime() - t1) / 1e6);
        }
        out.printf(Locale.ROOT, "fleet overview, GET / with %d pairs (%d cards on the page) over HTTP, %d requests each: "
                        + "as served p50 %.0f ms, p95 %.0f ms; right after a health change (card list rendered anew) "
                        + "p50 %.0f ms, p95 %.0f ms (target p95 <= 200 ms)%n",
                pairs, cards, renders, BenchConsole.percentile(served, 0.50), BenchConsole.percentile(served, 0.95),
                BenchConsole.percentile(rendered, 0.50), BenchConsole.percentile(rendered, 0.95));
    }

    private static String roleHolder(PairStates states, ClusterView pair, NodeRole role) {
        return states.state(pair.id()).orElseThrow().health().nodes().stream().filter(n -> n.role() == role)
                .map(NodeState::node).findFirst().orElseThrow(() -> new IllegalStateException(pair.name() + " has no " + role + " node"));
    }
}
