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
 * seeing ACTIVE and PASSIVE_HOT with no critical finding, a drill there and back and a crash of the active with the
 * passive taking over (through the agents), dismantle (through the agents) or undo (over SSH, after applying in the
 * wizard) (NFO standalone on the chosen node), and bare again.
 * Timings are printed, never asserted. Needs root and the lab packages; skips otherwise (as PacemakerLabIT).
 */
@Tag("lab")
@SpringBootTest(classes = ConsoleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tandem.monitor.enabled=true", "tandem.admin-password=" + SetupLabIT.ADMIN_PASSWORD})
class SetupLabIT {

    static final String ADMIN_PASSWORD = "setup-lab-admin";
    private static final java.nio.file.Path CHROMIUM = java.nio.file.Path.of("/usr/bin/chromium");
    private static final java.nio.file.Path DRIVER = java.nio.file.Path.of("/usr/bin/chromedriver");

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

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

    /**
     * Cold on storage replicated already (the lab's volume, bind-mounted where NFO runs standalone): discovery sees the
     * mount on nfo-a only, a missing device is refused before anything runs, the dry run changes nothing, apply hands
     * the mount to Pacemaker (nfo-a ACTIVE, nfo-b PASSIVE_COLD), a crash of nfo-a moves the data and NFO to nfo-b, and
     * dismantle keeps nfo-b standalone with its data mounted (maintenance mode: the output does not pause); then from a
     * bare lab again over SSH, applied in the wizard and dismantled keeping nfo-a. A peer whose pcsd does not answer and a
     * wrong hacluster password are refused (through the agents) with nothing changed.
     */
    @Test
    void aBareColdPairOnReplicatedStorageIsSetUpFailsOverAndIsDismantled() throws Exception {
        for (AccessKind access : List.of(AccessKind.AGENT, AccessKind.SSH)) {
            String via = access.name().toLowerCase();
            if (access == AccessKind.SSH) {
                PacemakerLab.down(); // the agent round's dismantle left nfo-b the standalone server: start from bare again
            }
            FIGURES.put("lab up --bare, cold (for " + via + ")", PacemakerLab.upBare("cold") + " ms");
            String password = PacemakerLab.haclusterPassword();
            ClusterView pair = PacemakerLab.register(fleet, connections, "setup-cold-" + via, ClusterMode.COLD, access);
            try {
                coldSetUpAndDismantle(pair, password, via);
            } finally {
                fleet.delete(pair.id());
            }
        }
    }

    private static final String VOLUME = "/var/lib/nfo-lab/shared";

    private static SetupForm coldForm(String password, String device) {
        return new SetupForm("COLD", "tandem-cold", "nfo-a", List.of("udp:10.77.0.2:514", "tcp:10.77.0.2:6514"),
                "10.77.0.100/24@eth0", password, new SetupForm.Fencing(true, null, null), null, "lsb",
                new SetupForm.ReplicatedMount(device, VOLUME, "none", "bind"));
    }

    /**
     * Through the agents: the refusals, apply through the API, a crash of nfo-a and dismantle keeping nfo-b. Over SSH:
     * apply in the wizard, dismantle keeping nfo-a (proving the pair built, not the transport, once is enough).
     */
    private void coldSetUpAndDismantle(ClusterView pair, String password, String via) throws Exception {
        boolean agent = via.equals("agent");
        SetupForm form = coldForm(password, PacemakerLab.STATE.resolve("shared").toString());
        awaitRead(pair);
        assertBare("before cold setup");
        assertThat(mounted("nfo-a")).as("the standalone server's data on the replicated volume").isTrue();
        assertThat(mounted("nfo-b")).as("nothing mounted on the server that starts passive").isFalse();

        long t = System.nanoTime();
        Checklist checklist = discovery.discover(pair.id(), form);
        FIGURES.put("cold discovery via " + via, millisSince(t) + " ms");
        Map<String, Checklist.NodeChecklist> byNode = new LinkedHashMap<>();
        checklist.nodes().forEach(n -> byNode.put(n.node(), n));
        assertThat(byNode.get("nfo-a").checks()).as("nfo-a: %s", byNode.get("nfo-a").checks())
                .anyMatch(c -> c.id().equals("mount-source") && c.status() == Checklist.Status.PASS)
                .anyMatch(c -> c.id().equals("mount-active") && c.status() == Checklist.Status.PASS);
        assertThat(byNode.get("nfo-b").checks()).as("nfo-b: %s", byNode.get("nfo-b").checks())
                .anyMatch(c -> c.id().equals("mount-source") && c.status() == Checklist.Status.PASS)
                .anyMatch(c -> c.id().equals("mount-passive") && c.status() == Checklist.Status.PASS);

        if (agent) {
            refusedBeforeAnythingRuns(pair, password, form);
        }

        t = System.nanoTime();
        SetupService.DryRun dryRun = setup.dryRun(pair.id(), form);
        FIGURES.put("cold dry run via " + via, millisSince(t) + " ms");
        assertThat(dryRun.result().refusal()).as("the dry run's pcs -f commands").isNull();
        assertThat(dryRun.result().transitions()).as("crm_simulate's placement").anyMatch(l -> l.contains("nfo-fs"));
        assertBare("after the cold dry run");

        t = System.nanoTime();
        boolean wizard = !agent && java.nio.file.Files.isExecutable(CHROMIUM) && java.nio.file.Files.isExecutable(DRIVER);
        OperationView applied = wizard ? applyInTheWizard(pair, password, form.replicatedMount())
                : await(runner.startSetup(pair.id(), OperationKind.SETUP, "nfo-a", pair.name(), "setup-lab-it", form, null));
        FIGURES.put("cold apply via " + via + (wizard ? " (the wizard in Chromium)" : ""), millisSince(t) + " ms");
        assertThat(applied.status()).as(describe(applied)).isEqualTo(OperationView.Status.SUCCEEDED);
        applied.steps().forEach(s -> FIGURES.put("  cold " + via + " step " + s.name(), s.seconds(java.time.Instant.now()) + " s"));
        awaitRoles(pair, Map.of("nfo-a", NodeRole.ACTIVE, "nfo-b", NodeRole.PASSIVE_COLD), "the Cold pair setup built");
        assertThat(PacemakerLab.run("exec", "nfo-a", "crm_resource", "--locate", "--resource", "nfo-fs"))
                .as("Pacemaker holds the mount").contains("nfo-a");
        PairHealth health = states.state(pair.id()).orElseThrow().health();
        assertThat(health.worst()).as(health.summary()).isNotEqualTo(java.util.Optional.of(Severity.CRITICAL));

        String keep = "nfo-a";
        if (agent) {
            t = System.nanoTime();
            PacemakerLab.run("kill-node", "nfo-a");
            awaitRoles(pair, Map.of("nfo-b", NodeRole.ACTIVE, "nfo-a", NodeRole.UNREACHABLE), "nfo-b taking over from the crashed nfo-a");
            FIGURES.put("cold: crash of nfo-a -> console shows nfo-b ACTIVE", millisSince(t) + " ms");
            assertThat(mounted("nfo-b")).as("the data followed NFO to nfo-b").isTrue();
            PacemakerLab.run("start-node", "nfo-a");
            awaitRoles(pair, Map.of("nfo-b", NodeRole.ACTIVE, "nfo-a", NodeRole.PASSIVE_COLD), "nfo-a back as the Cold passive");
            assertThat(mounted("nfo-a")).as("the rebooted passive does not mount the data").isFalse();
            keep = "nfo-b";
        }
        String other = keep.equals("nfo-a") ? "nfo-b" : "nfo-a";

        // dismantle keeps the node that runs NFO: the other is refused before anything runs
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.startSetup(pair.id(), OperationKind.DISMANTLE, other,
                pair.name(), "setup-lab-it", null, null)).isInstanceOfSatisfying(io.tandem.console.Rejected.class,
                r -> assertThat(r.type()).isEqualTo("keep-not-active"));
        t = System.nanoTime();
        long before = PacemakerLab.nowSecond();
        OperationView dismantled = await(runner.startSetup(pair.id(), OperationKind.DISMANTLE, keep, pair.name(), "setup-lab-it",
                null, null));
        FIGURES.put("cold dismantle via " + via, millisSince(t) + " ms");
        assertThat(dismantled.status()).as(describe(dismantled)).isEqualTo(OperationView.Status.SUCCEEDED);
        assertBare("after the cold dismantle");
        assertThat(mounted(keep)).as(keep + " keeps its data mounted").isTrue();
        assertThat(PacemakerLab.run("exec", keep, "systemctl", "is-active", "nfo")).as("NFO standalone on " + keep).contains("active");
        long after = PacemakerLab.nowSecond() + 1;
        PacemakerLab.awaitSinkSeconds(after, 2, Duration.ofSeconds(30));
        FIGURES.put("cold: SIEM sink across the dismantle via " + via, PacemakerLab.sinkWindow(before, after + 1).toString());
    }

    /** A missing device, a peer whose pcsd does not answer, a wrong hacluster password: nothing changes on the nodes. */
    private void refusedBeforeAnythingRuns(ClusterView pair, String password, SetupForm form) throws Exception {
        // a device that is not there is refused before anything runs, naming it
        SetupForm missing = coldForm(password, PacemakerLab.STATE.resolve("no-such-volume").toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> setup.dryRun(pair.id(), missing))
                .isInstanceOfSatisfying(io.tandem.console.Rejected.class, r -> {
                    assertThat(r.type()).isEqualTo("storage-not-ready");
                    assertThat(r.getMessage()).contains("no-such-volume").contains("does not exist");
                });

        // a peer whose pcsd does not answer is refused before anything runs, naming it and the fix
        PacemakerLab.run("exec", "nfo-b", "systemctl", "stop", "pcsd");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> setup.dryRun(pair.id(), form))
                    .isInstanceOfSatisfying(io.tandem.console.Rejected.class, r -> {
                        assertThat(r.type()).isEqualTo("peer-unreachable");
                        assertThat(r.getMessage()).contains("pcsd on nfo-b").contains("systemctl enable --now pcsd");
                    });
        } finally {
            PacemakerLab.run("exec", "nfo-b", "systemctl", "start", "pcsd");
        }
        awaitPcsd("nfo-b");
        // a wrong hacluster password stops apply at its first step, with pcs's words, before anything changed
        OperationView wrong = await(runner.startSetup(pair.id(), OperationKind.SETUP, "nfo-a", pair.name(), "setup-lab-it",
                coldForm("not-the-" + password, form.replicatedMount().device()), null));
        assertThat(wrong.status()).as(describe(wrong)).isEqualTo(OperationView.Status.FAILED);
        assertThat(wrong.steps().get(0).status()).as(describe(wrong)).isEqualTo(io.tandem.operation.OperationView.StepStatus.FAILED);
        assertThat(wrong.steps().subList(1, wrong.steps().size())).as(describe(wrong))
                .allMatch(s -> s.status() == io.tandem.operation.OperationView.StepStatus.SKIPPED);
        assertThat(wrong.toString()).doesNotContain(password);
        assertBare("after a wrong hacluster password");
    }

    /** pcsd answers again on the node (the lab's systemctl stand-in starts it in the background). */
    private void awaitPcsd(String node) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (PacemakerLab.command(List.of("bash", PacemakerLab.SCRIPT.toString(), "exec", node, "sh", "-c",
                    "ss -Hltn 'sport = :2224' | grep -q . && echo listening; echo checked")).contains("listening")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("pcsd on " + node + " did not listen again within 60 s");
    }

    private static boolean mounted(String node) throws Exception {
        return PacemakerLab.command(List.of("bash", PacemakerLab.SCRIPT.toString(), "exec", node, "sh", "-c",
                "mountpoint -q " + VOLUME + " && echo mounted; echo checked")).contains("mounted");
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
            assertThat(node.checks()).as(node.node() + ": the VIP is free")
                    .anyMatch(c -> c.id().equals("vip-free") && c.status() == Checklist.Status.PASS);
        }

        // a VIP that something on the network answers at (here the exporters' and SIEM's host) is refused before anything runs
        SetupForm taken = new SetupForm("HOT", "tandem-setup", "nfo-a", form.outputs(), "10.77.0.2/24@eth0", password,
                form.fencing(), null, "lsb");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> setup.dryRun(pair.id(), taken))
                .isInstanceOfSatisfying(io.tandem.console.Rejected.class, r -> {
                    assertThat(r.type()).isEqualTo("vip-in-use");
                    assertThat(r.getMessage()).contains("10.77.0.2").contains("answers ping");
                });
        assertBare("after the refused VIP via " + via);

        SetupPlan plan = setup.plan(pair.id(), form);
        assertThat(plan.steps()).isNotEmpty();
        assertThat(plan.toString()).doesNotContain(password);

        t = System.nanoTime();
        SetupService.DryRun dryRun = setup.dryRun(pair.id(), form);
        FIGURES.put("dry run via " + via, millisSince(t) + " ms");
        assertThat(dryRun.result().refusal()).as("the dry run's pcs -f commands").isNull();
        assertBare("after the dry run via " + via);

        t = System.nanoTime();
        boolean wizard = via.equals("ssh") && java.nio.file.Files.isExecutable(CHROMIUM) && java.nio.file.Files.isExecutable(DRIVER);
        OperationView applied = wizard ? applyInTheWizard(pair, password, null)
                : await(runner.startSetup(pair.id(), OperationKind.SETUP, "nfo-a", pair.name(), "setup-lab-it", form, null));
        FIGURES.put("apply via " + via + (wizard ? " (the wizard in Chromium: dry run, confirm, apply, followed to the end)" : ""),
                millisSince(t) + " ms");
        assertThat(applied.status()).as(describe(applied)).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(applied.toString()).doesNotContain(password);
        applied.steps().forEach(s -> FIGURES.put("  " + via + " step " + s.name(), s.seconds(java.time.Instant.now()) + " s"));

        PairHealth health = states.state(pair.id()).orElseThrow().health();
        assertThat(health.node("nfo-a").role()).isEqualTo(NodeRole.ACTIVE);
        assertThat(health.node("nfo-b").role()).isEqualTo(NodeRole.PASSIVE_HOT);
        assertThat(health.worst()).as(health.summary()).isNotEqualTo(java.util.Optional.of(Severity.CRITICAL));

        if (via.equals("agent")) { // once: proving the pair built, not the transport
            drillAndCrash(pair);
        }

        t = System.nanoTime();
        if (via.equals("ssh")) { // the other way back: undo reverts, newest first, every step the setup ran
            OperationView undone = await(runner.startSetup(pair.id(), OperationKind.UNDO_SETUP, "nfo-a", pair.name(), "setup-lab-it",
                    form, null));
            FIGURES.put("undo setup via " + via, millisSince(t) + " ms");
            assertThat(undone.status()).as(describe(undone)).isEqualTo(OperationView.Status.SUCCEEDED);
            assertThat(undone.toString()).doesNotContain(password);
            assertBare("after undo via " + via);
            for (String node : List.of("nfo-a", "nfo-b")) {
                assertThat(PacemakerLab.run("exec", node, "systemctl", "is-enabled", "nfo")).as("NFO handed back to its unit on " + node)
                        .contains("enabled");
            }
            return;
        }
        OperationView dismantled = await(runner.startSetup(pair.id(), OperationKind.DISMANTLE, "nfo-a", pair.name(), "setup-lab-it",
                null, null));
        FIGURES.put("dismantle via " + via, millisSince(t) + " ms");
        assertThat(dismantled.status()).as(describe(dismantled)).isEqualTo(OperationView.Status.SUCCEEDED);
        assertBare("after dismantle via " + via);
        assertThat(PacemakerLab.run("exec", "nfo-a", "systemctl", "is-active", "nfo")).as("NFO standalone on nfo-a").contains("active");
    }

    /**
     * The pair setup built can take over before anyone needs it to: the drill hands the output to nfo-b and back (the
     * console refuses it unless the passive is ready), then nfo-a crashes, nfo-b takes over, and nfo-a boots back as
     * the passive, with the gates as the roles say.
     */
    private void drillAndCrash(ClusterView pair) throws Exception {
        long t = System.nanoTime();
        OperationView drill = await(runner.start(pair.id(), OperationKind.DRILL, "nfo-a", pair.name(), "setup-lab-it"));
        FIGURES.put("drill (there and back)", millisSince(t) + " ms: " + drill.summary());
        assertThat(drill.status()).as(describe(drill)).isEqualTo(OperationView.Status.SUCCEEDED);
        awaitRoles(pair, Map.of("nfo-a", NodeRole.ACTIVE, "nfo-b", NodeRole.PASSIVE_HOT), "the roles after the drill");

        t = System.nanoTime();
        PacemakerLab.run("kill-node", "nfo-a");
        awaitRoles(pair, Map.of("nfo-b", NodeRole.ACTIVE, "nfo-a", NodeRole.UNREACHABLE), "nfo-b taking over from the crashed nfo-a");
        FIGURES.put("crash of nfo-a -> console shows nfo-b ACTIVE", millisSince(t) + " ms");
        assertThat(PacemakerLab.gateRules("nfo-b")).as("the survivor's gate").doesNotContain("drop");

        t = System.nanoTime();
        long bootSecond = PacemakerLab.nowSecond();
        PacemakerLab.run("start-node", "nfo-a");
        awaitRoles(pair, Map.of("nfo-b", NodeRole.ACTIVE, "nfo-a", NodeRole.PASSIVE_HOT), "nfo-a back as the passive, no fail-back");
        FIGURES.put("start-node nfo-a -> console shows it PASSIVE_HOT", millisSince(t) + " ms");
        assertThat(PacemakerLab.gateRules("nfo-a")).as("the rebooted passive's gate").contains("drop");
        // a booted node has no gate table until Pacemaker's probe blocks it (the gate agent's fail-safe): its output never
        // reaches the SIEM, and the active's output never pauses for a recovery of the gate
        long settled = PacemakerLab.nowSecond() + 1;
        PacemakerLab.awaitSinkSeconds(settled, 3, Duration.ofSeconds(30));
        PacemakerLab.SinkWindow rejoin = PacemakerLab.sinkWindow(bootSecond, settled + 2);
        FIGURES.put("SIEM sink across nfo-a's boot", rejoin.toString());
        assertThat(rejoin.secondsWithBoth()).as("the rebooted passive sends nothing: " + rejoin).isZero();
        assertThat(rejoin.lostRecords()).as("the active's output does not pause: " + rejoin).isLessThanOrEqualTo(rejoin.ratePerSecond());
        PairHealth health = states.state(pair.id()).orElseThrow().health();
        assertThat(health.worst()).as(health.summary()).isNotEqualTo(java.util.Optional.of(Severity.CRITICAL));
    }

    private void awaitRoles(ClusterView pair, Map<String, NodeRole> roles, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        PairHealth health = null;
        while (System.nanoTime() < deadline) {
            health = states.state(pair.id()).map(s -> s.health()).orElse(null);
            PairHealth seen = health;
            if (seen != null && roles.entrySet().stream().allMatch(e -> seen.node(e.getKey()).role() == e.getValue())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not seen within 120 s: " + what + "; last: " + (health == null ? "nothing" : health.summary()
                + " " + health.nodes()) + "\nPacemaker says:\n" + pacemakerSays());
    }

    /**
     * As a new user would, without a terminal: the setup wizard in Chromium, its dry run, the typed confirmation, Apply,
     * and the operation's page followed until it ends (offering the drill when it succeeded).
     */
    private OperationView applyInTheWizard(ClusterView pair, String password, SetupForm.ReplicatedMount mount) throws Exception {
        org.openqa.selenium.WebDriver browser = io.tandem.support.Browser.start();
        try {
            String base = "http://127.0.0.1:" + port;
            io.tandem.support.Browser.login(browser, base, "admin", ADMIN_PASSWORD);
            browser.get(base + "/clusters/" + pair.id() + "/setup");
            org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(180));
            type(browser, "clusterName", "tandem-setup");
            new org.openqa.selenium.support.ui.Select(browser.findElement(org.openqa.selenium.By.id("activeNode"))).selectByValue("nfo-a");
            type(browser, "outputs", "udp:10.77.0.2:514\ntcp:10.77.0.2:6514");
            type(browser, "vip", "10.77.0.100/24@eth0");
            type(browser, "haclusterPassword", password);
            browser.findElement(org.openqa.selenium.By.id("fenceNone")).click();
            new org.openqa.selenium.support.ui.Select(browser.findElement(org.openqa.selenium.By.id("nfoAgent"))).selectByValue("lsb");
            if (mount != null) { // Cold on storage replicated already
                browser.findElement(org.openqa.selenium.By.id("storageMount")).click();
                type(browser, "mountDevice", mount.device());
                type(browser, "mountPoint", mount.mountPoint());
                type(browser, "mountFstype", mount.fstype());
                type(browser, "mountOptions", mount.options());
            }
            browser.findElement(org.openqa.selenium.By.id("dry-run")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("apply-fields")));
            assertThat(browser.findElement(org.openqa.selenium.By.id("transitions")).getText()).as("crm_simulate's placement")
                    .contains("nfo-gate");
            type(browser, "confirm", pair.name());
            browser.findElement(org.openqa.selenium.By.id("apply")).click();
            // the console answers Apply by sending the browser to the operation's page (or shows why it refused)
            wait.until(d -> d.getCurrentUrl().contains("/operations/") || !d.findElements(org.openqa.selenium.By.id("setup-refused")).isEmpty());
            assertThat(browser.findElements(org.openqa.selenium.By.id("setup-refused"))).as("Apply refused: %s",
                    browser.findElements(org.openqa.selenium.By.id("setup-refused")).stream().map(e -> e.getText()).toList()).isEmpty();
            wait.withTimeout(SETUP_TIMEOUT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                String status = d.findElement(org.openqa.selenium.By.id("progress")).getDomAttribute("data-status");
                return status != null && !status.equals("RUNNING");
            });
            io.tandem.support.Browser.screenshot(browser, "40-setup-applied-in-the-wizard");
            String url = browser.getCurrentUrl();
            UUID operation = UUID.fromString(url.substring(url.lastIndexOf('/') + 1).replaceAll("[?#].*", ""));
            OperationView view = runner.find(operation).orElseThrow();
            if (view.status() == OperationView.Status.SUCCEEDED) {
                assertThat(browser.findElements(org.openqa.selenium.By.id("drill-offer"))).as("the drill is offered").isNotEmpty();
            }
            assertThat(browser.getPageSource()).doesNotContain(password);
            return view;
        } finally {
            browser.quit();
        }
    }

    private static void type(org.openqa.selenium.WebDriver browser, String id, String text) {
        org.openqa.selenium.WebElement field = browser.findElement(org.openqa.selenium.By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** What Pacemaker decided and why (its scores, constraints, defaults and recent actions), for a failure's message. */
    private static String pacemakerSays() {
        StringBuilder text = new StringBuilder();
        for (String node : List.of("nfo-b", "nfo-a")) {
            try {
                text.append(PacemakerLab.command(List.of("bash", PacemakerLab.SCRIPT.toString(), "exec", node, "sh", "-c",
                        "crm_mon -1 -r -f; pcs constraint --full; pcs resource defaults config; crm_simulate -Ls | grep -E 'nfo-vip|nfo-gate';"
                                + " grep -hE 'pacemaker-schedulerd.*(Move|Recover|Start|Stop|multiply|active on)' /var/log/pacemaker/pacemaker.log | tail -40")));
                return text.toString();
            } catch (Exception | AssertionError e) {
                text.append(node).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return text.toString();
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
