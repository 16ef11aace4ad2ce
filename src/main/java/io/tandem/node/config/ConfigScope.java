package io.tandem.node.config;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which files under the NFO home make up "the configuration" (DOMAIN.md: this is site configuration, not known in
 * advance). Globs are relative to the home, {@code /}-separated, in {@link java.nio.file.FileSystem#getPathMatcher}
 * glob syntax ({@code *} within a directory, {@code **} across directories), with one convenience: a leading
 * {@code **}{@code /} also matches at the top level, so {@code **}{@code /*.log} excludes {@code x.log} too.
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
        matchers(includes); // fail on a bad glob now, not on the first request
        matchers(excludes);
    }

    /** The usual NFO configuration: server settings and Tomcat's XML configuration, without logs. */
    public static ConfigScope nfoDefaults(Path home) {
        return new ConfigScope(home, List.of("server/etc/**", "tomcat/conf/*.xml"), List.of("**/*.log"), 10_000,
                64L * 1024 * 1024);
    }

    Matcher matcher() {
        return new Matcher(matchers(includes), matchers(excludes));
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            if (glob.isBlank() || glob.startsWith("/") || glob.contains("..")) {
                throw new IllegalArgumentException("globs are relative to the home and stay inside it: " + glob);
            }
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            if (glob.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
            }
        }
        return matchers;
    }

    /** Decides membership of a relative, {@code /}-separated path. */
    record Matcher(List<PathMatcher> includes, List<PathMatcher> excludes) {
        boolean matches(String relative) {
            if (relative.equals(STATE_DIR) || relative.startsWith(STATE_DIR + "/")
                    || relative.contains(TEMP_MARKER)) {
                return false;
            }
            Path path = Path.of(relative);
            return includes.stream().anyMatch(m -> m.matches(path)) && excludes.stream().noneMatch(m -> m.matches(path));
        }
    }
}
