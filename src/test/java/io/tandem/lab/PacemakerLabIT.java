package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.tandem.ConsoleApplication;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeConnections;
import io.tandem.fleet.NodeSpec;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairHealth;
import io.tandem.monitor.PairStates;
import io.tandem.node.GateRule;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole console against the real Pacemaker lab (lab/pacemaker-lab.sh: corosync, Pacemaker, pcs, the nftables
 * gate, OpenSSH, a Tandem agent and the lab NFO in each node, exporters and the SIEM sink in the client network).
 * The lab pair is registered twice, once read through the agents and once over SSH, and the console's own monitor
 * (poller, agent change streams, role derivation) is what the test watches. A move and a crash of the active node
 * must swap the roles the console shows, the gate on each node must match its role, and the SIEM must receive the
 * output of exactly one node at a time. Timings are measured and printed, never asserted.
 *
 * <p>An integration test (failsafe, after {@code package}): the nodes run {@code java -jar target/tandem.jar} as
 * an operator would, so the jar must exist, and in Maven's lifecycle it exists only after the test phase. Needs
 * root and the lab packages ({@code .ci/run} installs them); skips otherwise.
 */
@Tag("lab")
@SpringBootTest(classes = ConsoleApplication.class, properties = "tandem.monitor.enabled=true")
class PacemakerLabIT {

    private static final Path LAB = Path.of("lab", "pacemaker-lab.sh");
    /**
     * Its own state dir (TANDEM_LAB_STATE), not the default /var/tmp/tandem-lab: another checkout's lab user then
     * cannot take this lab down through the shared ledger, and `up` refuses to build over a lab it did not make.
     */
    private static final Path STATE = Path.of("/var/tmp/tandem-lab-it");
    /** The lab's bridge; while it exists, someone's lab is up on this host (one lab per host). */
    private static final Path BRIDGE = Path.of("/sys/class/net/tlab0");
    private static final Duration LAB_BUSY_WAIT = Duration.ofMinutes(5);
    private static final Path JAR = Path.of("target", "tandem.jar");
    private static final Map<String, String> ADDRESS = Map.of("nfo-a", "10.77.0.11", "nfo-b", "10.77.0.12");
    private static final String SINK = "10.77.0.2";
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Figures for the report, printed together at the end. */
    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;
    @Autowired
    PairStates states;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the Pacemaker lab needs root");
        for (String tool : List.of("/usr/sbin/corosync", "/usr/sbin/pacemakerd", "/usr/sbin/pcs", "/usr/sbin/nft",
                "/usr/sbin/sshd", "/usr/bin/tcpdump")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)),
                    "the Pacemaker lab needs " + tool + " (bash lab/install-packages.sh installs it)");
        }
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "the Pacemaker lab runs " + JAR + " (run it with ./mvnw verify)");
        lab("down");
        awaitNoOtherLab();
        long started = System.nanoTime();
        lab("up", "--mode", "hot", "--jar", JAR.toString(),
                "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        figure("lab up (cluster, resources, agents, NFO, sink ready)", millisSince(started) + " ms");
    }

    @AfterAll
    static void down() throws Exception {
        FIGURES.forEach((what, value) -> System.out.println("lab figure: " + what + ": " + value));
        if (Files.isExecutable(LAB) && "root".equals(System.getProperty("user.name"))) {
            lab("down");
            assertThat(run(List.of("ip", "netns", "list"))).as("the lab leaves no namespace behind").doesNotContain("tlab-");
        }
    }

    @Test
    void theConsoleFollowsRealPacemakerThroughTheAgentAndOverSsh() throws Exception {
        List<ClusterView> pairs = List.of(register("lab-agent", AccessKind.AGENT), register("lab-ssh", AccessKind.SSH));

        // 1. both nodes seen, with the roles Pacemaker's placement gives them, through both transports
        String active = vipNode();
        String passive = other(active);
        awaitEach(pairs, roles(Map.of(active, NodeRole.ACTIVE, passive, NodeRole.PASSIVE_HOT)), "the initial roles");
        for (ClusterView pair : pairs) {
            PairHealth health = health(pair);
            assertThat(health.findings(Finding.Kind.SPLIT_BRAIN_OUTPUT)).isEmpty();
            assertThat(health.findings(Finding.Kind.NO_OUTPUT)).isEmpty();
            assertGatesMatchRoles(pair);
        }
        long steadyFrom = nowSecond() + 1;
        awaitSinkSeconds(steadyFrom, 3);
        assertThat(nodesAtSink(steadyFrom)).as("only the active node's output reaches the SIEM").containsExactly(active);

        // 2. pcs resource move: the roles swap in the console
        ConsoleWatch swapped = watch(pairs, roles(Map.of(passive, NodeRole.ACTIVE, active, NodeRole.PASSIVE_HOT)));
        long moveStarted = System.nanoTime();
        long moveSecond = nowSecond();
        lab("exec", active, "pcs", "resource", "move", "nfo-vip", passive, "--wait=60");
        figure("pcs resource move nfo-vip --wait (returns after the move)", millisSince(moveStarted) + " ms");
        swapped.await("the swapped roles").forEach((pair, at) -> figure("move began -> console (" + pair
                + ") shows the roles swapped", TimeUnit.NANOSECONDS.toMillis(at - moveStarted) + " ms"));
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        // pcs 0.11 removes its temporary cli-prefer constraint after the move; the console may read it before that
        awaitEach(pairs, h -> h.findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty(), "no leftover constraint");
        long afterMove = nowSecond() + 1;
        awaitSinkSeconds(afterMove, 3);
        assertThat(nodesAtSink(afterMove)).as("after the move only the new active's output").containsExactly(passive);
        SinkWindow move = sinkWindow(moveSecond - 2, afterMove + 2, active, passive);
        figure("SIEM sink across the move", move.toString());
        assertThat(move.longestDoubleOpenSeconds()).as("no double-open across the move: " + move).isLessThanOrEqualTo(1);

        // 3. crash of the active node: the survivor takes over and the console shows it
        String crashed = passive;
        String survivor = active;
        GateWatch gate = GateWatch.start(survivor);
        ConsoleWatch survivorActive = watch(pairs, roles(Map.of(survivor, NodeRole.ACTIVE)));
        ConsoleWatch crashedUnreachable = watch(pairs, roles(Map.of(crashed, NodeRole.UNREACHABLE)));
        long crashSecond = nowSecond();
        long crashedAt = System.nanoTime();
        lab("kill-node", crashed);
        Map<String, Long> survivorShown = survivorActive.await(survivor + " ACTIVE");
        long opened = gate.awaitOpen(SETTLE);
        figure("crash -> survivor's gate open (Pacemaker started nfo-vip and nfo-gate there)",
                TimeUnit.NANOSECONDS.toMillis(opened - crashedAt) + " ms");
        survivorShown.forEach((pair, at) -> figure("survivor's gate open -> console (" + pair + ") shows it ACTIVE",
                TimeUnit.NANOSECONDS.toMillis(at - opened) + " ms"));
        crashedUnreachable.await(crashed + " UNREACHABLE").forEach((pair, at) -> figure("crash -> console (" + pair
                + ") shows the crashed node UNREACHABLE", TimeUnit.NANOSECONDS.toMillis(at - crashedAt) + " ms"));
        awaitEach(pairs, roles(Map.of(survivor, NodeRole.ACTIVE, crashed, NodeRole.UNREACHABLE)), "the roles after the crash");
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        long afterCrash = nowSecond() + 1;
        awaitSinkSeconds(afterCrash, 3);
        assertThat(nodesAtSink(afterCrash)).as("after the crash only the survivor's output").containsExactly(survivor);
        SinkWindow crash = sinkWindow(crashSecond - 2, afterCrash + 2, crashed, survivor);
        figure("SIEM sink across the crash", crash.toString());
        assertThat(crash.longestDoubleOpenSeconds()).as("no double-open across the crash: " + crash).isLessThanOrEqualTo(1);

        // 4. the crashed node boots again: blocked from the start, back as the ready passive
        ConsoleWatch rejoined = watch(pairs, roles(Map.of(survivor, NodeRole.ACTIVE, crashed, NodeRole.PASSIVE_HOT)));
        long booted = System.nanoTime();
        lab("start-node", crashed);
        rejoined.await(crashed + " PASSIVE_HOT").forEach((pair, at) -> figure("start-node -> console (" + pair + ") shows it PASSIVE_HOT",
                        TimeUnit.NANOSECONDS.toMillis(at - booted) + " ms"));
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        assertThat(nodesAtSink(nowSecond() - 2)).as("the rebooted passive sends nothing to the SIEM").containsExactly(survivor);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the console
    // ---------------------------------------------------------------------------------------------------------

    /** Registers the lab pair as an operator would (credential from the lab, key pinned after comparing it). */
    private ClusterView register(String name, AccessKind access) throws Exception {
        fleet.list().stream().filter(c -> c.name().equals(name)).forEach(old -> fleet.delete(old.id()));
        List<NodeSpec> nodes = new ArrayList<>();
        for (String node : List.of("nfo-a", "nfo-b")) {
            boolean agent = access == AccessKind.AGENT;
            nodes.add(new NodeSpec(node, ADDRESS.get(node), access, agent ? null : "root", agent ? null : 22,
                    agent ? 7443 : null, "/var/lib/nfo-lab/" + node, "nfo.service", List.of("server/etc/**"), null,
                    List.of(9555), agent ? agentIdentity(node).get("token")
                            : Files.readString(STATE.resolve("ssh/id_ed25519"))));
        }
        ClusterView cluster = fleet.create(new ClusterSpec(name, ClusterMode.HOT, "Pacemaker lab via " + access,
                "nfo", "nfo-vip", "nfo-gate", null, nodes));
        for (ClusterView.NodeView node : cluster.nodes()) {
            connections.pin(cluster.id(), node.id(), access == AccessKind.AGENT
                    ? agentIdentity(node.name()).get("fingerprint") : sshHostKeyFingerprint(node.name()));
        }
        return fleet.get(cluster.id());
    }

    private static Predicate<PairHealth> roles(Map<String, NodeRole> expected) {
        return h -> expected.entrySet().stream().allMatch(e -> h.node(e.getKey()).role() == e.getValue());
    }

    /**
     * Polls the console's current health of every pair every 20 ms until each has matched once; returns, per pair
     * name, the {@link System#nanoTime()} at which it first did. The pairs are watched together, so a figure of one
     * does not include the wait for the other.
     */
    private Map<String, Long> awaitEach(List<ClusterView> pairs, Predicate<PairHealth> wanted, String what)
            throws InterruptedException {
        return watch(pairs, wanted).await(what);
    }

    /** Starts watching the console's health of the pairs for {@code wanted} in the background (before an action). */
    private ConsoleWatch watch(List<ClusterView> pairs, Predicate<PairHealth> wanted) {
        return new ConsoleWatch(states, pairs, wanted);
    }

    /** Notes per pair the {@link System#nanoTime()} at which the console's health first matched, polling every 20 ms. */
    private static final class ConsoleWatch {
        private final Map<String, Long> matched = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, String> last = new java.util.concurrent.ConcurrentHashMap<>();
        private final int pairs;
        private final Thread thread;

        ConsoleWatch(PairStates states, List<ClusterView> pairs, Predicate<PairHealth> wanted) {
            this.pairs = pairs.size();
            thread = new Thread(() -> {
                while (matched.size() < pairs.size() && !Thread.currentThread().isInterrupted()) {
                    for (ClusterView pair : pairs) {
                        var state = states.state(pair.id());
                        if (matched.containsKey(pair.name()) || state.isEmpty()) {
                            continue;
                        }
                        PairHealth health = state.get().health();
                        if (wanted.test(health)) {
                            matched.put(pair.name(), System.nanoTime());
                        } else {
                            last.put(pair.name(), health.nodes() + "; " + health.findings());
                        }
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "console-watch");
            thread.setDaemon(true);
            thread.start();
        }

        Map<String, Long> await(String what) throws InterruptedException {
            thread.join(SETTLE.toMillis());
            thread.interrupt();
            if (matched.size() < pairs) {
                throw new AssertionError("the console did not show " + what + " within " + SETTLE + ": " + last);
            }
            return new java.util.TreeMap<>(matched);
        }
    }

    private PairHealth health(ClusterView pair) {
        return states.state(pair.id()).orElseThrow().health();
    }

    /**
     * The gate the console read on each reachable node matches the role it derived, and so does the node's real
     * nftables ruleset read independently of Tandem: an ACTIVE node has no drop rule, a PASSIVE_HOT node drops the
     * SIEM destination.
     */
    private void assertGatesMatchRoles(ClusterView pair) throws Exception {
        var state = states.state(pair.id()).orElseThrow();
        for (var node : state.health().nodes()) {
            if (node.role() != NodeRole.ACTIVE && node.role() != NodeRole.PASSIVE_HOT) {
                continue;
            }
            NodeObservation observation = state.observations().get(node.node());
            GateState gate = observation.snapshot().gate();
            String rules = run(List.of("ip", "netns", "exec", "tlab-" + node.node(), "nft", "list", "table", "inet", "tandem"));
            if (node.role() == NodeRole.ACTIVE) {
                assertThat(gate.status()).as(pair.name() + "/" + node.node()).isEqualTo(GateStatus.OPEN);
                assertThat(gate.rules()).noneMatch(GateRule::gateDrop);
                assertThat(rules).as(node.node() + " nft").doesNotContain("tandem-gate");
            } else {
                assertThat(gate.status()).as(pair.name() + "/" + node.node()).isEqualTo(GateStatus.BLOCKED);
                assertThat(gate.rules()).filteredOn(GateRule::gateDrop)
                        .anyMatch(r -> r.destination().address().equals(SINK) && r.destination().port() == 514);
                assertThat(rules).as(node.node() + " nft").contains("ip daddr " + SINK + " udp dport 514", "drop", "tandem-gate");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the lab
    // ---------------------------------------------------------------------------------------------------------

    private static String vipNode() throws Exception {
        String located = lab("exec", "nfo-a", "crm_resource", "--locate", "--resource", "nfo-vip");
        return located.contains("running on: nfo-b") ? "nfo-b" : "nfo-a";
    }

    /** Another checkout's lab (tests run in parallel worktrees) must finish first: one lab per host. */
    private static void awaitNoOtherLab() throws InterruptedException {
        long deadline = System.nanoTime() + LAB_BUSY_WAIT.toNanos();
        if (Files.exists(BRIDGE)) {
            System.out.println("lab: another Pacemaker lab is up on this host; waiting up to " + LAB_BUSY_WAIT + " for it to go");
        }
        while (Files.exists(BRIDGE) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        assertThat(BRIDGE).as("another Pacemaker lab stayed up on this host for " + LAB_BUSY_WAIT).doesNotExist();
    }

    private static Map<String, String> agentIdentity(String node) throws Exception {
        Map<String, String> identity = new LinkedHashMap<>();
        for (String line : Files.readAllLines(STATE.resolve("nodes").resolve(node).resolve("agent/identity"))) {
            int eq = line.indexOf('=');
            identity.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return identity;
    }

    /** The node's host key as ssh-keygen prints it ({@code SHA256:...}), what an operator compares before pinning. */
    private static String sshHostKeyFingerprint(String node) throws Exception {
        String line = run(List.of("ssh-keygen", "-l", "-f",
                STATE.resolve("nodes").resolve(node).resolve("ssh/ssh_host_ed25519_key.pub").toString()));
        return line.split(" ")[1];
    }

    /**
     * Watches the real ruleset of a node (not through Tandem) every 50 ms and notes when its gate drop rules vanish:
     * the moment Pacemaker's start of nfo-gate opened the output there.
     */
    private static final class GateWatch {
        private final AtomicLong openedAt = new AtomicLong();
        private final Thread thread;

        private GateWatch(String node) {
            thread = new Thread(() -> {
                while (openedAt.get() == 0 && !Thread.currentThread().isInterrupted()) {
                    try {
                        String rules = run(List.of("ip", "netns", "exec", "tlab-" + node, "nft", "list", "table", "inet", "tandem"));
                        if (!rules.contains("tandem-gate")) {
                            openedAt.set(System.nanoTime());
                        }
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception | AssertionError e) {
                        // the table is being replaced in one transaction; read again
                    }
                }
            }, "gate-watch-" + node);
            thread.setDaemon(true);
            thread.start();
        }

        static GateWatch start(String node) {
            return new GateWatch(node);
        }

        long awaitOpen(Duration within) throws InterruptedException {
            thread.join(within.toMillis());
            thread.interrupt();
            assertThat(openedAt.get()).as("the survivor's gate opened").isNotZero();
            return openedAt.get();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the SIEM sink (lab sink writes its per-second counts to <state>/client/sink.json every second)
    // ---------------------------------------------------------------------------------------------------------

    /** Records per arrival second and node. */
    private static TreeMap<Long, Map<String, Long>> sinkCounts() throws Exception {
        JsonNode report = JSON.readTree(Files.readString(STATE.resolve("client/sink.json")));
        TreeMap<Long, Map<String, Long>> counts = new TreeMap<>();
        for (var second : report.get("countsBySecond").properties()) {
            Map<String, Long> byNode = new LinkedHashMap<>();
            second.getValue().properties().forEach(n -> byNode.put(n.getKey(), n.getValue().asLong()));
            counts.put(Long.parseLong(second.getKey()), byNode);
        }
        return counts;
    }

    /** The nodes whose records reached the SIEM from {@code fromSecond} on. */
    private static List<String> nodesAtSink(long fromSecond) throws Exception {
        return sinkCounts().tailMap(fromSecond, true).values().stream()
                .flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
    }

    /** Waits until the sink has counted {@code seconds} full seconds from {@code fromSecond} on. */
    private static void awaitSinkSeconds(long fromSecond, int seconds) throws Exception {
        long until = fromSecond + seconds;
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            // the report is rewritten every second; a second is complete once a later one has records
            if (sinkCounts().ceilingKey(until) != null) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the SIEM sink received nothing after " + until + ": " + sinkCounts().tailMap(fromSecond - 5));
    }

    /**
     * What the SIEM saw around a takeover from {@code before} to {@code after}. The sink counts per second, so the
     * output gap is estimated in records: the steady rate (the median records per second in the window) minus what
     * arrived, summed over the window, and given in seconds at that rate as well. Duplicate data shows as seconds with
     * records of both nodes (a hand-over inside one second would show as one such second without any duplicate).
     */
    private static SinkWindow sinkWindow(long fromSecond, long toSecond, String before, String after) throws Exception {
        TreeMap<Long, Map<String, Long>> counts = sinkCounts();
        List<Long> totals = new ArrayList<>();
        int secondsWithBoth = 0;
        int run = 0;
        int longest = 0;
        for (long second = fromSecond; second <= toSecond; second++) {
            Map<String, Long> byNode = counts.getOrDefault(second, Map.of());
            totals.add(byNode.values().stream().mapToLong(Long::longValue).sum());
            boolean both = byNode.containsKey(before) && byNode.containsKey(after);
            secondsWithBoth += both ? 1 : 0;
            run = both ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        long rate = totals.stream().sorted().toList().get(totals.size() / 2);
        long lost = totals.stream().mapToLong(t -> Math.max(0, rate - t)).sum();
        return new SinkWindow(rate, lost, secondsWithBoth, longest, new TreeMap<>(counts.subMap(fromSecond, true, toSecond, true)));
    }

    private record SinkWindow(long ratePerSecond, long lostRecords, int secondsWithBoth, int longestDoubleOpenSeconds,
                              Map<Long, Map<String, Long>> counts) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "gap ~%d records (~%.1f s of output at %d/s), %d s with records of both nodes; per second: %s",
                    lostRecords, ratePerSecond == 0 ? 0.0 : (double) lostRecords / ratePerSecond, ratePerSecond, secondsWithBoth, counts);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void figure(String what, String value) {
        FIGURES.put(what, value);   // printed together by down(), also when the test fails half way
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private static long nowSecond() {
        return Math.floorDiv(System.currentTimeMillis(), 1000);
    }

    private static String other(String node) {
        return node.equals("nfo-a") ? "nfo-b" : "nfo-a";
    }

    private static String lab(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LAB.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a command with a limit; its output goes to a file so that a hung command cannot block the read. */
    private static String run(List<String> command) throws Exception {
        Path output = Files.createTempFile("lab-command", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("TANDEM_LAB_STATE", STATE.toString());
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 180 s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
