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

import org.junit.jupiter.api.Assumptions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Pacemaker lab (lab/pacemaker-lab.sh) as the lab tests drive and read it, independently of Tandem: the
 * script's commands, each node's real nftables ruleset, and the SIEM sink's per-second counts.
 */
final class PacemakerLab {

    static final Path SCRIPT = Path.of("lab", "pacemaker-lab.sh");
    /**
     * Its own state dir (TANDEM_LAB_STATE), not the default /var/tmp/tandem-lab: another checkout's lab user then
     * cannot take this lab down through the shared ledger, and `up` refuses to build over a lab it did not make.
     */
    static final Path STATE = Path.of("/var/tmp/tandem-lab-it");
    static final Path JAR = Path.of("target", "tandem.jar");
    static final Map<String, String> ADDRESS = Map.of("nfo-a", "10.77.0.11", "nfo-b", "10.77.0.12");
    static final String SINK = "10.77.0.2";
    /** The DRBD resource the lab's drbdsetup stand-in reports in Cold mode (lab/node/drbdsetup). */
    static final String DRBD_RESOURCE = "nfo-data";
    /** The lab's bridge; while it exists, someone's lab is up on this host (one lab per host). */
    private static final Path BRIDGE = Path.of("/sys/class/net/tlab0");
    private static final Duration LAB_BUSY_WAIT = Duration.ofMinutes(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The mode the lab was last brought up in by this JVM, or null when it is down. */
    private static String mode;

    private PacemakerLab() {
    }

    /** Skips the calling test with a clear reason when this machine cannot run the lab. */
    static void assumeRunnable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the Pacemaker lab needs root");
        for (String tool : List.of("/usr/sbin/corosync", "/usr/sbin/pacemakerd", "/usr/sbin/pcs", "/usr/sbin/nft",
                "/usr/sbin/sshd", "/usr/bin/tcpdump")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)),
                    "the Pacemaker lab needs " + tool + " (bash lab/install-packages.sh installs it)");
        }
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "the Pacemaker lab runs " + JAR + " (run it with ./mvnw verify)");
    }

    /**
     * Brings the lab up in {@code wanted} mode ("hot" or "cold") unless this JVM already did; returns how long it took
     * in milliseconds, or -1 when it was up already. A lab in the other mode is taken down first.
     */
    static long upIn(String wanted) throws Exception {
        if (wanted.equals(mode)) {
            run("wait-online", "90");
            return -1;
        }
        down();
        awaitNoOtherLab();
        long started = System.nanoTime();
        run("up", "--mode", wanted, "--jar", JAR.toString(),
                "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        mode = wanted;
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /**
     * Brings the lab up bare ({@code up --bare}: pcsd, the hacluster password, agents and NFO standalone, no cluster)
     * in {@code wanted} mode unless this JVM already did; milliseconds it took, or -1 when it was up already.
     */
    static long upBare(String wanted) throws Exception {
        if ((wanted + "-bare").equals(mode)) {
            return -1;
        }
        down();
        awaitNoOtherLab();
        long started = System.nanoTime();
        run("up", "--bare", "--mode", wanted, "--jar", JAR.toString(),
                "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        mode = wanted + "-bare";
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** The hacluster password of a bare lab, as {@code status} prints it. */
    static String haclusterPassword() throws Exception {
        return run("status").lines().filter(l -> l.startsWith("hacluster-password=")).findFirst()
                .map(l -> l.substring("hacluster-password=".length()).strip())
                .orElseThrow(() -> new IllegalStateException("the lab is not bare: status prints no hacluster-password"));
    }

    /**
     * Registers the lab pair as an operator would (credential from the lab, key pinned after comparing it); a pair of
     * that name left by an earlier run is removed first.
     */
    static io.tandem.fleet.ClusterView register(io.tandem.fleet.FleetService fleet, io.tandem.access.NodeConnections connections,
                                                String name, io.tandem.fleet.ClusterMode mode, io.tandem.fleet.AccessKind access)
            throws Exception {
        fleet.list().stream().filter(c -> c.name().equals(name)).forEach(old -> fleet.delete(old.id()));
        List<io.tandem.fleet.NodeSpec> nodes = new ArrayList<>();
        boolean agent = access == io.tandem.fleet.AccessKind.AGENT;
        for (String node : List.of("nfo-a", "nfo-b")) {
            String home = mode == io.tandem.fleet.ClusterMode.COLD ? "/var/lib/nfo-lab/shared" : "/var/lib/nfo-lab/" + node;
            nodes.add(new io.tandem.fleet.NodeSpec(node, ADDRESS.get(node), access, agent ? null : "root", agent ? null : 22,
                    agent ? 7443 : null, home, "nfo.service", List.of("server/etc/**"), null,
                    List.of(9555), agent ? agentIdentity(node).get("token") : sshKey()));
        }
        io.tandem.fleet.ClusterView cluster = fleet.create(new io.tandem.fleet.ClusterSpec(name, mode, "Pacemaker lab via " + access,
                "nfo", "nfo-vip", "nfo-gate", mode == io.tandem.fleet.ClusterMode.COLD ? DRBD_RESOURCE : null, nodes));
        for (io.tandem.fleet.ClusterView.NodeView node : cluster.nodes()) {
            connections.pin(cluster.id(), node.id(), agent ? agentIdentity(node.name()).get("fingerprint")
                    : sshHostKeyFingerprint(node.name()));
        }
        return fleet.get(cluster.id());
    }

    static void down() throws Exception {
        mode = null;
        run("down");
    }

    /** Runs a lab command (pacemaker-lab.sh ARGS) and returns its output; a failure fails the test. */
    static String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return command(command);
    }

    /** The node where Pacemaker runs the VIP now, i.e. the active one. */
    static String vipNode() throws Exception {
        String located = run("exec", "nfo-a", "crm_resource", "--locate", "--resource", "nfo-vip");
        return located.contains("running on: nfo-b") ? "nfo-b" : "nfo-a";
    }

    /**
     * The node holding the VIP once Pacemaker places it on exactly one: right after a partition heals both nodes may
     * run it until Pacemaker's recovery stops one, and {@code crm_resource --locate} then lists both.
     */
    static String settledVipNode(java.time.Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String located = "";
        while (System.nanoTime() < deadline) {
            located = run("exec", "nfo-a", "crm_resource", "--locate", "--resource", "nfo-vip");
            long places = located.lines().filter(line -> line.contains("running on:")).count();
            if (places == 1) {
                return located.contains("running on: nfo-b") ? "nfo-b" : "nfo-a";
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("Pacemaker did not place nfo-vip on exactly one node within " + limit + ": " + located);
    }

    static String other(String node) {
        return node.equals("nfo-a") ? "nfo-b" : "nfo-a";
    }

    /** The node's real nftables table of the output gate, read without Tandem. */
    static String gateRules(String node) throws Exception {
        return command(List.of("ip", "netns", "exec", "tlab-" + node, "nft", "list", "table", "inet", "tandem"));
    }

    /** The agent's access token and certificate fingerprint, as `agent init` printed them once. */
    static Map<String, String> agentIdentity(String node) throws Exception {
        Map<String, String> identity = new LinkedHashMap<>();
        for (String line : Files.readAllLines(STATE.resolve("nodes").resolve(node).resolve("agent/identity"))) {
            int eq = line.indexOf('=');
            identity.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return identity;
    }

    /** The node's host key as ssh-keygen prints it ({@code SHA256:...}), what an operator compares before pinning. */
    static String sshHostKeyFingerprint(String node) throws Exception {
        String line = command(List.of("ssh-keygen", "-l", "-f",
                STATE.resolve("nodes").resolve(node).resolve("ssh/ssh_host_ed25519_key.pub").toString()));
        return line.split(" ")[1];
    }

    static String sshKey() throws Exception {
        return Files.readString(STATE.resolve("ssh/id_ed25519"));
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

    /**
     * Watches the real ruleset of a node (not through Tandem) every 50 ms and notes when its gate drop rules vanish:
     * the moment Pacemaker's start of nfo-gate opened the output there.
     */
    static final class GateWatch {
        private final AtomicLong openedAt = new AtomicLong();
        private final Thread thread;

        private GateWatch(String node) {
            thread = new Thread(() -> {
                while (openedAt.get() == 0 && !Thread.currentThread().isInterrupted()) {
                    try {
                        if (!gateRules(node).contains("tandem-gate")) {
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

        /** The {@link System#nanoTime()} at which the gate opened. */
        long awaitOpen(Duration within) throws InterruptedException {
            thread.join(within.toMillis());
            thread.interrupt();
            assertThat(openedAt.get()).as("the gate opened").isNotZero();
            return openedAt.get();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // the SIEM sink (lab sink writes its per-second counts to <state>/client/sink.json every second)
    // ---------------------------------------------------------------------------------------------------------

    /** Records per arrival second and node. */
    static TreeMap<Long, Map<String, Long>> sinkCounts() throws Exception {
        JsonNode report = JSON.readTree(Files.readString(STATE.resolve("client/sink.json")));
        TreeMap<Long, Map<String, Long>> counts = new TreeMap<>();
        for (var second : report.get("countsBySecond").properties()) {
            Map<String, Long> byNode = new LinkedHashMap<>();
            second.getValue().properties().forEach(n -> byNode.put(n.getKey(), n.getValue().asLong()));
            counts.put(Long.parseLong(second.getKey()), byNode);
        }
        return counts;
    }

    /** Per exporter ({@code address/domain}), the records the sink counted lost and duplicated, from their identities. */
    static Map<String, long[]> sinkLedger() throws Exception {
        JsonNode report = JSON.readTree(Files.readString(STATE.resolve("client/sink.json")));
        Map<String, long[]> ledger = new TreeMap<>();
        for (var exporter : report.get("exporters").properties()) {
            JsonNode c = exporter.getValue();
            ledger.put(exporter.getKey(), new long[] {c.get("records").asLong(), c.get("lost").asLong(), c.get("duplicated").asLong()});
        }
        return ledger;
    }

    /** The nodes whose records reached the SIEM from {@code fromSecond} on. */
    static List<String> nodesAtSink(long fromSecond) throws Exception {
        return sinkCounts().tailMap(fromSecond, true).values().stream()
                .flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
    }

    /** Waits until the sink has counted {@code seconds} full seconds from {@code fromSecond} on. */
    static void awaitSinkSeconds(long fromSecond, int seconds, Duration within) throws Exception {
        long until = fromSecond + seconds;
        long deadline = System.nanoTime() + within.toNanos();
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
     * What the SIEM saw around a takeover from {@code fromSecond} to {@code toSecond}. The sink counts per second, so
     * the output gap is estimated in records: the steady rate (the median records per second in the window) minus
     * what arrived, summed over the window, and given in seconds at that rate as well. Duplicate data shows as seconds
     * with records of both nodes (a hand-over inside one second would show as one such second without any duplicate).
     */
    static SinkWindow sinkWindow(long fromSecond, long toSecond) throws Exception {
        TreeMap<Long, Map<String, Long>> counts = sinkCounts();
        List<Long> totals = new ArrayList<>();
        int secondsWithBoth = 0;
        int run = 0;
        int longest = 0;
        for (long second = fromSecond; second <= toSecond; second++) {
            Map<String, Long> byNode = counts.getOrDefault(second, Map.of());
            totals.add(byNode.values().stream().mapToLong(Long::longValue).sum());
            boolean both = byNode.containsKey("nfo-a") && byNode.containsKey("nfo-b");
            secondsWithBoth += both ? 1 : 0;
            run = both ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        long rate = totals.stream().sorted().toList().get(totals.size() / 2);
        long lost = totals.stream().mapToLong(t -> Math.max(0, rate - t)).sum();
        return new SinkWindow(rate, lost, secondsWithBoth, longest, new TreeMap<>(counts.subMap(fromSecond, true, toSecond, true)));
    }

    record SinkWindow(long ratePerSecond, long lostRecords, int secondsWithBoth, int longestDoubleOpenSeconds,
                      Map<Long, Map<String, Long>> counts) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "gap ~%d records (~%.1f s of output at %d/s), %d s with records of both nodes; per second: %s",
                    lostRecords, ratePerSecond == 0 ? 0.0 : (double) lostRecords / ratePerSecond, ratePerSecond, secondsWithBoth, counts);
        }
    }

    static long nowSecond() {
        return Math.floorDiv(System.currentTimeMillis(), 1000);
    }

    /** Runs a command with a limit; its output goes to a file so that a hung command cannot block the read. */
    static String command(List<String> command) throws Exception {
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
