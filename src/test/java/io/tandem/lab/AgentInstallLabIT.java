package io.tandem.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.tandem.datastore.StoppableDatabase;
import io.tandem.support.FreshDataDirectory;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15 §1 end to end: the console (java -jar, so it has a jar to send) installs, upgrades and removes the agent
 * on both nodes of a lab pair registered over SSH, through its API, as an ADMIN would: each node ends on agent access
 * with the pinned certificate, reads through the agent, then goes back to SSH with nothing of the agent left.
 *
 * <p>The install writes /usr, /etc/sudoers.d, the user database and /var/lib as on a real server, so it runs only where
 * the lab marks a node as having its own /etc, /usr and /var/lib for its SSH sessions ({@link #PRIVATE_FS}: overlays
 * over the host's directories, see docs/pacemaker-lab.md) with a systemctl stand-in that runs {@code tandem-agent.service}
 * from its unit; elsewhere it skips. The host's own files are checked too: nothing of the agent may reach them.
 */
@Tag("lab")
class AgentInstallLabIT {

    /** Written by the lab inside a node whose sshd runs with private overlays and a stand-in that runs the agent unit. */
    static final String PRIVATE_FS = "/run/lab-private-fs";
    private static final Duration OPERATION_LIMIT = Duration.ofMinutes(5);
    /** What an install puts on a node; none of it may appear on the host, whose file system lies below the nodes'. */
    private static final List<String> AGENT_PATHS = List.of("/usr/share/tandem-agent", "/etc/sudoers.d/tandem-agent",
            "/usr/lib/systemd/system/tandem-agent.service", "/var/lib/tandem-agent",
            "/etc/systemd/system/multi-user.target.wants/tandem-agent.service");

    private static Path work;
    private static StoppableDatabase database;
    private static ConsoleProcess console;
    private static String pair;

    @BeforeAll
    static void consoleAgainstTheLab() throws Exception {
        PacemakerLab.assumeRunnable();
        Assumptions.assumeTrue(Files.isRegularFile(PacemakerLab.JAR), "no " + PacemakerLab.JAR + " (./mvnw package)");
        PacemakerLab.upIn("hot");
        for (String node : List.of("nfo-a", "nfo-b")) {
            Assumptions.assumeTrue(PacemakerLab.run("exec", node, "bash", "-c", "[ -e " + PRIVATE_FS + " ] && echo yes || true")
                    .strip().equals("yes"), node + " has no private file system for SSH sessions: installing would change the host");
        }
        work = Files.createTempDirectory("agent-install");
        database = StoppableDatabase.start(work.resolve("pg"), FreshDataDirectory.SHARED_BINARIES);
        List<String> settings = new ArrayList<>(database.consoleArguments());
        settings.add("--tandem.monitor.enabled=true");
        console = new ConsoleProcess(work.resolve("console"), settings);
        console.start();
        console.mintToken();
        pair = register();
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (console != null) {
                console.close();
            }
            if (database != null) {
                database.close();
            }
        } finally {
            if (Files.isExecutable(PacemakerLab.SCRIPT) && "root".equals(System.getProperty("user.name"))) {
                PacemakerLab.down();
            }
        }
    }

    @Test
    void installUpgradeAndRemoveOnBothNodes() throws Exception {
        for (String node : List.of("nfo-a", "nfo-b")) {
            assertThat(run("INSTALL_AGENT", node)).as("install on " + node).isEqualTo("SUCCEEDED");
            assertThat(access(node)).isEqualTo("AGENT");
            assertThat(inNode(node, "ps -o user= -p $(cat /run/lab-svc/tandem-agent.pid)")).as("the unit's User=")
                    .isEqualTo("tandem-agent");
            assertNothingOfTheAgentOnTheHost("after the install on " + node);
            assertThat(inNode(node, "stat -c '%a %U:%G %n' /usr/share/tandem-agent/tandem-agent.jar /etc/sudoers.d/tandem-agent "
                    + "/usr/lib/systemd/system/tandem-agent.service /var/lib/tandem-agent").lines()).containsExactly(
                    "644 root:root /usr/share/tandem-agent/tandem-agent.jar",
                    "440 root:root /etc/sudoers.d/tandem-agent",
                    "644 root:root /usr/lib/systemd/system/tandem-agent.service",
                    "700 tandem-agent:tandem-agent /var/lib/tandem-agent");
            String identity = inNode(node, "sha256sum /var/lib/tandem-agent/keystore.p12");

            assertThat(run("UPGRADE_AGENT", node)).as("upgrade on " + node).isEqualTo("SUCCEEDED");
            assertThat(inNode(node, "sha256sum /var/lib/tandem-agent/keystore.p12")).as("the upgrade keeps the agent's state")
                    .isEqualTo(identity);
            assertThat(inNode(node, "ls /usr/share/tandem-agent")).doesNotContain("previous");
        }
        for (String node : List.of("nfo-a", "nfo-b")) {
            assertThat(run("REMOVE_AGENT", node)).as("remove on " + node).isEqualTo("SUCCEEDED");
            assertThat(access(node)).isEqualTo("SSH");
            assertThat(inNode(node, "ls -d /usr/share/tandem-agent /etc/sudoers.d/tandem-agent "
                    + "/usr/lib/systemd/system/tandem-agent.service /var/lib/tandem-agent 2>/dev/null; getent passwd tandem-agent; true"))
                    .as("nothing of the agent is left on " + node).isBlank();
        }
        assertNothingOfTheAgentOnTheHost("after the removal");
    }

    /** The host's files, read from this JVM (outside the nodes): no agent file, no user or group, no sudoers rule. */
    private static void assertNothingOfTheAgentOnTheHost(String when) throws Exception {
        for (String path : AGENT_PATHS) {
            assertThat(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)).as(path + " on the host " + when).isFalse();
        }
        for (String database : List.of("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow")) {
            if (Files.isReadable(Path.of(database))) {
                assertThat(Files.readAllLines(Path.of(database))).as("the host's " + database + " " + when)
                        .noneMatch(line -> line.startsWith("tandem-agent:"));
            }
        }
        if (Files.isDirectory(Path.of("/etc/sudoers.d"))) {
            try (var rules = Files.list(Path.of("/etc/sudoers.d"))) {
                assertThat(rules.map(rule -> rule.getFileName().toString())).as("the host's /etc/sudoers.d " + when)
                        .noneMatch(name -> name.contains("tandem"));
            }
        }
    }

    /** Preflight, start with the typed confirmation (the node's name), and wait for the operation's end. */
    private static String run(String kind, String node) throws Exception {
        JsonNode preflight = console.get("/api/v1/clusters/" + pair + "/operations/preflight?kind=" + kind + "&node=" + node);
        assertThat(preflight.toString()).as(kind + " preflight on " + node).doesNotContain("\"BLOCK\"");
        JsonNode started = console.api("POST", "/api/v1/clusters/" + pair + "/operations",
                Map.of("kind", kind, "node", node, "confirm", node));
        String id = started.get("id").asString();
        long deadline = System.nanoTime() + OPERATION_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode operation = console.get("/api/v1/operations/" + id);
            String status = operation.get("status").asString();
            if (!status.equals("RUNNING")) {
                return status.equals("SUCCEEDED") ? status : status + ": " + operation;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(kind + " on " + node + " did not end within " + OPERATION_LIMIT);
    }

    private static String access(String node) throws Exception {
        for (JsonNode n : console.get("/api/v1/clusters/" + pair).get("nodes")) {
            if (n.get("name").asString().equals(node)) {
                return n.get("access").asString();
            }
        }
        throw new AssertionError(node + " is not in the pair");
    }

    private static String inNode(String node, String command) throws Exception {
        return PacemakerLab.run("exec", node, "bash", "-c", command).strip();
    }

    private static String register() throws Exception {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (String node : List.of("nfo-a", "nfo-b")) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", node);
            spec.put("address", PacemakerLab.ADDRESS.get(node));
            spec.put("access", "SSH");
            spec.put("sshUser", "root");
            spec.put("sshPort", 22);
            spec.put("credential", PacemakerLab.sshKey());
            spec.put("agentPort", 7543); // the lab's own agent holds 7443 in the node
            spec.put("nfoHome", "/var/lib/nfo-lab/" + node);
            spec.put("serviceUnit", "nfo.service");
            spec.put("configIncludes", List.of("server/etc/**"));
            spec.put("flowPorts", List.of(9555));
            nodes.add(spec);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "lab-install");
        spec.put("mode", "HOT");
        spec.put("description", "Pacemaker lab over SSH (agent install)");
        spec.put("nfoResource", "nfo");
        spec.put("vipResource", "nfo-vip");
        spec.put("gateResource", "nfo-gate");
        spec.put("nodes", nodes);
        JsonNode created = console.api("POST", "/api/v1/clusters", spec);
        String id = created.get("id").asString();
        for (JsonNode node : created.get("nodes")) {
            console.pin(id, node.get("id").asString(), PacemakerLab.sshHostKeyFingerprint(node.get("name").asString()));
        }
        return id;
    }
}
