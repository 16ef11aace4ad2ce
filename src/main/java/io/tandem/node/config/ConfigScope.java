package io.tandem.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which files under the NFO home make up "the configuration" (DOMAIN.md: this is site configuration, not known in
 * advance), as {@link PathGlobs} relative to the home.
 * Tandem's own area {@value #STATE_DIR} and our temporary swap files are always excluded.
 *
 * @param home the NFO home; resolved once to its real path, so a symlinked {@code /opt/flowintegrator} works
 * @param maxFiles the manifest stops (and says so) after this many files
 * @param maxHashBytes larger files are listed with a flag instead of hashed, and cannot be staged
 */
public record ConfigScope(Path home, List<String> includes, List<String> excludes, int maxFiles, long maxHashBytes) {

    public static final Path DEFAULT_HOME = Path.of("/opt/flowintegrator");
    public static final String STATE_DIR = ".tandem";
    static final String TEMP_MARKER = ".tandem-swap-";
    /** How many files a manifest lists before it stops and says it is truncated, on every transport. */
    public static final int DEFAULT_MAX_FILES = 10_000;

    /** What a path is, seen without following a link. */
    public enum Kind { MISSING, DIRECTORY, REGULAR_FILE, SYMLINK, OTHER }

    /**
     * Looks at one path relative to the home without following links: the local file system for the agent,
     * SFTP {@code lstat} for the agentless adapter, so both apply the same confinement rule.
     */
    @FunctionalInterface
    public interface Inspector<E extends Exception> {
        Kind lstat(String relative) throws E;
    }

    public ConfigScope {
        Objects.requireNonNull(home, "home");
        if (!home.isAbsolute()) {
            throw new IllegalArgumentException("home must be absolute: " + home);
        }
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        if (includes.isEmpty()) {
            throw new IllegalArgumentException("at least one include glob is required");
        }
        if (maxFiles < 1 || maxHashBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        PathGlobs.of(includes); // fail on a bad glob now, not on the first request
        PathGlobs.of(excludes);
    }

    /** The usual NFO configuration: server settings and Tomcat's XML configuration, without logs. */
    public static ConfigScope nfoDefaults(Path home) {
        return new ConfigScope(home, List.of("server/etc/**", "tomcat/conf/*.xml"), List.of("**/*.log"), DEFAULT_MAX_FILES,
                64L * 1024 * 1024);
    }

    /**
     * Refuses, with the same {@link ConfigRefusal} the agent answers, any path a client may not name: absolute,
     * {@code ..}/{@code .}/empty segments, NUL or backslash, outside the include globs or inside an exclude, or
     * with a symbolic link (or a non-directory) on the way. A missing file passes (it may be created).
     */
    public <E extends Exception> void confine(String relative, Inspector<E> inspector)
            throws ConfigRefusedException, E {
        SafeFiles.confine(matcher(), relative, inspector);
    }

    /** Whether a relative, {@code /}-separated path belongs to the configuration (globs, our own area excluded). */
    public boolean includes(String relative) {
        return matcher().matches(relative);
    }

    /**
     * The directories (relative to the home; {@code ""} for the home itself) below which every included file must
     * lie: the fixed leading segments of each include glob. A remote walk prints only what lies below them; which
     * files belong is still decided by {@link #includes}. Sorted, without roots nested in another.
     */
    public List<String> walkRoots() {
        java.util.TreeSet<String> roots = new java.util.TreeSet<>();
        for (String glob : includes) {
            String[] segments = glob.split("/");
            StringBuilder root = new StringBuilder();
            for (int i = 0; i < segments.length - 1 && !hasGlobSyntax(segments[i]); i++) {
                root.append(root.length() == 0 ? "" : "/").append(segments[i]);
            }
            roots.add(root.toString());
        }
        List<String> outermost = new ArrayList<>();
        for (String root : roots) {
            boolean nested = outermost.stream().anyMatch(r -> r.isEmpty() || root.startsWith(r + "/"));
            if (!nested) {
                outermost.add(root);
            }
        }
        return outermost;
    }

    private static boolean hasGlobSyntax(String segment) {
        return segment.chars().anyMatch(c -> "*?[]{}\\".indexOf(c) >= 0);
    }

    Matcher matcher() {
        return new Matcher(PathGlobs.of(includes), PathGlobs.of(excludes));
    }

    /** Decides membership of a relative, {@code /}-separated path. */
    record Matcher(PathGlobs includes, PathGlobs excludes) {
        boolean matches(String relative) {
            if (relative.equals(STATE_DIR) || relative.startsWith(STATE_DIR + "/")
                    || relative.contains(TEMP_MARKER)) {
                return false;
            }
            return includes.matches(relative) && !excludes.matches(relative);
        }
    }
}
