package io.tandem.lab;

import static io.tandem.lab.PacemakerLab.other;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import io.tandem.ConsoleApplication;
import io.tandem.access.NodeConnections;
import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetService;
import io.tandem.fleet.NodeSpec;
import io.tandem.identity.Role;
import io.tandem.monitor.Finding;
import io.tandem.monitor.NodeRole;
import io.tandem.monitor.PairHealth;
import io.tandem.monitor.PairStates;
import io.tandem.operation.OperationKind;
import io.tandem.operation.OperationRunner;
import io.tandem.operation.OperationView;
import io.tandem.operation.Preflight;
import io.tandem.support.TestUsers;

/**
 * Clean-up steps and Pacemaker controls against the real Pacemaker lab. The failover's wait is made to fail
 * ({@code failover-timeout=0s}): its clean-up ({@code pcs resource clear}) still runs and no cli-prefer/cli-ban is
 * left in the real CIB. Then each control (standby, unstandby, maintenance on/off, clear, cleanup, disable, enable)
 * is previewed with crm_simulate on a copy of the CIB, run, and checked twice: in Pacemaker itself (crm_mon/cibadmin
 * in the node) and in the console's picture of the pair. Needs root, the lab packages and target/tandem.jar
 * (run with {@code ./mvnw verify -Dit.test=PacemakerControlsIT}); skips otherwise.
 */
@Tag("lab")
@SpringBootTest(classes = ConsoleApplication.class, properties = {"tandem.monitor.enabled=true",
        "tandem.operations.failover-timeout=0s"})
@AutoConfigureMockMvc
@Import(TestUsers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PacemakerControlsIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @Autowired
    FleetService fleet;
    @Autowired
    NodeConnections connections;
    @Autowired
    PairStates states;
    @Autowired
    OperationRunner runner;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestUsers users;

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
        if (java.nio.file.Files.isExecutable(PacemakerLab.SCRIPT) && "root".equals(System.getProperty("user.name"))) {
            PacemakerLab.down();
        }
    }

    @Test
    @Order(1)
    void aFailoverWhoseWaitFailsStillClearsItsConstraint() throws Exception {
        PacemakerLab.upIn("hot");
        ClusterView pair = register("ops-agent", AccessKind.AGENT);
        String active = PacemakerLab.vipNode();
        String passive = other(active);
        await(pair, h -> h.node(active).role() == NodeRole.ACTIVE && h.node(passive).role() == NodeRole.PASSIVE_HOT
                && h.canSurviveLossOf(active).survives(), "the pair ready to fail over");

        OperationView done = runToEnd(pair, OperationKind.FAILOVER, passive, pair.name());

        assertThat(done.status()).as(done.summary()).isEqualTo(OperationView.Status.FAILED);
        assertThat(done.steps()).extracting(OperationView.StepView::status).containsExactly(
                OperationView.StepStatus.DONE, OperationView.StepStatus.FAILED, OperationView.StepStatus.DONE);
        assertThat(done.steps().get(1).detail()).startsWith("Waited 0 s");
        assertThat(done.steps().get(2).name()).contains("pcs resource clear nfo-vip");
        String constraints = PacemakerLab.run("exec", "nfo-a", "cibadmin", "--query", "--scope", "constraints");
        assertThat(constraints).as("the real CIB after the failed wait").doesNotContain("cli-prefer").doesNotContain("cli-ban");
        await(pair, h -> h.findings(Finding.Kind.LEFTOVER_CONSTRAINT).isEmpty() && h.node(passive).role() == NodeRole.ACTIVE,
                "the moved pair without leftover constraints");
        assertThat(health(pair).findings(Finding.Kind.CLEANUP_FAILED)).as("the clean-up succeeded").isEmpty();
        System.out.println("lab figure: failover with a failed wait: " + done.summary());
    }

    @Test
    @Order(2)
    void eachPacemakerControlIsPreviewedRunAndSeenInPacemakerAndInTheConsole() throws Exception {
        PacemakerLab.upIn("hot");
        ClusterView pair = register("ops-agent", AccessKind.AGENT);
        ClusterView ssh = register("ops-ssh", AccessKind.SSH);
        // whichever node Pacemaker settled on after the first test's failover
        await(pair, h -> h.nodes().stream().filter(n -> n.role() == NodeRole.ACTIVE).count() == 1
                && h.nodes().stream().filter(n -> n.role() == NodeRole.PASSIVE_HOT).count() == 1, "one active, one passive");
        String active = PacemakerLab.vipNode();
        String passive = other(active);
        await(pair, h -> h.node(active).role() == NodeRole.ACTIVE && h.node(passive).role() == NodeRole.PASSIVE_HOT, "roles");
        await(ssh, h -> h.node(active).role() == NodeRole.ACTIVE && h.node(passive).role() == NodeRole.PASSIVE_HOT, "roles over SSH");

        // standby of the passive, previewed through the agent and over SSH: Pacemaker would stop NFO there
        for (ClusterView p : List.of(pair, ssh)) {
            Preflight preview = runner.preflight(p.id(), OperationKind.NODE_STANDBY, passive);
            assertThat(preview.simulation()).as(p.name()).isNotNull();
            assertThat(preview.simulation().succeeded()).as(preview.simulation().refusal()).isTrue();
            assertThat(preview.simulation().transitions()).as(p.name())
                    .anyMatch(t -> t.startsWith("Stop nfo:") && t.contains(passive));
            assertThat(preview.allowed()).as(preview.checks().toString()).isTrue();
            System.out.println("lab figure: standby preview via " + p.name() + ": " + preview.simulation().transitions());
        }
        assertThat(PacemakerLab.run("exec", passive, "crm_mon", "--one-shot", "--output-as=xml"))
                .as("the preview changed nothing").contains("name=\"" + passive + "\"").doesNotContain("standby=\"true\"");
        // the UI's preflight page shows the preview and asks for the node's name
        TestUsers.Credentials person = users.create(Role.OPERATOR);
        var session = (org.springframework.mock.web.MockHttpSession) mvc.perform(formLogin().user(person.username())
                .password(person.password())).andReturn().getRequest().getSession(false);
        mvc.perform(get("/clusters/" + pair.id() + "/operations/new").param("kind", "NODE_STANDBY").param("node", passive)
                        .session(session))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("What Pacemaker would do")))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("id=\"confirm-form\"")));

        // through the API, as automation would; the typed confirmation is the node's name
        String operator = users.token(users.create(Role.OPERATOR));
        OperationView standby = runViaApi(pair, operator, "NODE_STANDBY", passive, passive);
        assertThat(standby.status()).as(standby.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(standby.steps().get(0).detail()).contains("Stop nfo:");
        assertThat(crmMon(passive)).contains("standby=\"true\"");
        assertThat(health(pair).findings(Finding.Kind.STANDBY)).singleElement()
                .satisfies(f -> assertThat(f.remedy().operation()).isEqualTo("NODE_UNSTANDBY"));
        assertThat(health(pair).node(passive).role()).as("Pacemaker stopped NFO on the standby node")
                .isIn(NodeRole.STOPPED, NodeRole.FAILED, NodeRole.PASSIVE_HOT);

        OperationView unstandby = run(pair, OperationKind.NODE_UNSTANDBY, passive, passive);
        assertThat(unstandby.status()).as(unstandby.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(crmMon(passive)).doesNotContain("standby=\"true\"");
        await(pair, h -> h.findings(Finding.Kind.STANDBY).isEmpty() && h.node(passive).role() == NodeRole.PASSIVE_HOT,
                "the passive back after unstandby");

        // maintenance mode needs ADMIN: an operator is refused with problem+json, nothing runs
        mvc.perform(post("/api/v1/clusters/" + pair.id() + "/operations").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                        .contentType(MediaType.APPLICATION_JSON).content(body("MAINTENANCE_ON", pair.name(), pair.name())))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:tandem:problem:role-required"));
        OperationView on = run(pair, OperationKind.MAINTENANCE_ON, pair.name(), pair.name());
        assertThat(on.status()).as(on.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(PacemakerLab.run("exec", "nfo-a", "crm_attribute", "--type", "crm_config", "--name", "maintenance-mode",
                "--query")).contains("value=true");
        assertThat(health(pair).findings(Finding.Kind.MAINTENANCE)).isNotEmpty();
        OperationView off = run(pair, OperationKind.MAINTENANCE_OFF, pair.name(), pair.name());
        assertThat(off.status()).as(off.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        await(pair, h -> h.findings(Finding.Kind.MAINTENANCE).isEmpty(), "maintenance mode ended");

        // a leftover cli-ban (as a failed move leaves one): the finding offers the fix, which removes it
        PacemakerLab.run("exec", "nfo-a", "pcs", "resource", "ban", "nfo-vip", passive);
        await(pair, h -> h.findings(Finding.Kind.LEFTOVER_CONSTRAINT).stream()
                .anyMatch(f -> f.remedy() != null && f.remedy().operation().equals("CLEAR_CONSTRAINTS")), "the leftover ban");
        Preflight clear = runner.preflight(pair.id(), OperationKind.CLEAR_CONSTRAINTS, "nfo-vip");
        assertThat(clear.checks()).anyMatch(c -> c.label().contains("cli-ban-nfo-vip-on-" + passive));
        OperationView cleared = run(pair, OperationKind.CLEAR_CONSTRAINTS, "nfo-vip", "nfo-vip");
        assertThat(cleared.status()).as(cleared.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(PacemakerLab.run("exec", "nfo-a", "cibadmin", "--query", "--scope", "constraints")).doesNotContain("cli-ban");
        assertThat(health(pair).findings(Finding.Kind.LEFTOVER_CONSTRAINT)).isEmpty();

        // cleanup: pcs does not run it on a copy, so the preview is Pacemaker's plan as the CIB is
        Preflight cleanupPreview = runner.preflight(pair.id(), OperationKind.CLEANUP_RESOURCE, "nfo-gate");
        assertThat(cleanupPreview.simulation().applied()).isFalse();
        OperationView cleanup = run(pair, OperationKind.CLEANUP_RESOURCE, "nfo-gate", "nfo-gate");
        assertThat(cleanup.status()).as(cleanup.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(cleanup.steps().get(1).detail()).contains("Cleaned up nfo-gate");

        // disabling the gate stops the output (the preview says so first); enabling it brings the active back
        Preflight disable = runner.preflight(pair.id(), OperationKind.RESOURCE_DISABLE, "nfo-gate");
        assertThat(disable.simulation().transitions()).anyMatch(t -> t.startsWith("Stop nfo-gate"));
        assertThat(disable.checks()).anyMatch(c -> c.verdict() == Preflight.Verdict.WARN && c.label().contains("stops the output"));
        OperationView disabled = run(pair, OperationKind.RESOURCE_DISABLE, "nfo-gate", "nfo-gate");
        assertThat(disabled.status()).as(disabled.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        assertThat(crmMon("nfo-a")).containsPattern("id=\"nfo-gate\"[^>]*role=\"Stopped\"");
        await(pair, h -> h.node(active).role() != NodeRole.ACTIVE && !h.findings(Finding.Kind.NO_OUTPUT).isEmpty(),
                "no output once the gate is disabled");
        OperationView enabled = run(pair, OperationKind.RESOURCE_ENABLE, "nfo-gate", "nfo-gate");
        assertThat(enabled.status()).as(enabled.summary()).isEqualTo(OperationView.Status.SUCCEEDED);
        await(pair, h -> h.node(active).role() == NodeRole.ACTIVE && h.findings(Finding.Kind.NO_OUTPUT).isEmpty(),
                "the active sends again once the gate is enabled");
        System.out.println("lab figure: controls: " + String.join(" | ", List.of(standby.summary(), unstandby.summary(),
                on.summary(), off.summary(), cleared.summary(), cleanup.summary(), disabled.summary(), enabled.summary())));
    }

    // ---- helpers ----

    private String crmMon(String node) throws Exception {
        return PacemakerLab.run("exec", node, "crm_mon", "--one-shot", "--output-as=xml");
    }

    private OperationView run(ClusterView pair, OperationKind kind, String subject, String confirm) throws Exception {
        UUID id = runner.start(pair.id(), kind, subject, confirm, "lab-test");
        return follow(id);
    }

    private OperationView runToEnd(ClusterView pair, OperationKind kind, String subject, String confirm) throws Exception {
        return run(pair, kind, subject, confirm);
    }

    private OperationView runViaApi(ClusterView pair, String token, String kind, String subject, String confirm) throws Exception {
        String location = mvc.perform(post("/api/v1/clusters/" + pair.id() + "/operations")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content(body(kind, subject, confirm)))
                .andExpect(status().isAccepted()).andReturn().getResponse().getHeader(HttpHeaders.LOCATION);
        return follow(UUID.fromString(location.substring(location.lastIndexOf('/') + 1)));
    }

    private OperationView follow(UUID id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            OperationView view = runner.find(id).orElseThrow();
            if (!view.running()) {
                return view;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("operation " + id + " never ended: " + runner.find(id));
    }

    private static String body(String kind, String node, String confirm) {
        return "{\"kind\": \"" + kind + "\", \"node\": \"" + node + "\", \"confirm\": \"" + confirm + "\"}";
    }

    private PairHealth health(ClusterView pair) {
        return states.state(pair.id()).orElseThrow().health();
    }

    private void await(ClusterView pair, Predicate<PairHealth> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            var state = states.state(pair.id());
            if (state.isPresent() && wanted.test(state.get().health())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(pair.name() + " never showed " + what + ": "
                + states.state(pair.id()).map(s -> s.health().summary() + " " + s.health().findings()).orElse("not read"));
    }

    /** The lab pair as an operator registers it (as PacemakerLabIT does), its keys pinned. */
    private ClusterView register(String name, AccessKind access) throws Exception {
        fleet.list().stream().filter(c -> c.name().equals(name)).forEach(old -> fleet.delete(old.id()));
        List<NodeSpec> nodes = new ArrayList<>();
        for (String node : List.of("nfo-a", "nfo-b")) {
            boolean agent = access == AccessKind.AGENT;
            nodes.add(new NodeSpec(node, PacemakerLab.ADDRESS.get(node), access, agent ? null : "root", agent ? null : 22,
                    agent ? 7443 : null, "/var/lib/nfo-lab/" + node, "nfo.service", List.of("server/etc/**"), null,
                    List.of(9555), agent ? PacemakerLab.agentIdentity(node).get("token") : PacemakerLab.sshKey()));
        }
        ClusterView cluster = fleet.create(new ClusterSpec(name, ClusterMode.HOT, "Pacemaker lab via " + access,
                "nfo", "nfo-vip", "nfo-gate", null, nodes));
        for (ClusterView.NodeView node : cluster.nodes()) {
            connections.pin(cluster.id(), node.id(), access == AccessKind.AGENT
                    ? PacemakerLab.agentIdentity(node.name()).get("fingerprint") : PacemakerLab.sshHostKeyFingerprint(node.name()));
        }
        registered.add(cluster);
        return fleet.get(cluster.id());
    }
}
