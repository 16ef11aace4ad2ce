package io.tandem.lab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeTarget;
import io.tandem.access.agent.AgentClient;
import io.tandem.access.agent.AgentNodeAccess;
import io.tandem.access.ssh.SshConnections;
import io.tandem.access.ssh.SshNodeAccess;
import io.tandem.access.ssh.SshSettings;
import io.tandem.agent.AgentPackage;
import io.tandem.node.config.CommitResult;
import io.tandem.node.config.CopyCheck;
import io.tandem.node.config.ManifestDiff;
import io.tandem.node.config.StagedFile;

/**
 * {@code bench copy}: Tandem's configuration copy against {@code rsync -a --checksum} on the same NFO-like tree,
 * between two directories on this machine standing in for the active and the passive. Three cases, each the median
 * of {@code --repeat} runs after one warm-up run: the first full copy (the passive has NFO's directories and none of
 * the files), a copy between identical trees (how fast "nothing to copy" is said), and a copy after one line changed
 * in a 1 MiB file (the issue's case: one file of 1 MB changed among 200). Bytes are counted on the wire by a relay
 * in front of each server, so TLS and SSH are included. Prints figures; asserts nothing.
 * <pre>
 * bench copy [--files N] [--repeat N] [--ssh HOST:PORT --user U --key FILE]
 * </pre>
 * Two agents are started as shipped (see {@link AgentProcess}), one per node. With {@code --ssh} (an SSH server on
 * this machine: the directories are made here) Tandem's SSH adapter and rsync over the same server are measured too;
 * without it rsync copies locally. The test classes' {@code SshCopyBench} runs this against the in-process SSH server.
 */
public final class CopyBench {

    static final List<String> INCLUDES = List.of("server/etc/**", "tomcat/conf/**");
    static final String CHANGED_FILE = "server/etc/geo/ip-ranges.csv";
    private static final Path RSYNC = Path.of("/usr/bin/rsync");

    private CopyBench() {
    }

    /** @param ssh null: no SSH server given, rsync copies locally and Tandem only through its agent */
    record Options(int files, int repeat, Ssh ssh) {

        record Ssh(String host, int port, String user, Path key) {
        }

        static final String USAGE = "usage: bench copy [--files N] [--repeat N] [--ssh HOST:PORT --user U --key FILE]";

        static Options parse(List<String> args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i += 2) {
                String name = args.get(i);
                if (!Set.of("--files", "--repeat", "--ssh", "--user", "--key").contains(name) || i + 1 >= args.size()) {
                    throw new IllegalArgumentException("unknown option or missing value: " + name);
                }
                given.put(name, args.get(i + 1));
            }
            int files = number(given, "--files", 200, 20, 10_000);
            int repeat = number(given, "--repeat", 5, 1, 100);
            if (!given.containsKey("--ssh")) {
                if (given.containsKey("--user") || given.containsKey("--key")) {
                    throw new IllegalArgumentException("--user and --key go with --ssh HOST:PORT");
                }
                return new Options(files, repeat, null);
            }
            Matcher hostPort = Pattern.compile("([^:]+):(\\d{1,5})").matcher(given.get("--ssh"));
            if (!hostPort.matches()) {
                throw new IllegalArgumentException("--ssh takes HOST:PORT, got '" + given.get("--ssh") + "'");
            }
            if (!given.containsKey("--user") || !given.containsKey("--key")) {
                throw new IllegalArgumentException("--ssh needs --user and --key");
            }
            return new Options(files, repeat, new Ssh(hostPort.group(1), Integer.parseInt(hostPort.group(2)), given.get("--user"),
                    Path.of(given.get("--key"))));
        }

        private static int number(Map<String, String> given, String name, int fallback, int min, int max) {
            String text = given.get(name);
            if (text == null) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " takes a number from " + min + " to " + max + ", got '" + text + "'");
        }
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return BenchCommand.run("copy", Options.USAGE, args, Options::parse, CopyBench::measure, out, err);
    }

    // ---- the cases ----

    enum Case {
        FULL("full copy"), NO_CHANGE("no change"), ONE_FILE("1 MiB file changed");

        final String label;

        Case(String label) {
            this.label = label;
        }
    }

    /** One run: wall time, bytes on the wire, and for Tandem its phases (compare, move, verify). */
    record Run(long nanos, long bytes, long[] phases) {
    }

    /** One way of copying the tree from its source directory to its target directory. */
    interface Copier extends AutoCloseable {
        String name();

        Path source();

        Path target();

        Run copy() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    private static void measure(Options options, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("tandem-copy-bench");
        List<Copier> copiers = new ArrayList<>();
        try {
            copiers.add(TandemCopy.overAgents(work.resolve("agent")));
            if (options.ssh() != null) {
                copiers.add(TandemCopy.overSsh(work.resolve("ssh"), options.ssh()));
            }
            boolean rsync = Files.isExecutable(RSYNC);
            if (rsync) {
                copiers.add(new RsyncCopy(work.resolve("rsync"), options.ssh()));
            }
            ConfigTree tree = null;
            for (Copier copier : copiers) {
                tree = ConfigTree.write(copier.source(), options.files());
                ConfigTree.write(copier.target(), options.files());
                ConfigTree.removeFiles(copier.target()); // a passive with NFO's directories, none of the active's files
            }
            Map<Case, List<Run>> medians = new LinkedHashMap<>();
            for (Case c : Case.values()) {
                List<Run> row = new ArrayList<>();
                for (Copier copier : copiers) {
                    row.add(median(c, copier, options.repeat()));
                }
                medians.put(c, row);
            }
            print(out, options, tree, copiers, medians, rsync);
        } finally {
            closeAll(new ArrayList<>(copiers));
            deleteTree(work);
        }
    }

    /** Runs the case {@code repeat} times after one warm-up run; checks the target holds the source's files after each. */
    private static Run median(Case c, Copier copier, int repeat) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i <= repeat; i++) {
            switch (c) {
                case FULL -> ConfigTree.removeFiles(copier.target());
                case NO_CHANGE -> {
                }
                case ONE_FILE -> ConfigTree.changeOneLine(copier.source(), i);
            }
            Run run = copier.copy();
            if (!ConfigTree.digest(copier.source()).equals(ConfigTree.digest(copier.target()))) {
                throw new IllegalStateException(copier.name() + " left the target different from the source (" + c.label + ")");
            }
            if (i > 0) {
                runs.add(run);
            }
        }
        runs.sort(java.util.Comparator.comparingLong(Run::nanos));
        return runs.get(runs.size() / 2);
    }

    private static void print(PrintStream out, Options options, ConfigTree tree, List<Copier> copiers, Map<Case, List<Run>> medians,
                              boolean rsync) throws Exception {
        out.printf(Locale.ROOT, "tree      %d files, %s (%d of 0.5-1 MiB, the rest 0.2-16 KiB) under %s%n", tree.files(),
                human(tree.bytes()), ConfigTree.LARGE.size(), String.join(" and ", INCLUDES));
        out.printf(Locale.ROOT, "runs      median of %d after one warm-up, each copy checked against the source afterwards%n",
                options.repeat());
        out.printf(Locale.ROOT, "machine   %d cores, load average %.1f; %s; SSH %s%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                rsync ? RsyncCopy.version() : "rsync not installed (" + RSYNC + "): Tandem's figures only",
                options.ssh() == null ? "not given (--ssh): rsync copies locally" : options.ssh().host() + ":" + options.ssh().port());
        out.println();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-20s", "case"));
        for (Copier copier : copiers) {
            header.append(String.format(Locale.ROOT, "  %-24s", copier.name()));
        }
        out.println(header.toString().stripTrailing());
        for (Map.Entry<Case, List<Run>> row : medians.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", row.getKey().label));
            for (Run run : row.getValue()) {
                line.append(String.format(Locale.ROOT, "  %7.0f ms %12s   ", run.nanos() / 1e6, human(run.bytes())));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        out.println("Tandem's copy: both manifests at once (SHA-256 of every file, unchanged files from the agent's cache), read");
        out.println("the differing files from the source, stage them on the target (hash checked there), commit (backup, fsync,");
        out.println("atomic swap), the target's manifest again checked against what was staged; the restart of NFO that");
        out.println("COPY_CONFIG adds is left out (rsync restarts nothing).");
        out.println("bytes: both directions on the wire (TLS, SSH included). Tandem's console sits between the nodes, so a file");
        out.println(options.ssh() == null
                ? "crosses twice; rsync's figure is its own count between its two local processes (whole files: no SSH, no delta)."
                : "crosses twice; rsync runs on the source and sends it once, the changed blocks only.");
        out.println("Tandem's phases, ms (compare / read+stage+commit / check the target):");
        for (int i = 0; i < copiers.size(); i++) {
            if (medians.get(Case.FULL).get(i).phases() == null) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-18s", copiers.get(i).name()));
            for (Map.Entry<Case, List<Run>> row : medians.entrySet()) {
                long[] phases = row.getValue().get(i).phases();
                line.append(String.format(Locale.ROOT, "  %s %.0f / %.0f / %.0f;", row.getKey().label, phases[0] / 1e6,
                        phases[1] / 1e6, phases[2] / 1e6));
            }
            out.println(line.substring(0, line.length() - 1));
        }
        if (rsync && options.ssh() != null) {
            out.printf(Locale.ROOT, "ssh connection setup (ssh ... true), paid by every rsync run: %.0f ms; Tandem's connections "
                    + "were open, as in a running console%n", RsyncCopy.sshSetupNanos(options.ssh(), options.repeat()) / 1e6);
        }
    }

    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    // ---- Tandem ----

    /**
     * The copy through one adapter, as COPY_CONFIG's steps make it (the copy in {@code operation.OperationPlans}):
     * compare both manifests, read each differing file from the source, stage them on the target, commit, compare
     * again. The console keeps its connections open, so the first call (the warm-up run) opens them.
     */
    static final class TandemCopy implements Copier {
        private final String name;
        private final NodeAccess access;
        private final NodeTarget source;
        private final NodeTarget target;
        private final List<CountingRelay> relays;
        private final List<AutoCloseable> resources;

        private TandemCopy(String name, NodeAccess access, NodeTarget source, NodeTarget target, List<CountingRelay> relays,
                           List<AutoCloseable> resources) {
            this.name = name;
            this.access = access;
            this.source = source;
            this.target = target;
            this.relays = relays;
            this.resources = resources;
        }

        /** One agent per node, each started as shipped, each behind its own relay. */
        static TandemCopy overAgents(Path dir) throws Exception {
            List<AutoCloseable> resources = new ArrayList<>();
            List<CountingRelay> relays = new ArrayList<>();
            NodeTarget[] nodes = new NodeTarget[2];
            try {
                for (int i = 0; i < 2; i++) {
                    String name = i == 0 ? "source" : "target";
                    Path home = Files.createDirectories(dir.resolve(name));
                    Path state = dir.resolve(name + "-agent");
                    AgentPackage.InitOutput init = AgentProcess.init(state);
                    Path config = AgentProcess.writeBenchConfig(state.resolve("bench-agent.yml"), state,
                            "nfo: {home: '" + home + "', config: {include: [\"" + String.join("\", \"", INCLUDES) + "\"]}}\n");
                    int port = AgentProcess.freePort();
                    AgentProcess agent = AgentProcess.start(AgentBench.launcher(null), config, port, dir.resolve(name + "-agent.log"));
                    resources.add(agent);
                    agent.awaitHealthy(new AgentClient("127.0.0.1", port, init.fingerprint(), init.token(),
                            AgentProcess.pollingSettings()), Duration.ofMinutes(2));
                    CountingRelay relay = new CountingRelay(port);
                    resources.add(relay);
                    relays.add(relay);
                    nodes[i] = node(name, NodeTarget.Transport.AGENT, null, relay.port(), init.token(), init.fingerprint(), home);
                }
            } catch (Exception e) {
                closeAll(resources);
                throw e;
            }
            return new TandemCopy("Tandem via agent", new AgentNodeAccess(), nodes[0], nodes[1], relays, resources);
        }

        /** Both nodes on one SSH server (this machine), reached through one relay; the host key pinned on first contact. */
        static TandemCopy overSsh(Path dir, Options.Ssh ssh) throws Exception {
            CountingRelay relay = new CountingRelay(ssh.port());
            SshConnections connections = new SshConnections(SshSettings.defaults());
            List<AutoCloseable> resources = List.of(relay, connections);
            SshNodeAccess access = new SshNodeAccess(connections, Clock.systemUTC());
            NodeTarget[] nodes = new NodeTarget[2];
            try {
                String key = Files.readString(ssh.key());
                for (int i = 0; i < 2; i++) {
                    String name = i == 0 ? "source" : "target";
                    Path home = Files.createDirectories(dir.resolve(name));
                    NodeTarget unpinned = node(name, NodeTarget.Transport.SSH, ssh.user(), relay.port(), key, null, home);
                    nodes[i] = node(name, NodeTarget.Transport.SSH, ssh.user(), relay.port(), key,
                            access.presentedKey(unpinned).fingerprint(), home);
                }
            } catch (Exception e) {
                closeAll(resources);
                throw e;
            }
            return new TandemCopy("Tandem via SSH", access, nodes[0], nodes[1], List.of(relay), resources);
        }

        private static NodeTarget node(String name, NodeTarget.Transport transport, String user, int port, String credential,
                                       String pin, Path home) {
            return new NodeTarget(UUID.randomUUID(), name, "127.0.0.1", transport, user, port, port, credential, pin, false,
                    home.toString(), "nfo.service", INCLUDES, List.of(), Set.of(9555), false);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Path source() {
            return Path.of(source.nfoHome());
        }

        @Override
        public Path target() {
            return Path.of(target.nfoHome());
        }

        @Override
        public Run copy() throws Exception {
            long bytesBefore = bytes();
            long start = System.nanoTime();
            List<String> toCopy = toCopy();
            long compared = System.nanoTime();
            CommitResult committed = null;
            Map<String, String> staged = new LinkedHashMap<>();
            if (!toCopy.isEmpty()) {
                List<StagedFile> files = new ArrayList<>();
                for (String path : toCopy) {
                    StagedFile file = StagedFile.of(access.readFile(source, path));
                    files.add(file);
                    staged.put(file.path(), file.expectedSha256());
                }
                String changeId = "bench-copy-" + UUID.randomUUID().toString().substring(0, 8);
                access.stage(target, changeId, files);
                committed = access.commit(target, changeId);
            }
            long moved = System.nanoTime();
            if (committed != null) {
                List<String> wrong = CopyCheck.notLanded(staged, committed, access.manifest(target));
                if (!wrong.isEmpty()) {
                    throw new IllegalStateException(name + ": not as copied after the copy: " + wrong);
                }
            }
            long end = System.nanoTime();
            return new Run(end - start, bytes() - bytesBefore, new long[] {compared - start, moved - compared, end - moved});
        }

        /** What the copy writes: files whose content differs, and files only the source has (both manifests at once). */
        private List<String> toCopy() throws Exception {
            CopyCheck.Manifests both = CopyCheck.both(() -> access.manifest(source), () -> access.manifest(target));
            ManifestDiff diff = ManifestDiff.between(both.first(), both.second());
            if (!diff.uncomparable().isEmpty()) {
                throw new IllegalStateException("too large to hash: " + diff.uncomparable());
            }
            return Stream.concat(diff.differing().stream(), diff.onlyInA().stream()).sorted().toList();
        }

        private long bytes() {
            return relays.stream().mapToLong(CountingRelay::bytes).sum();
        }

        @Override
        public void close() {
            closeAll(resources);
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        List<AutoCloseable> newestFirst = new ArrayList<>(resources);
        java.util.Collections.reverse(newestFirst);
        for (AutoCloseable resource : newestFirst) {
            try {
                resource.close();
            } catch (Exception e) {
                // the bench is over; what is left is in a temporary directory
            }
        }
    }

    // ---- rsync ----

    /** {@code rsync -a --checksum} from the source directory to the target, over SSH through a relay when given one. */
    static final class RsyncCopy implements Copier {
        private static final Pattern STAT = Pattern.compile("Total bytes (?:sent|received): ([\\d,.]+)");

        private final Path source;
        private final Path target;
        private final Options.Ssh ssh;
        private final CountingRelay relay;

        RsyncCopy(Path dir, Options.Ssh ssh) throws IOException {
            this.source = Files.createDirectories(dir.resolve("source"));
            this.target = Files.createDirectories(dir.resolve("target"));
            this.ssh = ssh;
            this.relay = ssh == null ? null : new CountingRelay(ssh.port());
        }

        @Override
        public String name() {
            return ssh == null ? "rsync (local, no SSH)" : "rsync -a --checksum/SSH";
        }

        @Override
        public Path source() {
            return source;
        }

        @Override
        public Path target() {
            return target;
        }

        @Override
        public Run copy() throws Exception {
            List<String> command = new ArrayList<>(List.of(RSYNC.toString(), "-a", "--checksum", "--stats"));
            if (ssh != null) {
                command.addAll(List.of("-e", String.join(" ", sshCommand(ssh, relay.port()))));
            }
            command.add(source + "/");
            command.add(ssh == null ? target + "/" : ssh.user() + "@" + ssh.host() + ":" + target + "/");
            long before = ssh == null ? 0 : relay.bytes();
            long start = System.nanoTime();
            String output = run(command);
            long nanos = System.nanoTime() - start;
            long bytes = ssh == null ? statBytes(output) : relay.bytes() - before;
            return new Run(nanos, bytes, null);
        }

        /** rsync's own count (protocol bytes between its two processes) for a local copy, where nothing crosses a wire. */
        static long statBytes(String output) {
            Matcher m = STAT.matcher(output);
            long total = 0;
            while (m.find()) {
                total += Long.parseLong(m.group(1).replaceAll("[,.]", ""));
            }
            return total;
        }

        static List<String> sshCommand(Options.Ssh ssh, int port) {
            return List.of("ssh", "-p", Integer.toString(port), "-i", ssh.key().toString(), "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR");
        }

        static long sshSetupNanos(Options.Ssh ssh, int repeat) throws Exception {
            List<String> command = new ArrayList<>(sshCommand(ssh, ssh.port()));
            command.addAll(List.of(ssh.user() + "@" + ssh.host(), "true"));
            long[] nanos = new long[repeat];
            for (int i = 0; i < repeat; i++) {
                long start = System.nanoTime();
                run(command);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            return nanos[repeat / 2];
        }

        static String version() throws Exception {
            String first = run(List.of(RSYNC.toString(), "--version")).lines().findFirst().orElse("rsync");
            return first.replaceAll("\\s+", " ").replaceAll(" protocol version.*", "");
        }

        private static String run(List<String> command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
            }
            return output;
        }

        @Override
        public void close() {
            if (relay != null) {
                relay.close();
            }
        }
    }

    // ---- the tree ----

    /**
     * An NFO-like configuration: a few large lookup tables (the first is the one that changes) and many small files
     * (server settings, one file per exporter, module XML, filters, Tomcat's XML), the same bytes on every call.
     */
    record ConfigTree(int files, long bytes) {

        static final List<String> LARGE = List.of(CHANGED_FILE, "server/etc/geo/asn.csv", "server/etc/reputation/blocklist.txt",
                "server/etc/mappings/interfaces.csv");
        private static final int[] LARGE_SIZES = {1 << 20, 1 << 20, 768 << 10, 512 << 10};
        private static final List<String> SMALL_DIRS = List.of("server/etc/exporters", "server/etc/modules", "server/etc/filters",
                "server/etc/outputs", "tomcat/conf");

        static ConfigTree write(Path home, int count) throws IOException {
            Random random = new Random(13);
            long total = 0;
            for (int i = 0; i < LARGE.size(); i++) {
                total += write(home.resolve(LARGE.get(i)), lines(random, LARGE_SIZES[i], "10.%d.%d.0/24,AS%d,site-%d"));
            }
            for (int i = 0; i < count - LARGE.size(); i++) {
                String dir = SMALL_DIRS.get(i % SMALL_DIRS.size());
                String file = dir.endsWith("conf") || dir.endsWith("modules") ? "file-%03d.xml" : "file-%03d.cfg";
                int size = 200 + random.nextInt(1 << (7 + random.nextInt(7))); // 0.2 to 16 KiB, most of them small
                total += write(home.resolve(dir).resolve(String.format(Locale.ROOT, file, i)),
                        lines(random, size, "SETTING_%d value-%d %d # %d"));
            }
            return new ConfigTree(count, total);
        }

        private static byte[] lines(Random random, int size, String format) {
            StringBuilder text = new StringBuilder(size + 64);
            while (text.length() < size) {
                text.append(String.format(Locale.ROOT, format, random.nextInt(256), random.nextInt(256), random.nextInt(65536),
                        random.nextInt(1000))).append('\n');
            }
            text.setLength(size - 1);
            return text.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
        }

        private static long write(Path file, byte[] bytes) throws IOException {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return bytes.length;
        }

        /** Rewrites one line in the middle of the changed file, differently each round, keeping its size. */
        static void changeOneLine(Path home, int round) throws IOException {
            Path file = home.resolve(CHANGED_FILE);
            byte[] bytes = Files.readAllBytes(file);
            int at = bytes.length / 2;
            while (bytes[at - 1] != '\n') {
                at++;
            }
            byte[] line = String.format(Locale.ROOT, "# edited %08d", round).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(line, 0, bytes, at, line.length);
            Files.write(file, bytes);
        }

        /** Removes every file of the tree, keeping its directories (and Tandem's own state beside them). */
        static void removeFiles(Path home) throws IOException {
            for (String top : List.of("server", "tomcat")) {
                try (Stream<Path> walk = Files.walk(home.resolve(top))) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }

        /** Paths and contents of the tree's files, for checking a copy. */
        static String digest(Path home) throws Exception {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String top : List.of("server", "tomcat")) {
                try (Stream<Path> walk = Files.walk(home.resolve(top))) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        sha.update(home.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                        sha.update(Files.readAllBytes(file));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Best effort: a command a node still runs after a failure may write while this deletes; that is left behind. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("bench copy: left " + dir + " behind (" + e + ")");
        }
    }
}
