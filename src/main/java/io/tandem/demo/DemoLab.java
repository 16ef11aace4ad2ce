package io.tandem.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.tandem.access.NodeConnections;
import io.tandem.agent.AgentApplication;
import io.tandem.agent.AgentCommand;
import io.tandem.agent.AgentConfig;
import io.tandem.agent.AgentState;
import io.tandem.agent.NodeBackends;
import io.tandem.agent.RunningAgent;
import io.tandem.console.Rejected;
import io.tandem.datastore.DataDirectory;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeSpec;
import io.tandem.lab.exporter.ExporterSimulator;
import io.tandem.lab.nfo.LabNfoConfig;
import io.tandem.lab.nfo.OutputGateSim;
import io.tandem.lab.sim.Fault;
import io.tandem.lab.sim.FaultRefusedException;
import io.tandem.lab.sim.LabNfoProcess;
import io.tandem.lab.sim.LabToolRunner;
import io.tandem.lab.sim.NfoProcess;
import io.tandem.lab.sim.PairSpec;
import io.tandem.lab.sim.SimulatedPair;
import io.tandem.lab.sink.SiemSink;
import io.tandem.netflow.TemplateSnapshot;
import io.tandem.node.GateDestination;
import io.tandem.node.TemplateSource;

/**
 * Builds the demo on start, from scratch in {@code <data-dir>/demo}: a SIEM sink, two simulated pairs
 * ({@code demo-hot}, {@code demo-cold}) with lab NFO processes fed by an exporter simulator, one real
 * agent per node over the simulation, and both pairs registered (and pinned) in the fleet.
 */
@Component
@ConditionalOnProperty(name = "tandem.demo.enabled", havingValue = "true")
@Order(10)
public class DemoLab implements ApplicationRunner, DisposableBean {

    static final String HOT = "demo-hot";
    static final String COLD = "demo-cold";
    private static final Duration TICK = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(DemoLab.class);

    private final DataDirectory dataDirectory;
    private final FleetService fleet;
    private final NodeConnections connections;
    private final Clock clock;
    private final Map<String, SimulatedPair> pairs = new LinkedHashMap<>();
    private final List<RunningAgent> agents = new ArrayList<>();
    private final List<LabNfoProcess> processes = new ArrayList<>();
    private final List<ExporterSimulator> exporters = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-lab-tick");
        thread.setDaemon(true);
        return thread;
    });
    private SiemSink sink;

    DemoLab(DataDirectory dataDirectory, FleetService fleet, NodeConnections connections, Clock clock) {
        this.dataDirectory = dataDirectory;
        this.fleet = fleet;
        this.connections = connections;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        long started = System.nanoTime();
        Path dir = fresh(dataDirectory.resolve("demo"));
        sink = SiemSink.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clock);
        build(HOT, PairSpec.Mode.HOT, ClusterMode.HOT, List.of("hot-a", "hot-b"), dir);
        build(COLD, PairSpec.Mode.COLD, ClusterMode.COLD, List.of("cold-a", "cold-b"), dir);
        ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Demo lab ready in {} ms: pairs {} with real agents on loopback, SIEM sink on {}",
                (System.nanoTime() - started) / 1_000_000, pairs.keySet(), sink.udpAddress());
    }

    private void build(String clusterName, PairSpec.Mode mode, ClusterMode clusterMode, List<String> nodeNames, Path dir)
            throws Exception {
        PairSpec spec = PairSpec.of(mode, nodeNames.get(0), nodeNames.get(1));
        Map<String, InetSocketAddress> inputs = new LinkedHashMap<>();
        for (String node : nodeNames) {
            inputs.put(node, new InetSocketAddress(InetAddress.getLoopbackAddress(), freeUdpPort()));
        }
        ExporterSimulator exporter = new ExporterSimulator(new ExporterSimulator.Config(List.copyOf(inputs.values()), 4, 3, 10,
                Duration.ofSeconds(20), 200, null), clock);
        Map<String, NfoProcess> byNode = new LinkedHashMap<>();
        for (String node : nodeNames) {
            seedConfiguration(dir.resolve(clusterName).resolve(node));
            LabNfoProcess process = new LabNfoProcess(new LabNfoConfig(node, dir.resolve(clusterName).resolve(node), inputs.get(node),
                    new LabNfoConfig.Output(sink.udpAddress(), GateDestination.Transport.UDP), LabNfoConfig.NO_STATUS_PORT,
                    OutputGateSim.opened(), clock));
            processes.add(process);
            byNode.put(node, process);
        }
        SimulatedPair pair = new SimulatedPair(spec, byNode, exporter, clock.instant());
        pairs.put(clusterName, pair);
        exporter.start();
        exporters.add(exporter);

        List<NodeSpec> nodes = new ArrayList<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (String node : nodeNames) {
            Path state = dir.resolve(clusterName).resolve(node).resolve("agent");
            String[] identity = initAgent(state);
            Path home = dir.resolve(clusterName).resolve(node);
            AgentConfig config = AgentConfig.load(writeConfig(state, home, spec.unit(), inputs.get(node).getPort())).withPort(0);
            RunningAgent agent = AgentApplication.start(config, AgentState.load(config.stateDir()),
                    new NodeBackends(new LabToolRunner(pair, node), new DemoFileSource(node, clock), templatesOf(byNode.get(node))));
            agents.add(agent);
            fingerprints.put(node, identity[1]);
            nodes.add(new NodeSpec(node, "127.0.0.1", AccessKind.AGENT, null, null, agent.port(), null, spec.unit(),
                    List.of("server/etc/**"), null, List.of(inputs.get(node).getPort()), identity[0]));
        }
        fleet.list().stream().filter(c -> c.name().equals(clusterName)).forEach(old -> fleet.delete(old.id()));
        ClusterView cluster = fleet.create(new ClusterSpec(clusterName, clusterMode,
                "Demo lab: simulated NFO, Pacemaker" + (mode == PairSpec.Mode.COLD ? ", DRBD" : "")
                        + " and output gate behind real Tandem agents on loopback.",
                spec.nfo(), spec.vip(), spec.gate(), mode == PairSpec.Mode.COLD ? spec.drbdResource() : null, nodes));
        for (ClusterView.NodeView node : cluster.nodes()) {
            connections.pin(cluster.id(), node.id(), fingerprints.get(node.name()));
        }
    }

    /** What the node has learned: the lab NFO's template cache while it runs, nothing while it is down. */
    private TemplateSource templatesOf(NfoProcess process) {
        LabNfoProcess lab = (LabNfoProcess) process;
        return () -> lab.running() ? lab.current().templates() : TemplateSnapshot.empty(clock.millis());
    }

    /** Both nodes of a pair start with the same NFO configuration, as an operator would have copied it. */
    private static void seedConfiguration(Path home) throws IOException {
        Path etc = Files.createDirectories(home.resolve("server/etc"));
        Files.writeString(etc.resolve("server.cfg"), """
                # NFO server settings (demo)
                SYSLOG_OUTPUT siem
                TEMPLATE_TIMEOUT 1800
                """);
    }

    /** Runs {@code agent init} exactly as an operator would; returns the token and the fingerprint. */
    private static String[] initAgent(Path state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AgentCommand.run(List.of("init", "--state-dir", state.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("agent init failed for the demo: " + err.toString(StandardCharsets.UTF_8));
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return new String[] {
                lines.get(lines.size() - 2).substring("token=".length()),
                lines.get(lines.size() - 1).substring("fingerprint=".length())};
    }

    private static Path writeConfig(Path state, Path home, String unit, int flowPort) throws IOException {
        Path file = state.resolve("demo-agent.yml");
        Files.writeString(file, """
                listen:
                  address: 127.0.0.1
                state-dir: '%s'
                nfo:
                  home: '%s'
                  service-unit: %s
                  config:
                    include: ["server/etc/**"]
                  flow-input-ports: [%d]
                limits:
                  max-requests-per-second: 0
                capture:
                  source: none
                """.formatted(state, home, unit, flowPort));
        return file;
    }

    private void tick() {
        try {
            pairs.values().forEach(pair -> pair.advance(TICK));
        } catch (RuntimeException e) {
            log.warn("demo simulation step failed: {}", e.toString());
        }
    }

    /** Injects a fault into one node of a demo pair; refused with a reason an operator understands. */
    public void inject(String clusterName, String nodeName, String faultId) {
        SimulatedPair pair = pairs.get(clusterName);
        if (pair == null) {
            throw Rejected.invalid("unknown-demo-pair", "cluster", "The demo has pairs " + pairs.keySet() + ", not '" + clusterName + "'.");
        }
        if (nodeName == null || !pair.spec().nodes().contains(nodeName)) {
            throw Rejected.invalid("unknown-demo-node", "node", "Pair " + clusterName + " has nodes " + pair.spec().nodes() + ".");
        }
        Fault fault;
        try {
            fault = Fault.of(faultId == null ? "" : faultId);
        } catch (IllegalArgumentException e) {
            throw Rejected.invalid("unknown-fault", "fault", e.getMessage());
        }
        try {
            pair.inject(nodeName, fault);
        } catch (FaultRefusedException e) {
            throw Rejected.conflict("fault-refused", "fault", e.getMessage());
        }
    }

    /** Heals every injected fault in every pair. */
    public void heal() {
        pairs.values().forEach(SimulatedPair::heal);
    }

    public List<String> faults() {
        return Stream.of(Fault.values()).map(Fault::id).toList();
    }

    public Map<String, List<String>> nodes() {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        pairs.forEach((name, pair) -> nodes.put(name, pair.spec().nodes()));
        return nodes;
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
        agents.forEach(RunningAgent::close);
        exporters.forEach(ExporterSimulator::close);
        processes.forEach(LabNfoProcess::stop);
        if (sink != null) {
            sink.close();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The demo's state is recreated cleanly on each start. */
    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        return Files.createDirectories(dir);
    }

}
