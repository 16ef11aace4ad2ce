package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.tandem.ConsoleApplication;
import io.tandem.access.NodeConnections;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairHealth;
import io.tandem.monitor.PairStates;
import io.tandem.monitor.Severity;
import io.tandem.operation.OperationKind;
import io.tandem.operation.OperationRunner;
import io.tandem.operation.OperationView;
import io.tandem.setup.Checklist;
import io.tandem.setup.Discovery;
import io.tandem.setup.SetupForm;
import io.tandem.setup.SetupPlan;
import io.tandem.setup.SetupService;

/**
 * Guided setup against the real Pacemaker lab, from two standalone servers ({@code up --bare}: pcsd, the hacluster
 * password, agents and NFO, no cluster) to a verified Hot pair and back: discovery, plan, dry run (nothing changed on
 * the nodes), apply (the SETUP operation, step by step through the agents, then over SSH), the console's own monitor
 * seeing ACTIVE and PASSIVE_HOT with no critical finding, dismantle (NFO standalone on the chosen node), and bare again.
 * Timings are printed, never asserted. Needs root and the lab packages; skips otherwise (as PacemakerLabIT).
 */
@Tag("lab")
@SpringBootTest(classes = ConsoleApplication.class, properties = "tandem.monitor.enabled=true")
class SetupLabIT {

    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(6);
    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;
    @Autowired
    PairStates states;
    @Autowired
    Discovery discovery;
    @Autowired
    SetupService setup;
    @Autowired
    OperationRunner runner;

    @BeforeAll
    static void runnable() {
        PacemakerLab.assumeRunnable();
    }

    @AfterAll
    static void down() throws Exception {
        FIGURES.forEach((what, value) -> System.out.println("lab figure: " + what + ": " + value));
        if (java.nio.file.Files.isExecutable(PacemakerLab.SCRIPT) && "root".equals(System.getProperty("user.name"))) {
            PacemakerLab.down();
        }
    }

    @Test
    void aBareHotPairIsSetUpVerifiedAndDismantledThroughTheAgentsAndOverSsh() throws Exception {
        FIGURES.put("lab up --bare, hot", PacemakerLab.upBare("hot") + " ms");
        String password = PacemakerLab.haclusterPassword();
        for (AccessKind access : List.of(AccessKind.AGENT, AccessKind.SSH)) {
            ClusterView pair = PacemakerLab.register(fleet, connections, "setup-" + access.name().toLowerCase(), ClusterMode.HOT, access);
            try {
                setUpAndDismantle(pair, password, access.name().toLowerCase());
            } finally {
                fleet.delete(pair.id());
            }
        }
    }

    private void setUpAndDismantle(ClusterView pair, String password, String via) throws Exception {
        SetupForm form = new SetupForm("HOT", "tandem-setup", "nfo-a", List.of("udp:10.77.0.2:514", "tcp:10.77.0.2:6514"),
                "10.77.0.100/24@eth0", password, new SetupForm.Fencing(true, null, null), null, "lsb");
        awaitRead(pair);
        assertBare("before setup via " + via);

        long t = System.nanoTime();
        Checklist checklist = discovery.discover(pair.id(), form);
        FIGURES.put("discovery via " + via, millisSince(t) + " ms");
        for (Checklist.NodeChecklist node : checklist.nodes()) {
            assertThat(node.checks()).as(node.node() + ": no cluster yet")
                    .anyMatch(c -> c.id().equals("existing-cluster") && c.status() == Checklist.Status.PASS);
        }

        SetupPlan plan = setup.plan(pair.id(), form);
        assertThat(plan.steps()).isNotEmpty();
        assertThat(plan.toString()).doesNotContain(password);

        t = System.nanoTime();
        SetupService.DryRun dryRun = setup.dryRun(pair.id(), form);
        FIGURES.put("dry run via " + via, millisSince(t) + " ms");
        assertThat(dryRun.result().refusal()).as("the dry run's pcs -f commands").isNull();
        assertBare("after the dry run via " + via);

        t = System.nanoTime();
        OperationView applied = await(runner.startSetup(pair.id(), OperationKind.SETUP, "nfo-a", pair.name(), "setup-lab-it", form, null));
        FIGURES.put("apply via " + via, millisSince(t) + " ms");
        assertThat(applied.status()).as(describe(applied)).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(applied.toString()).doesNotContain(password);
        applied.steps().forEach(s -> FIGURES.put("  " + via + " step " + s.name(), s.seconds(java.time.Instant.now()) + " s"));

        PairHealth health = states.state(pair.id()).orElseThrow().health();
        assertThat(health.node("nfo-a").role()).isEqualTo(NodeRole.ACTIVE);
        assertThat(health.node("nfo-b").role()).isEqualTo(NodeRole.PASSIVE_HOT);
        assertThat(health.worst()).as(health.summary()).isNotEqualTo(java.util.Optional.of(Severity.CRITICAL));

        t = System.nanoTime();
        OperationView dismantled = await(runner.startSetup(pair.id(), OperationKind.DISMANTLE, "nfo-a", pair.name(), "setup-lab-it",
                null, null));
        FIGURES.put("dismantle via " + via, millisSince(t) + " ms");
        assertThat(dismantled.status()).as(describe(dismantled)).isEqualTo(OperationView.Status.SUCCEEDED);
        assertBare("after dismantle via " + via);
        assertThat(PacemakerLab.run("exec", "nfo-a", "systemctl", "is-active", "nfo")).as("NFO standalone on nfo-a").contains("active");
    }

    /** No cluster on either node and no gate agent: what {@code up --bare} leaves, and dismantle again. */
    private static void assertBare(String when) throws Exception {
        for (String node : List.of("nfo-a", "nfo-b")) {
            assertThat(PacemakerLab.command(List.of("bash", PacemakerLab.SCRIPT.toString(), "exec", node, "sh", "-c",
                    "test -e /etc/corosync/corosync.conf && echo cluster; test -e /usr/lib/ocf/resource.d/tandem/gate && echo gate; "
                            + "echo checked"))).as(node + " " + when).doesNotContain("cluster").doesNotContain("gate").contains("checked");
        }
    }

    private void awaitRead(ClusterView pair) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            var state = states.state(pair.id());
            if (state.isPresent() && state.get().observations().values().stream().allMatch(o -> !o.neverRead() && o.reachable())
                    && state.get().observations().size() == 2) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the console did not read both nodes of " + pair.name() + " within 90 s");
    }

    private OperationView await(UUID operation) throws InterruptedException {
        long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        OperationView view = runner.find(operation).orElseThrow();
        while (view.running() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            view = runner.find(operation).orElseThrow();
        }
        return view;
    }

    private static String describe(OperationView operation) {
        StringBuilder text = new StringBuilder(operation.kind() + " " + operation.status() + ": " + operation.summary());
        operation.steps().forEach(s -> text.append("\n  ").append(s.position()).append(' ').append(s.name()).append(": ")
                .append(s.status()).append(' ').append(s.detail()));
        return text.toString();
    }

    private static long millisSince(long nanos) {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
