package io.tandem.lab;

import static io.tandem.lab.PacemakerLab.other;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.tandem.datastore.StoppableDatabase;
import io.tandem.support.FreshDataDirectory;
import io.tandem.support.WebhookReceiver;
import tools.jackson.databind.JsonNode;

/**
 * The fault matrix (issue 12, section 5): the console as operators run it ({@code java -jar target/tandem.jar}, its
 * own process) on an external PostgreSQL that the test can stop, against the real Pacemaker lab pair registered
 * twice (read through the agents and over SSH), observed only through its REST API, its event stream and the
 * webhooks it sends, while faults are injected:
 * <ol>
 * <li>the agent killed on the passive: the finding says the agent is not answering while the peer's Pacemaker sees
 * the node online, not that the node is down (the SSH pair, which does not use the agent, sees nothing wrong);</li>
 * <li>the link between the console and the passive cut on the console's host only (nftables; the nodes still see each
 * other): the same distinction, through both transports;</li>
 * <li>the database stopped for 30 s while the roles move and an agent dies: the event stream stays live, the alerts
 * go out, and afterwards the history holds what happened with its own times and a GAP row saying it was written
 * late;</li>
 * <li>the console killed with SIGKILL while it swaps a configuration copy onto the passive: the passive holds the
 * whole old or the whole new set of files (by SHA-256), never a mix, and the console started again shows the
 * operation INTERRUPTED with what to check and do next.</li>
 * </ol>
 * Needs root and the lab packages, like {@link PacemakerLabIT}; skips otherwise. Run it under the host's lab lock.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixIT {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    /** The console's host-side cut of one node: a table of our own, removed after the test whatever happens. */
    private static final String CUT_TABLE = "tandem-faults-it";
    private static final int COPY_FILES = 200;
    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    private static Path work;
    private static StoppableDatabase database;
    private static ConsoleProcess console;
    private static WebhookReceiver webhooks;
    /** Pair name -> id: lab-agent (through the agents) and lab-ssh (over SSH). */
    private static final Map<String, String> PAIRS = new TreeMap<>();
    private static String active;
    private static String passive;

    @BeforeAll
    static void consoleAgainstTheLab() throws Exception {
        PacemakerLab.assumeRunnable();
        work = Files.createTempDirectory("faults-matrix");
        figure("lab up, hot", PacemakerLab.upIn("hot") + " ms");
        database = StoppableDatabase.start(work.resolve("pg"), FreshDataDirectory.SHARED_BINARIES);
        List<String> settings = new ArrayList<>(database.consoleArguments());
        settings.addAll(List.of("--tandem.monitor.enabled=true", "--tandem.alerts.allow-local-targets=true",
                "--logging.level.io.tandem=INFO"));
        console = new ConsoleProcess(work.resolve("console"), settings);
        long started = System.nanoTime();
        console.start();
        figure("console process started (java -jar, external PostgreSQL)", millisSince(started) + " ms");
        console.mintToken();
        webhooks = new WebhookReceiver("X-Tandem-Signature");
        for (String access : List.of("AGENT", "SSH")) {
            String name = "lab-" + access.toLowerCase(java.util.Locale.ROOT);
            PAIRS.put(name, register(name, access));
            console.api("PUT", "/api/v1/clusters/" + PAIRS.get(name) + "/alerts", Map.of("webhookUrl", webhooks.url()));
        }
        active = PacemakerLab.vipNode();
        passive = other(active);
        awaitSettled("the initial roles");
    }

    @AfterAll
    static void tearDown() throws Exception {
        FIGURES.forEach((what, value) -> System.out.println("fault figure: " + what + ": " + value));
        try {
            uncut();
        } finally {
            try {
                if (console != null) {
                    console.close();
                }
                if (webhooks != null) {
                    webhooks.close();
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
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. the agent killed on the passive
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void anAgentKilledOnThePassiveIsAnAgentNotAnsweringNotANodeDown() throws Exception {
        long killed = System.nanoTime();
        killAgent(passive);
        JsonNode finding = awaitFinding("lab-agent", passive, "The Tandem agent on " + passive + " is not answering; Pacemaker on "
                + active + " sees " + passive + " online");
        figure("agent killed -> console names it (agent not answering, node online in Pacemaker)", millisSince(killed) + " ms");
        assertThat(finding.get("cause").asString()).doesNotContain(" is down", "offline");
        assertThat(finding.get("impact").asString()).contains(passive + " itself is up as far as its cluster can tell");
        JsonNode ssh = state("lab-ssh");
        assertThat(role(ssh, passive)).as("over SSH the passive is read as before").isEqualTo("PASSIVE_HOT");
        assertThat(findings(ssh, "node-unreachable")).isEmpty();

        startAgent(passive);
        awaitSettled("the agent back");
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. the link between the console and the passive cut, on the console's side only
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void aCutLinkBetweenConsoleAndNodeIsTandemsAccessNotANodeDown() throws Exception {
        long cutAt = System.nanoTime();
        cut(passive);
        try {
            awaitFinding("lab-agent", passive, "The Tandem agent on " + passive + " is not answering; Pacemaker on " + active
                    + " sees " + passive + " online");
            awaitFinding("lab-ssh", passive, "SSH on " + passive + " is not answering; Pacemaker on " + active + " sees "
                    + passive + " online");
            figure("link cut -> both pairs name it (not answering, node online in Pacemaker)", millisSince(cutAt) + " ms");
            for (String pair : PAIRS.keySet()) {
                JsonNode finding = findings(state(pair), "node-unreachable").get(0);
                assertThat(finding.get("cause").asString()).as(pair).doesNotContain(" is down", "offline");
            }
            // the nodes themselves still see each other: only the console's side is cut
            assertThat(PacemakerLab.run("exec", active, "crm_mon", "--one-shot", "--output-as=xml"))
                    .containsPattern("<node name=\"" + passive + "\"[^>]* online=\"true\"");
        } finally {
            uncut();
        }
        awaitSettled("the link back");
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. the database stopped for 30 s while the nodes change
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void withTheDatabaseStoppedThePictureStaysLiveAlertsGoOutAndTheHistoryShowsTheGap() throws Exception {
        BlockingQueue<ConsoleProcess.Event> events = console.events();
        while (webhooks.next(0) != null) {
            // what was sent before is not this test's
        }
        String from = active;
        String to = passive;
        Instant stoppedAt = Instant.now();
        long stopped = System.nanoTime();
        database.stop();
        List<ConsoleProcess.Event> seen = new ArrayList<>();
        List<WebhookReceiver.Call> sent = new ArrayList<>();
        boolean agentKilled = false;
        try {
            PacemakerLab.run("exec", from, "pcs", "resource", "move", "nfo-vip", to, "--wait=60");
            awaitEvents(events, seen, e -> PAIRS.keySet().stream().allMatch(pair -> swappedIn(seen, pair, to)), "both pairs' roles swap");
            figure("database stopped: move -> both pairs' swap on the event stream", millisSince(stopped) + " ms after the stop");
            killAgent(from); // the new passive's agent, while the database is still away
            agentKilled = true;
            awaitEvents(events, seen, e -> raised(seen, "lab-agent", "node-unreachable", from), "the agent's loss on the event stream");
            long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (System.nanoTime() < deadline && !(mentions(sent, "lab-agent") && mentions(sent, "lab-ssh"))) {
                WebhookReceiver.Call call = webhooks.next(1);
                if (call != null) {
                    sent.add(call);
                }
            }
            assertThat(database.running()).isFalse();
            assertThat(sent).as("alerts of both pairs while the database is away").anyMatch(c -> c.body().contains("\"lab-agent\""))
                    .anyMatch(c -> c.body().contains("\"lab-ssh\""));
            long outage = Duration.ofSeconds(30).toNanos() - (System.nanoTime() - stopped);
            if (outage > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(outage));
            }
        } finally {
            try {
                database.restart();
            } finally {
                if (agentKilled) {
                    startAgent(from); // also when this case failed: the next one needs both agents
                }
            }
        }
        Instant restartedAt = Instant.now();
        figure("database away", Duration.between(stoppedAt, restartedAt).toMillis() + " ms");
        active = to;
        passive = from;
        awaitSettled("the pair after the database came back");

        for (String pair : PAIRS.keySet()) {
            JsonNode gap = awaitHistory(pair, stoppedAt, "GAP");
            assertThat(gap.get("text").asString()).contains("The database did not answer from", "written late with their own times");
            JsonNode history = console.get("/api/v1/clusters/" + PAIRS.get(pair) + "/history?from=" + stoppedAt + "&to=" + restartedAt);
            List<JsonNode> roles = new ArrayList<>();
            history.forEach(row -> {
                if (row.get("kind").asString().equals("ROLE")) {
                    roles.add(row);
                }
            });
            assertThat(roles).as(pair + ": the role changes seen while the database was away, with their own times")
                    .anyMatch(row -> row.get("node").asString().equals(to) && row.get("subject").asString().equals("ACTIVE"));
            JsonNode recent = console.get("/api/v1/clusters/" + PAIRS.get(pair) + "/alerts").get("recent");
            List<Instant> sendTimes = new ArrayList<>();
            recent.forEach(s -> sendTimes.add(Instant.parse(s.get("at").asString())));
            assertThat(sendTimes).as(pair + ": the sends made while the database was away are recorded")
                    .anyMatch(at -> !at.isBefore(stoppedAt) && at.isBefore(restartedAt));
        }
        figure("database stopped: events on the stream while it was away", String.valueOf(seen.size()));
        figure("database stopped: webhooks received while it was away", String.valueOf(sent.size()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. the console killed in the middle of a configuration copy
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void aConsoleKilledDuringACopyLeavesTheWholeOldOrTheWholeNewFilesAndSaysWhatToDoNext() throws Exception {
        // -Dfaults.copy.pairs=lab-ssh narrows the copy to one pair (each pair costs a console restart)
        for (String pair : System.getProperty("faults.copy.pairs", "lab-agent,lab-ssh").split(",")) {
            Map<String, String> before = writeConfig(passive, "old");
            Map<String, String> copied = writeConfig(active, "new");
            assertThat(before).doesNotContainEntry(copied.keySet().iterator().next(), copied.values().iterator().next());
            awaitSettled("both nodes read with the new files");

            JsonNode started = console.api("POST", "/api/v1/clusters/" + PAIRS.get(pair) + "/operations",
                    Map.of("kind", "COPY_CONFIG", "node", passive, "confirm", passive));
            String operation = started.get("id").asString();
            String swapping = awaitStepRunning(operation, 3);
            long killedAt = System.nanoTime();
            console.kill9();
            figure(pair + ": console killed during", swapping);
            figure(pair + ": " + passive + "'s files right after the SIGKILL", which(hashes(passive), before, copied));

            console.start();
            figure(pair + ": console started again after SIGKILL", millisSince(killedAt) + " ms");
            // by now the node has long finished what the console asked of it before it died
            Map<String, String> after = awaitIdle(passive);
            assertThat(after.equals(before) || after.equals(copied)).as(pair + ": " + passive + " holds the whole old or the "
                    + "whole new configuration; differing from old: " + differing(after, before) + ", from new: "
                    + differing(after, copied)).isTrue();
            figure(pair + ": after the restart " + passive + " holds", which(after, before, copied) + "; its store journal: "
                    + storeJournal(passive));
            JsonNode interrupted = console.get("/api/v1/operations/" + operation);
            assertThat(interrupted.get("status").asString()).isEqualTo("INTERRUPTED");
            String summary = interrupted.get("summary").asString();
            assertThat(summary).contains("The console stopped during \"Back up " + passive, "Next: ", "drift view",
                    "restart NFO on " + passive, "start the copy again");
            assertThat(interrupted.get("steps").get(3).get("status").asString()).isEqualTo("FAILED");
            figure(pair + ": the operation after the restart", "INTERRUPTED: " + summary);

            removeConfig();
            awaitSettled("the copy's files removed");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the console, through its API
    // ---------------------------------------------------------------------------------------------------------

    /** Registers the lab pair as an operator would: the API for the pair, the pair page to pin each node's key. */
    private static String register(String name, String access) throws Exception {
        boolean agent = access.equals("AGENT");
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (String node : List.of("nfo-a", "nfo-b")) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", node);
            spec.put("address", PacemakerLab.ADDRESS.get(node));
            spec.put("access", access);
            if (agent) {
                spec.put("agentPort", 7443);
                spec.put("credential", PacemakerLab.agentIdentity(node).get("token"));
            } else {
                spec.put("sshUser", "root");
                spec.put("sshPort", 22);
                spec.put("credential", PacemakerLab.sshKey());
            }
            spec.put("nfoHome", "/var/lib/nfo-lab/" + node);
            spec.put("serviceUnit", "nfo.service");
            spec.put("configIncludes", List.of("server/etc/**"));
            spec.put("flowPorts", List.of(9555));
            nodes.add(spec);
        }
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("name", name);
        pair.put("mode", "HOT");
        pair.put("description", "Pacemaker lab via " + access + " (fault matrix)");
        pair.put("nfoResource", "nfo");
        pair.put("vipResource", "nfo-vip");
        pair.put("gateResource", "nfo-gate");
        pair.put("nodes", nodes);
        JsonNode created = console.api("POST", "/api/v1/clusters", pair);
        String id = created.get("id").asString();
        for (JsonNode node : created.get("nodes")) {
            String nodeName = node.get("name").asString();
            console.pin(id, node.get("id").asString(), agent ? PacemakerLab.agentIdentity(nodeName).get("fingerprint")
                    : PacemakerLab.sshHostKeyFingerprint(nodeName));
        }
        return id;
    }

    private static JsonNode state(String pair) throws Exception {
        return console.get("/api/v1/clusters/" + PAIRS.get(pair) + "/state");
    }

    private static String role(JsonNode state, String node) {
        for (JsonNode n : state.get("nodes")) {
            if (n.get("node").asString().equals(node)) {
                return n.get("role").asString();
            }
        }
        return null;
    }

    private static List<JsonNode> findings(JsonNode state, String kind) {
        List<JsonNode> out = new ArrayList<>();
        state.get("findings").forEach(f -> {
            if (f.get("kind").asString().equals(kind)) {
                out.add(f);
            }
        });
        return out;
    }

    /** Polls the state of every pair until each matches; a pair not read yet (409) is waited for. */
    private static void awaitEach(Predicate<JsonNode> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, String> last = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (String pair : PAIRS.keySet()) {
                var response = console.call("GET", "/api/v1/clusters/" + PAIRS.get(pair) + "/state", null);
                if (response.statusCode() != 200) {
                    last.put(pair, "HTTP " + response.statusCode());
                    all = false;
                    continue;
                }
                JsonNode state = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
                if (!wanted.test(state)) {
                    last.put(pair, state.get("nodes") + " " + state.get("findings"));
                    all = false;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the console did not show " + what + " within " + SETTLE + ": " + last + "\n" + console.tail());
    }

    /** One ACTIVE (the VIP's node) and one PASSIVE_HOT, no node unreadable, in both pairs. */
    private static void awaitSettled(String what) throws Exception {
        String vip = PacemakerLab.vipNode();
        awaitEach(s -> "ACTIVE".equals(role(s, vip)) && "PASSIVE_HOT".equals(role(s, other(vip)))
                && findings(s, "node-unreachable").isEmpty(), what);
    }

    /** Waits until the pair shows a node-unreachable finding on {@code node} whose cause contains {@code cause}. */
    private static JsonNode awaitFinding(String pair, String node, String cause) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var response = console.call("GET", "/api/v1/clusters/" + PAIRS.get(pair) + "/state", null);
            if (response.statusCode() == 200) {
                JsonNode state = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
                for (JsonNode finding : findings(state, "node-unreachable")) {
                    if (finding.get("node").asString().equals(node) && finding.get("cause").asString().contains(cause)) {
                        return finding;
                    }
                }
                last = state.get("findings").toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(pair + " did not report '" + cause + "' within " + SETTLE + "; findings: " + last);
    }

    private static void awaitEvents(BlockingQueue<ConsoleProcess.Event> events, List<ConsoleProcess.Event> seen,
                                    Predicate<ConsoleProcess.Event> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            ConsoleProcess.Event event = events.poll(1, TimeUnit.SECONDS);
            if (event != null) {
                seen.add(event);
                if (done.test(event)) {
                    return;
                }
            }
        }
        throw new AssertionError("the event stream did not carry " + what + " within " + SETTLE + "; it carried: "
                + seen.stream().map(e -> e.data().toString()).toList());
    }

    /** Whether the stream told, for this pair, that {@code node} became ACTIVE and its peer PASSIVE_HOT. */
    private static boolean swappedIn(List<ConsoleProcess.Event> seen, String pair, String node) {
        boolean up = false;
        boolean down = false;
        for (ConsoleProcess.Event event : seen) {
            if (!event.data().get("cluster").asString().equals(pair)) {
                continue;
            }
            for (JsonNode change : event.data().get("roleChanges")) {
                up |= change.get("node").asString().equals(node) && change.get("to").asString().equals("ACTIVE");
                down |= change.get("node").asString().equals(other(node)) && change.get("to").asString().equals("PASSIVE_HOT");
            }
        }
        return up && down;
    }

    private static boolean raised(List<ConsoleProcess.Event> seen, String pair, String kind, String node) {
        return seen.stream().filter(e -> e.data().get("cluster").asString().equals(pair))
                .flatMap(e -> java.util.stream.StreamSupport.stream(e.data().get("raised").spliterator(), false))
                .anyMatch(f -> f.get("kind").asString().equals(kind) && f.get("node").asString().equals(node));
    }

    private static boolean mentions(List<WebhookReceiver.Call> calls, String pair) {
        return calls.stream().anyMatch(c -> c.body().contains("\"" + pair + "\""));
    }

    /** Polls the pair's history until a row of this kind from {@code since} on is written; returns it. */
    private static JsonNode awaitHistory(String pair, Instant since, String kind) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode rows = console.get("/api/v1/clusters/" + PAIRS.get(pair) + "/history?kind=" + kind + "&from=" + since);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(500);
        }
        throw new AssertionError(pair + ": no " + kind + " row in the history since " + since);
    }

    /** Polls the operation every 10 ms until step {@code position} runs; returns its name. */
    private static String awaitStepRunning(String operation, int position) throws Exception {
        // over SSH every staged file is a command of its own: the steps before the swap take minutes on a busy host
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = console.get("/api/v1/operations/" + operation);
            JsonNode step = last.get("steps").get(position);
            if (step.get("status").asString().equals("RUNNING")) {
                return step.get("name").asString();
            }
            if (!step.get("status").asString().equals("PENDING") || !last.get("status").asString().equals("RUNNING")) {
                throw new AssertionError("the copy passed step " + position + " before the console could be killed there: " + last);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("step " + position + " never ran: " + last);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the lab, outside Tandem
    // ---------------------------------------------------------------------------------------------------------

    private static void killAgent(String node) throws Exception {
        String pid = PacemakerLab.run("exec", node, "pgrep", "-f", "-o", "tandem.jar agent").strip();
        assertThat(pid).as("the agent's pid on " + node).matches("\\d+");
        PacemakerLab.run("exec", node, "kill", "-9", pid);
    }

    /** Starts the node's agent again as node-init did (same command, same log), in the node's namespaces. */
    private static void startAgent(String node) throws Exception {
        Path script = PacemakerLab.STATE.resolve("faults-start-agent.sh");
        Files.writeString(script, """
                #!/bin/sh
                . "$1/config"
                export NODE="$2"
                ( setsid /bin/sh -c "$AGENT_CMD" >>"$1/nodes/$NODE/log/agent.log" 2>&1 </dev/null & )
                """);
        PacemakerLab.run("exec", node, "/bin/sh", script.toString(), PacemakerLab.STATE.toString(), node);
    }

    /** Drops what the node sends to the console's host, on the host: connections to it time out, nothing else changes. */
    private static void cut(String node) throws Exception {
        PacemakerLab.command(List.of("nft", "add", "table", "inet", CUT_TABLE));
        PacemakerLab.command(List.of("nft", "add", "chain", "inet", CUT_TABLE, "in",
                "{ type filter hook input priority -10 ; policy accept ; }"));
        PacemakerLab.command(List.of("nft", "add", "rule", "inet", CUT_TABLE, "in", "ip", "saddr",
                PacemakerLab.ADDRESS.get(node), "drop"));
    }

    private static void uncut() throws Exception {
        if (PacemakerLab.command(List.of("nft", "list", "tables")).contains(CUT_TABLE)) {
            PacemakerLab.command(List.of("nft", "delete", "table", "inet", CUT_TABLE));
        }
    }

    /** Writes the copy's test files into the node's configuration (content tagged {@code version}); their hashes. */
    private static Map<String, String> writeConfig(String node, String version) throws Exception {
        Path dir = faultsDir(node);
        Files.createDirectories(dir);
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < COPY_FILES; i++) {
            byte[] noise = new byte[2048];
            random.nextBytes(noise);
            Files.writeString(dir.resolve("f-" + i + ".cfg"), "# " + version + "\n" + java.util.HexFormat.of().formatHex(noise) + "\n");
        }
        return hashes(node);
    }

    private static void removeConfig() throws Exception {
        for (String node : List.of("nfo-a", "nfo-b")) {
            PacemakerLab.command(List.of("rm", "-rf", faultsDir(node).toString()));
        }
    }

    /** The copy's test files, written from the host into the directory the node mounts as its NFO home. */
    private static Path faultsDir(String node) {
        return PacemakerLab.STATE.resolve("nodes").resolve(node).resolve("nfo-lab").resolve(node).resolve("server/etc/faults");
    }

    /** SHA-256 of each test file in the node's configuration, read with sha256sum in the node. */
    private static Map<String, String> hashes(String node) throws Exception {
        String out = PacemakerLab.run("exec", node, "/bin/sh", "-c", "cd /var/lib/nfo-lab/" + node
                + "/server/etc/faults && sha256sum f-*.cfg");
        Map<String, String> hashes = new TreeMap<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> hashes.put(l.substring(66).strip(), l.substring(0, 64)));
        assertThat(hashes).hasSize(COPY_FILES);
        return hashes;
    }

    /**
     * The node's test files once its configuration store is idle (no commit holds its lock) and they stay the same for
     * three reads in a row.
     */
    private static Map<String, String> awaitIdle(String node) throws Exception {
        Path lock = faultsDir(node).getParent().getParent().getParent().resolve(".tandem/lock");
        Map<String, String> last = null;
        int same = 0;
        for (int i = 0; i < 120 && same < 3; i++) {
            boolean idle = !Files.exists(lock) || PacemakerLab.command(List.of("sh", "-c",
                    "flock -n \"$0\" true && echo idle || echo busy", lock.toString())).contains("idle");
            Map<String, String> now = hashes(node);
            same = idle && now.equals(last) ? same + 1 : 0;
            last = now;
            Thread.sleep(1000);
        }
        assertThat(same).as(node + "'s configuration store settled").isEqualTo(3);
        return last;
    }

    private static String which(Map<String, String> files, Map<String, String> before, Map<String, String> copied) {
        return files.equals(before) ? "the whole old set" : files.equals(copied) ? "the whole new set"
                : "a mix (" + files.keySet().stream().filter(k -> !files.get(k).equals(before.get(k))).count()
                        + " of " + files.size() + " swapped) while the node was swapping";
    }

    /** What the node's own configuration store journaled for the copies (commit or rollback results). */
    private static String storeJournal(String node) throws Exception {
        Path journal = faultsDir(node).getParent().getParent().getParent().resolve(".tandem/journal.jsonl");
        if (!Files.exists(journal)) {
            return "no journal (no commit ended on the node)";
        }
        List<String> lines = Files.readAllLines(journal);
        String last = lines.get(lines.size() - 1);
        return lines.size() + " line(s), the last: " + (last.contains("\"result\":\"APPLIED\"") ? "APPLIED" : last);
    }

    private static List<String> differing(Map<String, String> a, Map<String, String> b) {
        List<String> out = a.keySet().stream().filter(k -> !a.get(k).equals(b.get(k))).toList();
        return out.size() > 5 ? List.of(out.size() + " files, e.g. " + out.subList(0, 5)) : out;
    }

    private static void figure(String what, String value) {
        FIGURES.put(what, value);
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
