package io.tandem.node.config;

import java.nio.file.Path;
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
        return new ConfigScope(home, List.of("server/etc/**", "tomcat/conf/*.xml"), List.of("**/*.log"), 10_000,
                64L * 1024 * 1024);
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
