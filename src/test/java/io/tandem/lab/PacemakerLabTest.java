package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.tandem.access.NodeTarget;
import io.tandem.access.ssh.SshConnections;
import io.tandem.access.ssh.SshNodeAccess;
import io.tandem.access.ssh.SshSettings;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeSnapshot;
import io.tandem.pacemaker.ClusterStatus;
import io.tandem.pacemaker.CrmMonResult;

/**
 * Real corosync, Pacemaker and pcs in two network namespaces (lab/pacemaker-lab.sh), read through the
 * SSH adapter over real OpenSSH: the gate Tandem reads on each node follows Pacemaker's VIP through a
 * move and a node crash. Needs root and the lab packages (.ci/run installs them); skips otherwise.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PacemakerLabTest {

    private static final Path LAB = Path.of("lab", "pacemaker-lab.sh");
    private static final Path STATE = Path.of("/var/tmp/tandem-lab");
    /** The NFO stand-in of lab/selftest.sh: receives flows, forwards to the sink, restarts when the gate drops its output. */
    private static final String STAND_IN = "while :; do socat -u UDP-RECV:9555,reuseaddr UDP-SENDTO:10.77.0.2:514; sleep 0.1; done";
    private static final Map<String, String> ADDRESS = Map.of("nfo-a", "10.77.0.11", "nfo-b", "10.77.0.12");

    private SshConnections connections;
    private SshNodeAccess access;
    private final Map<String, String> pins = new java.util.HashMap<>();

    @BeforeAll
    void up() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the Pacemaker lab needs root");
        for (String tool : List.of("/usr/sbin/corosync", "/usr/sbin/pacemakerd", "/usr/sbin/pcs", "/usr/sbin/nft",
                "/usr/sbin/sshd", "/usr/bin/socat")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)),
                    "the Pacemaker lab needs " + tool + " (bash lab/install-packages.sh installs it)");
        }
        lab("down");
        lab("up", "--mode", "hot", "--token", "1000", "--nfo-cmd", STAND_IN);
        connections = new SshConnections(SshSettings.defaults());
        access = new SshNodeAccess(connections, Clock.systemUTC());
        for (String node : ADDRESS.keySet()) {
            pins.put(node, access.presentedKey(target(node, null)).fingerprint());
        }
    }

    @AfterAll
    void down() throws Exception {
        if (connections != null) {
            connections.close();
        }
        if (Files.isExecutable(LAB) && "root".equals(System.getProperty("user.name"))) {
            lab("down");
            String namespaces = run(List.of("ip", "netns", "list"));
            assertThat(namespaces).as("the lab leaves no namespace behind").doesNotContain("tlab-");
        }
    }

    @Test
    void theGateTandemReadsFollowsPacemakerThroughAMoveAndACrash() throws Exception {
        String active = awaitSingleOpenGate(null, Duration.ofSeconds(60));
        ClusterStatus status = pacemaker(active);
        assertThat(status.nodes()).hasSize(2).allMatch(n -> n.online());
        assertThat(status.nodesRunning("nfo-vip")).containsExactly(active);
        NodeSnapshot passive = access.snapshot(target(other(active), pins.get(other(active))));
        assertThat(passive.gate().status()).isEqualTo(GateStatus.BLOCKED);
        assertThat(passive.gate().rules()).isNotEmpty();

        lab("exec", active, "pcs", "resource", "move", "nfo-vip", other(active), "--wait=60");
        String afterMove = awaitSingleOpenGate(other(active), Duration.ofSeconds(60));
        assertThat(afterMove).isEqualTo(other(active));
        assertThat(pacemaker(afterMove).leftoverMoveBans()).as("pcs 0.11 removes its temporary constraint").isEmpty();

        long crashed = System.nanoTime();
        lab("kill-node", afterMove);
        String survivor = awaitSingleOpenGate(other(afterMove), Duration.ofSeconds(60));
        System.out.printf("lab: crash of %s -> gate open on %s read over SSH after %d ms%n", afterMove, survivor,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed));
        assertThat(survivor).isEqualTo(other(afterMove));
    }

    /** Polls both nodes over SSH until exactly one gate is open (and it is {@code expected}, when given). */
    private String awaitSingleOpenGate(String expected, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "nothing read yet";
        while (System.nanoTime() < deadline) {
            List<String> open = new java.util.ArrayList<>();
            for (String node : ADDRESS.keySet()) {
                try {
                    NodeSnapshot snapshot = access.snapshot(target(node, pins.get(node)));
                    if (snapshot.gate() != null && snapshot.gate().status() == GateStatus.OPEN) {
                        open.add(node);
                    }
                } catch (io.tandem.node.NodeAccessException e) {
                    last = node + ": " + e.reason();
                }
            }
            if (open.size() == 1 && (expected == null || open.get(0).equals(expected))) {
                return open.get(0);
            }
            last = "open gates: " + open + "; " + last;
            Thread.sleep(250);
        }
        throw new AssertionError("no single open gate within " + within + " (" + last + ")");
    }

    private ClusterStatus pacemaker(String node) throws Exception {
        CrmMonResult result = access.snapshot(target(node, pins.get(node))).pacemaker().orElseThrow();
        return ((CrmMonResult.Running) result).status().orElseThrow();
    }

    private static NodeTarget target(String node, String pin) throws IOException {
        String key = Files.readString(STATE.resolve("ssh/id_ed25519"));
        return new NodeTarget(UUID.nameUUIDFromBytes(node.getBytes(StandardCharsets.UTF_8)), node, ADDRESS.get(node),
                NodeTarget.Transport.SSH, "root", 22, 7443, key, pin, false, "/opt/flowintegrator", "nfo.service",
                List.of("server/etc/**"), List.of(), Set.of(9555), false);
    }

    private static String other(String node) {
        return node.equals("nfo-a") ? "nfo-b" : "nfo-a";
    }

    private static void lab(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", LAB.toString()));
        command.addAll(List.of(args));
        run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 180 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + text);
        }
        return text;
    }
}
