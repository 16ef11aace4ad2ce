package io.tandem.access.ssh;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.tandem.node.CommandResult;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigManifest.SkipReason;
import io.tandem.node.config.ConfigRefusal;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigScope;
import io.tandem.node.config.ManifestEntry;

/**
 * The configuration manifest of a node, taken with the node's own {@code find} and {@code sha256sum} (GNU) in two
 * round trips: one listing of everything below the include globs' fixed directories, then one hash of exactly the
 * files the scope's globs accept ({@link ConfigManifest.Builder}, the agent's own rules). {@code find} never
 * follows a link ({@code -P}), so a link is listed as a link and never walked through, in or out of the home.
 */
final class SshManifest {

    /** Type, size, permission bits, mtime, owner, group, path: NUL-separated, since a file name may hold a newline. */
    private static final String FORMAT = "%y\\0%s\\0%m\\0%T@\\0%u\\0%g\\0%P\\0";
    private static final int FIELDS = 7;
    /** Our exit code when the home cannot be entered, told apart from find's own failures. */
    private static final int NO_HOME = 3;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** One {@code sha256sum -z} line: hash, space, a space or '*' (binary mode), then the name. */
    private static final int HASH_PREFIX = 66;

    private final SshToolRunner tools;
    private final Duration timeout;
    private final int maxOutputBytes;

    SshManifest(SshToolRunner tools, Duration timeout, int maxOutputBytes) {
        this.tools = tools;
        this.timeout = timeout;
        this.maxOutputBytes = maxOutputBytes;
    }

    ConfigManifest take(String home, ConfigScope scope) throws NodeAccessException, ConfigRefusedException {
        ConfigManifest.Builder builder = new ConfigManifest.Builder(scope);
        List<Listed> candidates = new ArrayList<>();
        for (Listed listed : list(home, scope, builder)) {
            if (!builder.wants(listed.path())) {
                continue;
            }
            switch (listed.type()) {
                case 'f' -> candidates.add(listed);
                case 'l' -> builder.skip(listed.path(), SkipReason.SYMLINK);
                case 'd' -> builder.skip(listed.path(), SkipReason.UNREADABLE); // only unreadable directories are printed
                default -> builder.skip(listed.path(), SkipReason.NOT_A_REGULAR_FILE);
            }
        }
        candidates.sort(Comparator.comparing(Listed::path));
        List<Listed> kept = new ArrayList<>();
        for (Listed candidate : candidates) {
            if (kept.size() >= scope.maxFiles()) {
                builder.incomplete();
                break;
            }
            kept.add(candidate);
        }
        Map<String, String> hashes = hash(home, kept.stream().filter(f -> f.size() <= scope.maxHashBytes())
                .map(Listed::path).toList());
        for (Listed file : kept) {
            String sha = hashes.get(file.path());
            if (file.size() <= scope.maxHashBytes() && sha == null) {
                builder.skip(file.path(), SkipReason.UNREADABLE); // sha256sum could not read it
            } else {
                builder.add(new ManifestEntry(file.path(), file.size(), ManifestEntry.mode(file.mode()), file.mtime(),
                        sha, file.owner(), file.group()));
            }
        }
        return builder.build();
    }

    private record Listed(char type, long size, int mode, Instant mtime, String owner, String group, String path) {
    }

    private List<Listed> list(String home, ConfigScope scope, ConfigManifest.Builder builder)
            throws NodeAccessException, ConfigRefusedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "cd -- \"$1\" 2>/dev/null || exit " + NO_HOME + "; shift; exec find -P . \"$@\"", "tandem-manifest", home,
                "-path", "./" + ConfigScope.STATE_DIR, "-prune", "-o"));
        List<String> roots = scope.walkRoots();
        if (!roots.contains("")) {
            argv.add("(");
            for (int i = 0; i < roots.size(); i++) {
                argv.addAll(i == 0 ? List.of() : List.of("-o"));
                argv.addAll(List.of("-path", "./" + roots.get(i) + "/*"));
            }
            argv.add(")");
        }
        // Files of every kind, and the directories find cannot enter (the local walk reports those as unreadable).
        argv.addAll(List.of("(", "!", "-type", "d", "-o", "(", "!", "-readable", "-o", "!", "-executable", ")", ")",
                "-printf", FORMAT));
        CommandResult result = tools.run(SshNodeAccess.stable(argv), timeout);
        if (result.exitCode() == NO_HOME) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, home, "the NFO home does not exist");
        }
        // find exits 1 after directories it could not read and still lists the rest; any other complaint is a failure.
        boolean onlyUnreadable = result.exitCode() == 1 && !result.stdout().isEmpty()
                && result.stderr().lines().allMatch(line -> line.contains("Permission denied"));
        if (result.exitCode() != 0 && !onlyUnreadable) {
            throw new NodeAccessException.BadAnswer("listing the configuration under " + home + " failed (exit "
                    + result.exitCode() + "): " + result.firstErrorLine(), null);
        }
        String[] fields = result.stdout().split("\0", -1);
        int complete = (fields.length - 1) / FIELDS; // the output ends with a separator
        if (result.truncated()) {
            builder.incomplete();
            complete = Math.max(0, complete - 1); // the last record may be cut inside a field
        }
        List<Listed> listed = new ArrayList<>(complete);
        for (int i = 0; i < complete; i++) {
            int at = i * FIELDS;
            if (fields[at].length() != 1 || fields[at + 6].isEmpty()) {
                throw new NodeAccessException.BadAnswer("find printed a record that is not a file listing: "
                        + printable(fields[at]), null);
            }
            try {
                listed.add(new Listed(fields[at].charAt(0), Long.parseLong(fields[at + 1]),
                        Integer.parseInt(fields[at + 2], 8), mtime(fields[at + 3]), fields[at + 4], fields[at + 5],
                        fields[at + 6]));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new NodeAccessException.BadAnswer("find printed an unreadable size, mode or time for "
                        + printable(fields[at + 6]), e);
            }
        }
        return listed;
    }

    /**
     * {@code sha256sum -z} of the given relative paths, fed as NUL-separated names on stdin (no argument length
     * limit), in batches small enough that each answer fits the output cap.
     */
    private Map<String, String> hash(String home, List<String> paths) throws NodeAccessException {
        Map<String, String> hashes = new HashMap<>();
        List<String> batch = new ArrayList<>();
        long expected = 0;
        for (String path : paths) {
            long line = HASH_PREFIX + path.getBytes(StandardCharsets.UTF_8).length + 1L;
            if (!batch.isEmpty() && expected + line > maxOutputBytes / 2) {
                hashBatch(home, batch, hashes);
                batch.clear();
                expected = 0;
            }
            batch.add(path);
            expected += line;
        }
        if (!batch.isEmpty()) {
            hashBatch(home, batch, hashes);
        }
        return hashes;
    }

    private void hashBatch(String home, List<String> batch, Map<String, String> hashes) throws NodeAccessException {
        StringBuilder names = new StringBuilder();
        batch.forEach(path -> names.append(path).append('\0'));
        List<String> argv = List.of("sh", "-c",
                "cd -- \"$1\" 2>/dev/null || exit " + NO_HOME + "; exec xargs -0 -r sha256sum -z --", "tandem-hash", home);
        CommandResult result = tools.run(SshNodeAccess.stable(argv), names.toString().getBytes(StandardCharsets.UTF_8),
                timeout);
        if (result.exitCode() != 0 && result.exitCode() != 123 && result.exitCode() != 1) {
            // 123: xargs saw sha256sum fail for some file (unreadable); those are simply absent from the answer
            throw new NodeAccessException.BadAnswer("hashing the configuration under " + home + " failed (exit "
                    + result.exitCode() + "): " + result.firstErrorLine(), null);
        }
        if (result.truncated()) {
            throw new NodeAccessException.BadAnswer("sha256sum answered more than " + maxOutputBytes + " bytes", null);
        }
        hashes.putAll(hashes(result.stdout(), batch));
    }

    /** Parses {@code sha256sum -z} output, accepting only hashes of the files asked for. */
    static Map<String, String> hashes(String stdout, List<String> asked) throws NodeAccessException {
        java.util.Set<String> wanted = new java.util.HashSet<>(asked);
        Map<String, String> hashes = new HashMap<>();
        for (String line : stdout.split("\0")) {
            if (line.isEmpty()) {
                continue;
            }
            String sha = line.length() > HASH_PREFIX ? line.substring(0, 64) : "";
            String path = line.length() > HASH_PREFIX ? line.substring(HASH_PREFIX) : "";
            if (!SHA256.matcher(sha).matches() || line.charAt(64) != ' ' || !wanted.contains(path)) {
                throw new NodeAccessException.BadAnswer("sha256sum printed a line that is not a hash of a file asked for: "
                        + printable(line), null);
            }
            hashes.put(path, sha);
        }
        return hashes;
    }

    private static Instant mtime(String secondsWithFraction) {
        BigDecimal seconds = new BigDecimal(secondsWithFraction);
        long whole = seconds.longValue();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 120 ? shown.substring(0, 120) + "..." : shown;
    }
}
