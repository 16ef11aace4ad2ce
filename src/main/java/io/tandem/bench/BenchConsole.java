package io.tandem.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.tandem.ConsoleApplication;
import io.tandem.access.NodeAccess;
import io.tandem.access.NodeConnections;
import io.tandem.access.NodeTarget;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeSpec;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.NodeState;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.node.NodeAccessException;

/**
 * The console with the demo lab in this JVM, on an embedded PostgreSQL in a temporary directory (deleted on close),
 * on a free port of 127.0.0.1, with the admin's password known; plus the pieces the benches share: simulated pairs
 * replaying the demo's recorded snapshots, option parsing, waiting and percentiles.
 */
final class BenchConsole implements AutoCloseable {

    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(180);

    private final Path dir;
    private final String password;
    private final ConfigurableApplicationContext context;
    private final AtomicReference<ReplayedNodes> replay;
    private final String bench;

    private BenchConsole(Path dir, String password, ConfigurableApplicationContext context,
                         AtomicReference<ReplayedNodes> replay, String bench) {
        this.dir = dir;
        this.password = password;
        this.context = context;
        this.replay = replay;
        this.bench = bench;
    }

    /** Starts the console and waits for demo-hot to be healthy and demo-cold read. */
    static BenchConsole start(String bench, PrintStream out) throws Exception {
        return start(bench, out, List.of());
    }

    /** As {@link #start(String, PrintStream)}, with more console arguments (they win over the defaults). */
    static BenchConsole start(String bench, PrintStream out, List<String> more) throws Exception {
        Path dir = Files.createTempDirectory("tandem-" + bench + "-bench");
        String password = "bench-" + UUID.randomUUID();
        AtomicReference<ReplayedNodes> replay = new AtomicReference<>();
        SpringApplication app = new SpringApplication(ConsoleApplication.class);
        app.addInitializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof NodeAccess access && !(bean instanceof ReplayedNodes)
                        && access.transport() == NodeTarget.Transport.AGENT) {
                    replay.set(new ReplayedNodes(access));
                    return replay.get();
                }
                return bean;
            }
        }));
        out.println("bench " + bench + ": starting the console with the demo lab in " + dir + " ...");
        long started = System.nanoTime();
        ConfigurableApplicationContext context;
        try {
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1", "--tandem.data-dir=" + dir,
                    "--tandem.demo.enabled=true", "--tandem.monitor.enabled=true", "--tandem.admin-password=" + password,
                    "--logging.level.root=WARN", "--logging.level.io.tandem=WARN"));
            args.addAll(more);
            context = app.run(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
        BenchConsole console = new BenchConsole(dir, password, context, replay, bench);
        try {
            ClusterView hot = console.named("demo-hot");
            ClusterView cold = console.named("demo-cold");
            await("demo-hot healthy", () -> healthy(console.states(), hot));
            await("demo-cold read", () -> read(console.states(), cold));
        } catch (Exception | Error e) {
            console.close();
            throw e;
        }
        out.printf(Locale.ROOT, "console and demo lab ready in %d s (%d cores available)%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), Runtime.getRuntime().availableProcessors());
        return console;
    }

    /** The simulated nodes' adapter, with what they replay. */
    ReplayedNodes replay() {
        return replay.get();
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    String base() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    String adminPassword() {
        return password;
    }

    FleetService fleet() {
        return context.getBean(FleetService.class);
    }

    PairStates states() {
        return context.getBean(PairStates.class);
    }

    ClusterView named(String name) {
        return fleet().list().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the demo lab did not register " + name));
    }

    /**
     * Registers {@code pairs} simulated pairs shaped like demo-hot and demo-cold (half each), whose nodes replay
     * those demo nodes' current snapshots, and waits until every simulated node has been read.
     */
    List<ClusterView> simulate(int pairs) throws Exception {
        ClusterView hot = named("demo-hot");
        ClusterView cold = named("demo-cold");
        record(context.getBean(NodeConnections.class), hot, cold);
        List<ClusterView> simulated = register(pairs, hot, cold);
        await(simulated.size() * 2 + " simulated nodes read", () -> simulated.stream().allMatch(c -> read(states(), c)));
        return simulated;
    }

    /** The demo nodes' current snapshots become what every simulated node of the same name reports. */
    private void record(NodeConnections connections, ClusterView... pairs) throws NodeAccessException {
        ReplayedNodes nodes = replay.get();
        if (nodes == null) {
            throw new IllegalStateException("the console has no agent adapter to simulate nodes behind");
        }
        for (ClusterView pair : pairs) {
            PairStates.PairState state = states().state(pair.id()).orElseThrow();
            for (ClusterView.NodeView node : pair.nodes()) {
                NodeObservation observation = state.observations().get(node.name());
                nodes.record(node.name(), observation.snapshot(), manifestOrNull(connections, pair, node));
            }
        }
    }

    /** Cold nodes may have no configuration to list; the replay then has none either. */
    private static io.tandem.node.config.ConfigManifest manifestOrNull(NodeConnections connections, ClusterView pair,
                                                                       ClusterView.NodeView node) throws NodeAccessException {
        try {
            return connections.manifest(pair.id(), node.id());
        } catch (io.tandem.node.config.ConfigRefusedException e) {
            return null;
        }
    }

    /** Half Hot, half Cold pairs, shaped like the demo's (same node names, resources, units, ports). */
    private List<ClusterView> register(int pairs, ClusterView hot, ClusterView cold) {
        FleetService fleet = fleet();
        List<ClusterView> registered = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            ClusterView shape = i % 2 == 0 ? hot : cold;
            List<NodeSpec> nodes = new ArrayList<>();
            for (ClusterView.NodeView node : shape.nodes()) {
                int n = 2 * i + nodes.size();
                nodes.add(new NodeSpec(node.name(), ReplayedNodes.SIMULATED + (n % 250 + 1), AccessKind.AGENT, null, null,
                        7000 + n / 250, node.nfoHome(), node.serviceUnit(), node.configIncludes(), node.configExcludes(),
                        node.flowPorts(), null));
            }
            registered.add(fleet.create(new ClusterSpec(String.format(Locale.ROOT, "bench-%04d", i), shape.mode(),
                    "Simulated by bench " + bench + ": replays " + shape.name() + "'s recorded snapshots.", shape.nfoResource(),
                    shape.vipResource(), shape.gateResource(), shape.drbdResource(), nodes)));
        }
        return registered;
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Numeric {@code --name value} options over {@code defaults} (kept in their order); each from 1 to 100000.
     * Throws {@link IllegalArgumentException} with the reason otherwise.
     */
    static Map<String, Integer> options(List<String> args, Map<String, Integer> defaults) {
        Map<String, Integer> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.size(); i += 2) {
            String key = args.get(i);
            if (!values.containsKey(key) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unknown option or missing value: " + key);
            }
            try {
                int value = Integer.parseInt(args.get(i + 1));
                if (value < 1 || value > 100_000) {
                    throw new NumberFormatException();
                }
                values.put(key, value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " takes a number from 1 to 100000, got '" + args.get(i + 1) + "'");
            }
        }
        return new HashMap<>(values);
    }

    static boolean healthy(PairStates states, ClusterView pair) {
        return states.state(pair.id()).map(s -> s.worst().map(w -> w != Severity.CRITICAL).orElse(true)
                && s.health().nodes().stream().map(NodeState::role).toList().containsAll(List.of(NodeRole.ACTIVE, NodeRole.PASSIVE_HOT)))
                .orElse(false);
    }

    static boolean read(PairStates states, ClusterView pair) {
        return states.state(pair.id()).map(s -> s.observations().values().stream().allMatch(NodeObservation::reachable)).orElse(false);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + SETTLE_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Nearest-rank percentile; NaN without samples. */
    static double percentile(List<Double> samples, double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = samples.stream().sorted().toList();
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
