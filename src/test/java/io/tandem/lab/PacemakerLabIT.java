package io.tandem.lab;

import static io.tandem.lab.PacemakerLab.nowSecond;
import static io.tandem.lab.PacemakerLab.other;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.tandem.ConsoleApplication;
import io.tandem.access.NodeConnections;
import io.tandem.drbd.ConnectionState;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.lab.PacemakerLab.GateWatch;
import io.tandem.lab.PacemakerLab.SinkWindow;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeObservation;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairHealth;
import io.tandem.monitor.PairStates;
import io.tandem.node.GateRule;
import io.tandem.node.GateState;
import io.tandem.node.GateStatus;

/**
 * The whole console against the real Pacemaker lab (lab/pacemaker-lab.sh: corosync, Pacemaker, pcs, the nftables
 * gate, OpenSSH, a Tandem agent and the lab NFO in each node, exporters and the SIEM sink in the client network).
 * Each lab pair is registered twice, once read through the agents and once over SSH, and the console's own monitor
 * (poller, agent change streams, role derivation) is what the tests watch. Moves, crashes and a network isolation of
 * the active node must change the roles the console shows, the gate on each node must match its role, and the SIEM
 * must receive the output of exactly one node at a time. Timings are measured and printed, never asserted.
 *
 * <p>Hot mode first, then isolation on the same lab, then the lab is rebuilt in Cold mode (one NFO instance in a
 * group with a Filesystem resource; DRBD status from the lab's drbdsetup stand-in, as DRBD cannot run here).
 *
 * <p>An integration test (failsafe, after {@code package}): the nodes run {@code java -jar target/tandem.jar} as
 * an operator would, so the jar must exist, and in Maven's lifecycle it exists only after the test phase. Needs
 * root and the lab packages ({@code .ci/run} installs them); skips otherwise.
 */
@Tag("lab")
@SpringBootTest(classes = ConsoleApplication.class, properties = "tandem.monitor.enabled=true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PacemakerLabIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    /** Figures for the report, printed together at the end. */
    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;
    @Autowired
    PairStates states;

    /** The pairs this test registered; removed after it, so no later test's console polls a lab that is gone. */
    private final List<ClusterView> registered = new ArrayList<>();

    @AfterEach
    void unregister() {
        registered.forEach(pair -> fleet.delete(pair.id()));
    }

    @BeforeAll
    static void runnable() {
        PacemakerLab.assumeRunnable();
    }

    @AfterAll
    static void down() throws Exception {
        FIGURES.forEach((what, value) -> System.out.println("lab figure: " + what + ": " + value));
        if (java.nio.file.Files.isExecutable(PacemakerLab.SCRIPT) && "root".equals(System.getProperty("user.name"))) {
            PacemakerLab.down();
            assertThat(PacemakerLab.command(List.of("ip", "netns", "list"))).as("the lab leaves no namespace behind")
                    .doesNotContain("tlab-");
        }
    }

    @Test
    @Order(1)
    void theConsoleFollowsRealPacemakerThroughTheAgentAndOverSsh() throws Exception {
        figure("lab up, hot (cluster, resources, agents, NFO, sink ready)", PacemakerLab.upIn("hot") + " ms");
        List<ClusterView> pairs = registerBoth("lab", ClusterMode.HOT);

        // 1. both nodes seen, with the roles Pacemaker's placement gives them, through both transports
        String active = awaitInitialRoles(pairs, NodeRole.PASSIVE_HOT);
        String passive = other(active);

        // 2. pcs resource move: the roles swap in the console
        moveAndSeeRolesSwap(pairs, "nfo-vip", active, NodeRole.PASSIVE_HOT, "hot");

        // 3. crash of the active node: the survivor takes over and the console shows it
        String crashed = passive;
        String survivor = active;
        crashAndSeeSurvivor(pairs, crashed, survivor, "hot");

        // 4. the crashed node boots again: blocked from the start, back as the ready passive
        rebootAndSeePassive(pairs, crashed, survivor, NodeRole.PASSIVE_HOT, "hot");
    }

    /**
     * No fencing here, so cutting the active's link makes a real split brain: the cut-off node keeps its output open
     * (but nothing it sends gets out), the other takes over. When the link comes back, both gates are open on one
     * network until Pacemaker stops the doubled resources and starts them on one node: the danger state the console
     * must report, and the recovery it must follow.
     */
    @Test
    @Order(2)
    void anIsolatedActiveIsReplacedAndAfterHealingOneActiveRemains() throws Exception {
        PacemakerLab.upIn("hot");
        List<ClusterView> pairs = registerBoth("lab", ClusterMode.HOT);
        String isolated = awaitInitialRoles(pairs, NodeRole.PASSIVE_HOT);
        String survivor = other(isolated);

        GateWatch gate = GateWatch.start(survivor);
        ConsoleWatch takenOver = watch(pairs, roles(Map.of(survivor, NodeRole.ACTIVE)));
        ConsoleWatch cutOff = watch(pairs, roles(Map.of(isolated, NodeRole.UNREACHABLE)));
        long isolatedAt = System.nanoTime();
        long isolateSecond = nowSecond();
        PacemakerLab.run("isolate", isolated);
        long opened = gate.awaitOpen(SETTLE);
        figure("isolate the active -> the other node's gate open", TimeUnit.NANOSECONDS.toMillis(opened - isolatedAt) + " ms");
        takenOver.await("the survivor ACTIVE").forEach((pair, at) -> figure(
                "isolation: survivor's gate open -> console (" + pair + ") shows it ACTIVE", TimeUnit.NANOSECONDS.toMillis(at - opened) + " ms"));
        // silence, not a refused connection: the console's own timeouts decide when it calls the node unreachable
        cutOff.await("the isolated node UNREACHABLE").forEach((pair, at) -> figure(
                "isolate -> console (" + pair + ") shows the isolated node UNREACHABLE", TimeUnit.NANOSECONDS.toMillis(at - isolatedAt) + " ms"));
        awaitEach(pairs, roles(Map.of(survivor, NodeRole.ACTIVE, isolated, NodeRole.UNREACHABLE)), "the roles while isolated");
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        figure("isolated node's own gate during the isolation (no fencing)",
                PacemakerLab.gateRules(isolated).contains("tandem-gate") ? "BLOCKED" : "OPEN (its output cannot leave the node)");
        long afterIsolate = assertOnlyAtSink(survivor, "while isolated, only the survivor's output reaches the SIEM");
        figure("SIEM sink across the isolation", PacemakerLab.sinkWindow(isolateSecond - 2, afterIsolate + 2).toString());

        ConsoleWatch splitSeen = watch(pairs, h -> !h.findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).isEmpty());
        ConsoleWatch oneActive = watch(pairs, h -> count(h, NodeRole.ACTIVE) == 1 && count(h, NodeRole.PASSIVE_HOT) == 1);
        long healedAt = System.nanoTime();
        long healSecond = nowSecond();
        PacemakerLab.run("heal", isolated);
        oneActive.await("one ACTIVE and one PASSIVE_HOT after healing").forEach((pair, at) -> figure(
                "heal -> console (" + pair + ") shows one ACTIVE and one PASSIVE_HOT", TimeUnit.NANOSECONDS.toMillis(at - healedAt) + " ms"));
        // stable: Pacemaker's recovery of the doubled resources is over once the console shows a settled pair again
        awaitEach(pairs, h -> count(h, NodeRole.ACTIVE) == 1 && count(h, NodeRole.PASSIVE_HOT) == 1
                && h.findings(Finding.Kind.SPLIT_BRAIN_OUTPUT).isEmpty(), "a settled pair after healing");
        Map<String, Long> split = splitSeen.stop();
        pairs.forEach(pair -> figure("after heal, console (" + pair.name() + ") reported both outputs open (SPLIT_BRAIN_OUTPUT)",
                split.containsKey(pair.name()) ? "yes, " + TimeUnit.NANOSECONDS.toMillis(split.get(pair.name()) - healedAt)
                        + " ms after heal" : "no (the double-open ended before a read saw it)"));
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        String activeNow = PacemakerLab.settledVipNode(SETTLE);
        long afterHeal = assertOnlyAtSink(activeNow, "after healing, only one node's output reaches the SIEM");
        SinkWindow heal = PacemakerLab.sinkWindow(healSecond - 2, afterHeal + 2);
        figure("SIEM sink across the heal (both gates open on one network until Pacemaker recovers)", heal.toString());
    }

    /**
     * Cold mode: one NFO instance in a group after a Filesystem resource standing in for the DRBD device, the passive
     * stopped with its gate blocked. The lab's drbdsetup stand-in reports DRBD from the real facts (the volume mounted
     * where Pacemaker put nfo-fs, the peer in the node's Pacemaker partition), so the console judges the passive's
     * readiness (PASSIVE_COLD) and a lost peer (DRBD degraded) through its production parsers and both transports.
     */
    @Test
    @Order(3)
    void aColdPairFollowsRealPacemakerWithItsDrbdState() throws Exception {
        figure("lab up, cold (cluster, group, agents, NFO, sink ready)", PacemakerLab.upIn("cold") + " ms");
        List<ClusterView> pairs = registerBoth("lab-cold", ClusterMode.COLD);

        String active = awaitInitialRoles(pairs, NodeRole.PASSIVE_COLD);
        String passive = other(active);
        awaitEach(pairs, h -> h.findings().stream().noneMatch(f -> f.kind().name().startsWith("DRBD")), "no DRBD finding");
        for (ClusterView pair : pairs) {
            assertThat(states.state(pair.id()).orElseThrow().observations().get(passive).snapshot().service().running())
                    .as(pair.name() + ": the Cold passive runs no NFO").isFalse();
            var replica = drbd(pair, passive);
            assertThat(replica.role()).isEqualTo(io.tandem.drbd.DrbdRole.SECONDARY);
            assertThat(replica.isUpToDateBothSides()).isTrue();
            assertThat(replica.simulatedBy()).as("the UI says this DRBD is the lab's stand-in")
                    .hasValueSatisfying(text -> assertThat(text).contains("Pacemaker lab"));
            assertThat(drbd(pair, active).role()).isEqualTo(io.tandem.drbd.DrbdRole.PRIMARY);
        }

        moveAndSeeRolesSwap(pairs, "nfo-group", active, NodeRole.PASSIVE_COLD, "cold");

        String crashed = passive;
        String survivor = active;
        crashAndSeeSurvivor(pairs, crashed, survivor, "cold");
        awaitEach(pairs, h -> !h.findings(Finding.Kind.DRBD_DEGRADED).isEmpty(), "DRBD degraded on the survivor");
        for (ClusterView pair : pairs) {
            assertThat(drbd(pair, survivor).connections()).allMatch(c -> c.state() != ConnectionState.CONNECTED);
        }

        rebootAndSeePassive(pairs, crashed, survivor, NodeRole.PASSIVE_COLD, "cold");
        awaitEach(pairs, h -> h.findings(Finding.Kind.DRBD_DEGRADED).isEmpty(), "DRBD connected again");
    }

    // ---------------------------------------------------------------------------------------------------------
    // the steps
    // ---------------------------------------------------------------------------------------------------------

    private void moveAndSeeRolesSwap(List<ClusterView> pairs, String resource, String from, NodeRole passiveRole,
                                     String mode) throws Exception {
        String to = other(from);
        ConsoleWatch swapped = watch(pairs, roles(Map.of(to, NodeRole.ACTIVE, from, passiveRole)));
        long moveStarted = System.nanoTime();
        long moveSecond = nowSecond();
        PacemakerLab.run("exec", from, "pcs", "resource", "move", resource, to, "--wait=60");
        figure(mode + ": pcs resource move " + resource + " --wait (returns after the move)", millisSince(moveStarted) + " ms");
        swapped.await("the swapped roles").forEach((pair, at) -> figure(mode + ": move began -> console (" + pair
                + ") shows the roles swapped", TimeUnit.NANOSECONDS.toMillis(at - moveStarted) + " ms"));
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        // pcs 0.11 removes its temporary cli-prefer constraint after the move; the console may read it before that
        awaitEach(pairs, h -> h.findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty(), "no leftover constraint");
        long afterMove = assertOnlyAtSink(to, "after the move only the new active's output");
        SinkWindow move = PacemakerLab.sinkWindow(moveSecond - 2, afterMove + 2);
        figure(mode + ": SIEM sink across the move", move.toString());
        assertThat(move.longestDoubleOpenSeconds()).as("no double-open across the move: " + move).isLessThanOrEqualTo(1);
    }

    private void crashAndSeeSurvivor(List<ClusterView> pairs, String crashed, String survivor, String mode) throws Exception {
        GateWatch gate = GateWatch.start(survivor);
        ConsoleWatch survivorActive = watch(pairs, roles(Map.of(survivor, NodeRole.ACTIVE)));
        ConsoleWatch crashedUnreachable = watch(pairs, roles(Map.of(crashed, NodeRole.UNREACHABLE)));
        long crashSecond = nowSecond();
        long crashedAt = System.nanoTime();
        PacemakerLab.run("kill-node", crashed);
        Map<String, Long> survivorShown = survivorActive.await(survivor + " ACTIVE");
        long opened = gate.awaitOpen(SETTLE);
        figure(mode + ": crash -> survivor's gate open (Pacemaker started the output there)",
                TimeUnit.NANOSECONDS.toMillis(opened - crashedAt) + " ms");
        survivorShown.forEach((pair, at) -> figure(mode + ": survivor's gate open -> console (" + pair + ") shows it ACTIVE",
                TimeUnit.NANOSECONDS.toMillis(at - opened) + " ms"));
        crashedUnreachable.await(crashed + " UNREACHABLE").forEach((pair, at) -> figure(mode + ": crash -> console (" + pair
                + ") shows the crashed node UNREACHABLE", TimeUnit.NANOSECONDS.toMillis(at - crashedAt) + " ms"));
        awaitEach(pairs, roles(Map.of(survivor, NodeRole.ACTIVE, crashed, NodeRole.UNREACHABLE)), "the roles after the crash");
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        long afterCrash = assertOnlyAtSink(survivor, "after the crash only the survivor's output");
        SinkWindow crash = PacemakerLab.sinkWindow(crashSecond - 2, afterCrash + 2);
        figure(mode + ": SIEM sink across the crash", crash.toString());
        assertThat(crash.longestDoubleOpenSeconds()).as("no double-open across the crash: " + crash).isLessThanOrEqualTo(1);
    }

    private void rebootAndSeePassive(List<ClusterView> pairs, String crashed, String survivor, NodeRole passiveRole,
                                     String mode) throws Exception {
        ConsoleWatch rejoined = watch(pairs, roles(Map.of(survivor, NodeRole.ACTIVE, crashed, passiveRole)));
        long booted = System.nanoTime();
        PacemakerLab.run("start-node", crashed);
        rejoined.await(crashed + " " + passiveRole).forEach((pair, at) -> figure(mode + ": start-node -> console ("
                + pair + ") shows it " + passiveRole, TimeUnit.NANOSECONDS.toMillis(at - booted) + " ms"));
        for (ClusterView pair : pairs) {
            assertGatesMatchRoles(pair);
        }
        assertOnlyAtSink(survivor, "the rebooted passive sends nothing to the SIEM");
    }

    /**
     * Waits until every pair shows the node holding the VIP ACTIVE and the other {@code passiveRole}, without either
     * output danger, gates matching the roles and only the active's records at the SIEM; returns the active node.
     */
    private String awaitInitialRoles(List<ClusterView> pairs, NodeRole passiveRole) throws Exception {
        String active = PacemakerLab.vipNode();
        awaitEach(pairs, roles(Map.of(active, NodeRole.ACTIVE, other(active), passiveRole)), "the initial roles");
        for (ClusterView pair : pairs) {
            PairHealth health = health(pair);
            assertThat(health.findings(Finding.Kind.SPLIT_BRAIN_OUTPUT)).isEmpty();
            assertThat(health.findings(Finding.Kind.NO_OUTPUT)).isEmpty();
            assertGatesMatchRoles(pair);
        }
        assertOnlyAtSink(active, "only the active node's output reaches the SIEM");
        return active;
    }

    /** Waits for three full seconds at the sink and checks only {@code node} sent in them; returns their first second. */
    private static long assertOnlyAtSink(String node, String what) throws Exception {
        long from = nowSecond() + 1;
        PacemakerLab.awaitSinkSeconds(from, 3, SETTLE);
        assertThat(PacemakerLab.nodesAtSink(from)).as(what).containsExactly(node);
        return from;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the console
    // ---------------------------------------------------------------------------------------------------------

    /** The lab pair registered twice, {@code <name>-agent} read through the agents and {@code <name>-ssh} over SSH. */
    private List<ClusterView> registerBoth(String name, ClusterMode mode) throws Exception {
        return List.of(register(name + "-agent", mode, AccessKind.AGENT), register(name + "-ssh", mode, AccessKind.SSH));
    }

    /** Registers the lab pair as an operator would (credential from the lab, key pinned after comparing it). */
    private ClusterView register(String name, ClusterMode mode, AccessKind access) throws Exception {
        ClusterView cluster = PacemakerLab.register(fleet, connections, name, mode, access);
        registered.add(cluster);
        return fleet.get(cluster.id());
    }

    private static Predicate<PairHealth> roles(Map<String, NodeRole> expected) {
        return h -> expected.entrySet().stream().allMatch(e -> h.node(e.getKey()).role() == e.getValue());
    }

    private static long count(PairHealth health, NodeRole role) {
        return health.nodes().stream().filter(n -> n.role() == role).count();
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
                throw new AssertionError("the console did not show " + what + " within " + SETTLE + ": " + last
                        + "\nthe console's busy monitor threads now:\n" + readerThreads());
            }
            return new java.util.TreeMap<>(matched);
        }

        /** Where the monitor's busy threads are, for a failure that may be a read stuck on a node or a lock. */
        private static String readerThreads() {
            StringBuilder out = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                boolean ours = java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.tandem.")
                        && !f.getClassName().startsWith("io.tandem.lab.PacemakerLab"));
                if (thread.getName().startsWith("node-") && ours || thread.getName().equals("node-poller")
                        || thread.getState() == Thread.State.BLOCKED) {
                    out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                    for (int i = 0; i < Math.min(stack.length, 25); i++) {
                        out.append("    at ").append(stack[i]).append('\n');
                    }
                }
            });
            return out.toString();
        }

        /** Stops watching; what matched so far (for a state that may or may not be caught). */
        Map<String, Long> stop() throws InterruptedException {
            thread.interrupt();
            thread.join(1000);
            return new java.util.TreeMap<>(matched);
        }
    }

    /** The lab DRBD resource as the console last read it from the node's own drbdsetup. */
    private io.tandem.drbd.DrbdResource drbd(ClusterView pair, String node) throws Exception {
        return io.tandem.drbd.DrbdParser.statusJson(states.state(pair.id()).orElseThrow().observations().get(node)
                .snapshot().drbd().text()).resource(PacemakerLab.DRBD_RESOURCE).orElseThrow();
    }

    private PairHealth health(ClusterView pair) {
        return states.state(pair.id()).orElseThrow().health();
    }

    /**
     * The gate the console read on each reachable node matches the role it derived, and so does the node's real
     * nftables ruleset read independently of Tandem: an ACTIVE node has no drop rule, a passive (Hot or Cold) drops
     * the SIEM destination.
     */
    private void assertGatesMatchRoles(ClusterView pair) throws Exception {
        long deadline = System.nanoTime() + GATE_AGREEMENT.toNanos();
        while (true) {
            try {
                gatesMatchRoles(pair);
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(250);
            }
        }
    }

    /**
     * How long the console's latest reading and the node's ruleset may take to agree. They are read at different
     * moments: right after a move or a boot Pacemaker may still be starting or stopping the gate (its nft transaction
     * lands between the console's read and ours), and the console's reading may be from just before it. Both are read
     * again until they agree; the assertions themselves are unchanged.
     */
    private static final Duration GATE_AGREEMENT = Duration.ofSeconds(15);

    private void gatesMatchRoles(ClusterView pair) throws Exception {
        var state = states.state(pair.id()).orElseThrow();
        for (var node : state.health().nodes()) {
            if (node.role() != NodeRole.ACTIVE && node.role() != NodeRole.PASSIVE_HOT && node.role() != NodeRole.PASSIVE_COLD) {
                continue;
            }
            NodeObservation observation = state.observations().get(node.node());
            GateState gate = observation.snapshot().gate();
            String rules = PacemakerLab.gateRules(node.node());
            if (node.role() == NodeRole.ACTIVE) {
                assertThat(gate.status()).as(pair.name() + "/" + node.node()).isEqualTo(GateStatus.OPEN);
                assertThat(gate.rules()).noneMatch(GateRule::gateDrop);
                assertThat(rules).as(node.node() + " nft").doesNotContain("tandem-gate");
            } else {
                assertThat(gate.status()).as(pair.name() + "/" + node.node()).isEqualTo(GateStatus.BLOCKED);
                assertThat(gate.rules()).filteredOn(GateRule::gateDrop)
                        .anyMatch(r -> r.destination().address().equals(PacemakerLab.SINK) && r.destination().port() == 514);
                assertThat(rules).as(node.node() + " nft").contains("ip daddr " + PacemakerLab.SINK + " udp dport 514",
                        "drop", "tandem-gate");
            }
        }
    }

    private static void figure(String what, String value) {
        FIGURES.put(what, value);   // printed together by down(), also when a test fails half way
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
