package io.tandem.lab;

import static io.tandem.lab.PacemakerLab.other;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.tandem.ConsoleApplication;
import io.tandem.access.NodeConnections;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeSpec;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairStates;
import io.tandem.operation.OperationKind;
import io.tandem.operation.OperationRunner;
import io.tandem.operation.OperationView;

/**
 * The make-before-break switchover in the real Pacemaker lab, counted at the SIEM: the lab NFO writes each record's
 * identity (exporter, domain, packet sequence, record index) into its syslog line and the sink counts records lost
 * and duplicated per exporter. A switchover and a restart of the active with the way back must lose no record
 * (asserted by counting); the duplicates and Pacemaker's hand-over time are printed, and so is what a plain
 * {@code pcs resource move} (the failover operation) loses on the same pair, for comparison.
 */
@Tag("lab")
@SpringBootTest(classes = ConsoleApplication.class, properties = "tandem.monitor.enabled=true")
class SwitchoverLabIT {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;
    @Autowired
    PairStates states;
    @Autowired
    OperationRunner operations;

    private final List<ClusterView> registered = new ArrayList<>();

    @BeforeAll
    static void runnable() {
        PacemakerLab.assumeRunnable();
    }

    @AfterEach
    void unregister() {
        registered.forEach(pair -> fleet.delete(pair.id()));
    }

    @AfterAll
    static void down() throws Exception {
        FIGURES.forEach((what, value) -> System.out.println("lab figure: " + what + ": " + value));
        if (java.nio.file.Files.isExecutable(PacemakerLab.SCRIPT) && "root".equals(System.getProperty("user.name"))) {
            PacemakerLab.down();
        }
    }

    @Test
    void aSwitchoverAndARestartOfTheActiveLoseNoRecordAtTheSiem() throws Exception {
        PacemakerLab.upIn("hot");
        ClusterView pair = register("lab-switch", ClusterMode.HOT);
        String active = PacemakerLab.vipNode();
        String passive = other(active);
        awaitReady(pair, active);

        // 1. switchover to the passive
        OperationView switched = runCounted(pair, OperationKind.SWITCHOVER, passive, "switchover " + active + " -> " + passive);
        assertThat(PacemakerLab.vipNode()).isEqualTo(passive);
        assertThat(PacemakerLab.gateRules(active)).contains("tandem-gate");
        assertThat(PacemakerLab.gateRules(passive)).doesNotContain("tandem-gate");
        assertThat(PacemakerLab.run("exec", "nfo-a", "pcs", "constraint", "location", "config")).doesNotContain("cli-prefer");
        figure("switchover: the operation's own summary", switched.summary());
        assertThat(switched.steps()).as("gate agent 1.2 on the source: Tandem holds it blocked")
                .anyMatch(step -> step.detail() != null && step.detail().startsWith(active + "'s gate is blocked by Tandem's hold"));

        // 2. restart the (new) active without a gap, and back
        awaitReady(pair, passive);
        OperationView restarted = runCounted(pair, OperationKind.RESTART_ACTIVE_AND_BACK, passive,
                "restart of the active " + passive + " with the way back");
        assertThat(PacemakerLab.vipNode()).isEqualTo(passive);
        figure("restart of the active: the operation's own summary", restarted.summary());
        // three holds, each for as long as Pacemaker took to block the source, with the gate's monitor every 5 s: a
        // monitor that read a hold as a stopped gate would have left a failed action
        assertThat(PacemakerLab.run("exec", "nfo-a", "crm_mon", "-1", "--output-as=xml")).doesNotContain("<failure ");

        // 3. for comparison: the plain move (break-before-make) on the same pair, not asserted
        awaitReady(pair, passive);
        Map<String, long[]> before = settledLedger();
        OperationView failover = run(pair, OperationKind.FAILOVER, active);
        assertThat(failover.status()).as(failover.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        Map<String, long[]> after = settledLedger();
        figure("plain move (failover operation) " + passive + " -> " + active + " at the SIEM", describe(before, after)
                + "; " + failover.summary());
    }

    /** Runs the operation and asserts the SIEM lost no record across it; prints the duplicates. */
    private OperationView runCounted(ClusterView pair, OperationKind kind, String node, String what) throws Exception {
        Map<String, long[]> before = settledLedger();
        long started = System.nanoTime();
        OperationView done = run(pair, kind, node);
        figure(what + ": operation took", (System.nanoTime() - started) / 1_000_000 + " ms");
        assertThat(done.status()).as(done.summary() + "\n" + done.steps()).isEqualTo(OperationView.Status.SUCCEEDED);
        Map<String, long[]> after = settledLedger();
        figure(what + " at the SIEM", describe(before, after));
        assertThat(after).isNotEmpty();
        after.forEach((exporter, counts) -> {
            long[] was = before.getOrDefault(exporter, new long[3]);
            assertThat(counts[0] - was[0]).as(exporter + " records received during " + what).isPositive();
            assertThat(counts[1] - was[1]).as(exporter + " records lost during " + what).isZero();
        });
        return done;
    }

    private OperationView run(ClusterView pair, OperationKind kind, String node) throws Exception {
        UUID id = operations.start(pair.id(), kind, node, pair.name(), "lab-test");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            OperationView view = operations.find(id).orElseThrow();
            if (!view.running()) {
                return view;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(kind + " did not end: " + operations.find(id));
    }

    /** The sink's ledger once records sent after now have arrived (it is rewritten every second). */
    private static Map<String, long[]> settledLedger() throws Exception {
        PacemakerLab.awaitSinkSeconds(PacemakerLab.nowSecond() + 1, 2, SETTLE);
        return PacemakerLab.sinkLedger();
    }

    private static String describe(Map<String, long[]> before, Map<String, long[]> after) {
        List<String> parts = new ArrayList<>();
        after.forEach((exporter, counts) -> {
            long[] was = before.getOrDefault(exporter, new long[3]);
            parts.add(exporter + ": " + (counts[0] - was[0]) + " received, " + (counts[1] - was[1]) + " lost, "
                    + (counts[2] - was[2]) + " duplicated");
        });
        return String.join("; ", parts);
    }

    /** Until the console shows the roles, the target ready (100 % templates), no drift and no leftover constraint. */
    private void awaitReady(ClusterView pair, String active) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String last = "not read";
        while (System.nanoTime() < deadline) {
            var state = states.state(pair.id());
            if (state.isPresent()) {
                var s = state.get();
                last = s.health().summary() + " parity " + (s.parity() == null ? "none" : s.parity().readiness());
                if (s.health().node(active).role() == NodeRole.ACTIVE
                        && s.health().node(other(active)).role() == NodeRole.PASSIVE_HOT
                        && s.parity() != null && s.parity().readiness() >= 1.0
                        && s.health().findings(Finding.Kind.CONFIG_DRIFT).isEmpty()
                        && s.health().findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty()
                        && operations.preflight(pair.id(), OperationKind.SWITCHOVER, other(active)).allowed()) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the pair never became ready for a switchover: " + last + " / "
                + operations.preflight(pair.id(), OperationKind.SWITCHOVER, other(active)).blocking());
    }

    private ClusterView register(String name, ClusterMode mode) throws Exception {
        fleet.list().stream().filter(c -> c.name().equals(name)).forEach(old -> fleet.delete(old.id()));
        List<NodeSpec> nodes = new ArrayList<>();
        for (String node : List.of("nfo-a", "nfo-b")) {
            nodes.add(new NodeSpec(node, PacemakerLab.ADDRESS.get(node), AccessKind.AGENT, null, null, 7443,
                    "/var/lib/nfo-lab/" + node, "nfo.service", List.of("server/etc/**"), null, List.of(9555),
                    PacemakerLab.agentIdentity(node).get("token")));
        }
        ClusterView cluster = fleet.create(new ClusterSpec(name, mode, "Pacemaker lab, switchover", "nfo", "nfo-vip",
                "nfo-gate", null, nodes));
        for (ClusterView.NodeView node : cluster.nodes()) {
            connections.pin(cluster.id(), node.id(), PacemakerLab.agentIdentity(node.name()).get("fingerprint"));
        }
        registered.add(cluster);
        return fleet.get(cluster.id());
    }

    private static void figure(String what, String value) {
        FIGURES.put(what, value);
    }
}
