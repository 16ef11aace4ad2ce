package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.tandem.access.NodeTarget;
import io.tandem.access.agent.AgentNodeAccess;
import io.tandem.node.GateStatus;
import io.tandem.node.NodeSnapshot;

/**
 * The agent's .deb installed with the real {@code dpkg -i} in a lab node, as an operator would on an NFO server:
 * files and modes, the system user and state directory of postinst, nothing started, the sudoers drop-in accepted by
 * visudo, the unit accepted by systemd-analyze; then {@code agent init --sudo} as the agent's user, the agent started
 * exactly as the installed unit's ExecStart (its user, JVM flags, environment), and the console's own agent adapter
 * pins it and reads the node through it (the gate through sudo and the drop-in). Reinstalling (an upgrade) keeps the
 * agent's identity; purge removes everything.
 *
 * <p>The node shares the host's file system, so the install happens in a private mount namespace inside node nfo-a
 * with tmpfs overlays over /etc, /usr and /var/{lib,log,cache}: dpkg, useradd and the agent write only there, and
 * the host is untouched when the namespace goes.
 */
@Tag("lab")
class AgentPackageLabIT {

    private static final Path DEB = Path.of("target", "tandem-agent.deb").toAbsolutePath();
    private static final String NODE = "nfo-a";
    /** The lab's own agent holds 7443 in the node. */
    private static final int PORT = 7543;
    private static final String HOLDER_PID = "/run/tandem-pkg-test.pid";
    private static final String AGENT_PID = "/run/tandem-pkg-test-agent.pid";
    private static final String AGENT_LOG = "/run/tandem-pkg-test-agent.log";

    /** A private mount namespace with writable overlays, kept alive by a sleeping holder process. */
    private static final String ENTER_OVERLAYS = """
            set -eu
            unshare --mount --propagation private bash -c '
              set -eu
              mkdir -p /run/tandem-pkg-test
              mount -t tmpfs -o mode=0700 tandem-pkg-test /run/tandem-pkg-test
              for d in /etc /usr /var/lib /var/log /var/cache; do
                n=/run/tandem-pkg-test/$(echo "$d" | tr / _)
                mkdir -p "$n/upper" "$n/work"
                mount -t overlay overlay -o "lowerdir=$d,upperdir=$n/upper,workdir=$n/work" "$d"
              done
              setsid sleep infinity </dev/null >/dev/null 2>&1 &
              echo $! >%s
            '
            """.formatted(HOLDER_PID);

    @BeforeAll
    static void lab() throws Exception {
        PacemakerLab.assumeRunnable();
        Assumptions.assumeTrue(Files.isRegularFile(DEB), "no " + DEB + " (./mvnw package builds it)");
        for (String tool : List.of("/usr/bin/dpkg", "/usr/sbin/visudo", "/usr/bin/unshare", "/usr/bin/setpriv")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), "the package test needs " + tool
                    + " (bash lab/install-packages.sh installs sudo)");
        }
        PacemakerLab.upIn("hot");
        PacemakerLab.run("exec", NODE, "bash", "-c", ENTER_OVERLAYS);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isRegularFile(DEB)) {
            return;
        }
        try {
            // by recorded PID only; the namespace and its overlays vanish with its last process
            PacemakerLab.run("exec", NODE, "bash", "-c", "for f in " + AGENT_PID + " " + HOLDER_PID
                    + "; do [ -s $f ] && kill $(cat $f) 2>/dev/null; rm -f $f; done; true");
        } finally {
            PacemakerLab.down();
        }
    }

    @Test
    void theDebInstallsInANodeAndTheConsoleReadsThatNodeThroughTheInstalledAgent() throws Exception {
        String installed = inPackageNamespace("dpkg -i " + DEB + " 2>&1");
        assertThat(installed).contains("Setting up tandem-agent");

        String modes = inPackageNamespace("stat -c '%a %U:%G %n' /usr/share/tandem-agent/tandem-agent.jar "
                + "/usr/lib/systemd/system/tandem-agent.service /etc/sudoers.d/tandem-agent "
                + "/usr/lib/ocf/resource.d/tandem/gate /var/lib/tandem-agent");
        assertThat(modes.lines()).containsExactly(
                "644 root:root /usr/share/tandem-agent/tandem-agent.jar",
                "644 root:root /usr/lib/systemd/system/tandem-agent.service",
                "440 root:root /etc/sudoers.d/tandem-agent",
                "755 root:root /usr/lib/ocf/resource.d/tandem/gate",
                "700 tandem-agent:tandem-agent /var/lib/tandem-agent");
        assertThat(inPackageNamespace("getent passwd tandem-agent")).contains(":/var/lib/tandem-agent:/usr/sbin/nologin");
        assertThat(inPackageNamespace("ls -A /var/lib/tandem-agent; ps -o pid= -u tandem-agent || true"))
                .as("postinst creates the state directory and starts nothing before agent init").isBlank();
        assertThat(inPackageNamespace("visudo -cf /etc/sudoers.d/tandem-agent")).contains("parsed OK");
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            assertThat(inPackageNamespace("systemd-analyze verify /usr/lib/systemd/system/tandem-agent.service 2>&1"))
                    .as("systemd-analyze finds nothing to say about the unit").isBlank();
        }

        String init = inPackageNamespace("cd /var/lib/tandem-agent && runuser -u tandem-agent -- /usr/bin/java -jar "
                + "/usr/share/tandem-agent/tandem-agent.jar agent init --state-dir /var/lib/tandem-agent --sudo --host "
                + PacemakerLab.ADDRESS.get(NODE));
        Map<String, String> identity = init.lines().filter(line -> line.matches("^(token|fingerprint)=.*"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')), line -> line.substring(line.indexOf('=') + 1)));
        assertThat(identity).containsKeys("token", "fingerprint");
        assertThat(inPackageNamespace("grep -E '^  sudo: ' /var/lib/tandem-agent/agent.yml")).contains("sudo: true");

        startAgentAsTheUnitDoes();
        AgentNodeAccess console = new AgentNodeAccess();
        NodeTarget target = new NodeTarget(UUID.randomUUID(), NODE, PacemakerLab.ADDRESS.get(NODE), NodeTarget.Transport.AGENT,
                null, PORT, PORT, identity.get("token"), identity.get("fingerprint"), false, "/var/lib/nfo-lab", "nfo.service",
                List.of("server/etc/**"), List.of(), Set.of(9555), false);
        awaitAgent(console, target);
        assertThat(console.presentedKey(target).fingerprint()).as("the certificate the console pins is the one init printed")
                .isEqualTo(identity.get("fingerprint"));
        NodeSnapshot snapshot = console.snapshot(target);
        assertThat(snapshot.gate().status()).as("the gate read with nft through sudo and the drop-in: " + snapshot.failures())
                .isIn(GateStatus.OPEN, GateStatus.BLOCKED);
        assertThat(snapshot.failures()).as("the gate part did not fail").noneMatch(failure -> failure.part().contains("gate"));
        assertThat(inPackageNamespace("ps -o user= -p $(cat " + AGENT_PID + ")")).as("the agent runs as its own user")
                .isEqualTo("tandem-agent");

        String identityFiles = "cd /var/lib/tandem-agent && sha256sum keystore.p12 keystore.password token.sha256 agent.yml";
        String keystoreBefore = inPackageNamespace(identityFiles);
        assertThat(inPackageNamespace("dpkg -i " + DEB + " 2>&1")).as("an upgrade (reinstall) configures again")
                .contains("Setting up tandem-agent");
        assertThat(inPackageNamespace(identityFiles)).as("an upgrade keeps the agent's identity and config")
                .isEqualTo(keystoreBefore);

        inPackageNamespace("kill $(cat " + AGENT_PID + ") && rm -f " + AGENT_PID);
        inPackageNamespace("dpkg --purge tandem-agent 2>&1");
        assertThat(inPackageNamespace("for f in /usr/share/tandem-agent /etc/sudoers.d/tandem-agent /var/lib/tandem-agent "
                + "/usr/lib/systemd/system/tandem-agent.service; do [ -e $f ] && echo left: $f; done; "
                + "getent passwd tandem-agent || true")).as("purge leaves nothing behind").isBlank();
    }

    /** ExecStart of the installed unit, with its User, Environment and JAVA_OPTS, in the background (no systemd here). */
    private static void startAgentAsTheUnitDoes() throws Exception {
        inPackageNamespace("""
                unit=/usr/lib/systemd/system/tandem-agent.service
                opts=$(sed -n 's/^Environment="JAVA_OPTS=\\(.*\\)"$/\\1/p' $unit)
                envs=$(sed -n 's/^Environment=\\([A-Z_]*=[^" ]*\\)$/\\1/p' $unit)
                start=$(sed -n 's/^ExecStart=//p' $unit | sed "s|\\$JAVA_OPTS|$opts|")
                [ -n "$opts" ] && [ -n "$start" ] || { echo "unit without JAVA_OPTS/ExecStart"; exit 1; }
                cd /var/lib/tandem-agent
                env $envs setsid setpriv --reuid tandem-agent --regid tandem-agent --init-groups -- $start --port %d \
                    </dev/null >%s 2>&1 &
                echo $! >%s
                """.formatted(PORT, AGENT_LOG, AGENT_PID));
    }

    private static void awaitAgent(AgentNodeAccess console, NodeTarget target) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                console.presentedKey(target);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the installed agent did not answer within 3 min (" + last + "):\n"
                + inPackageNamespace("cat " + AGENT_LOG));
    }

    /** Runs a bash script in node nfo-a inside the package test's mount namespace; its output, trimmed. */
    private static String inPackageNamespace(String script) throws Exception {
        List<String> command = new ArrayList<>(List.of("exec", NODE, "bash", "-c",
                "nsenter -t $(cat " + HOLDER_PID + ") -m -- bash -c \"$0\"", "set -eu\n" + script));
        return PacemakerLab.run(command.toArray(String[]::new)).strip();
    }
}
