package io.tandem.node.config;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Globs over paths relative to the NFO home, {@code /}-separated, in {@link java.nio.file.FileSystem#getPathMatcher}
 * glob syntax ({@code *} within a directory, {@code **} across directories), with one convenience: a leading
 * {@code **}{@code /} also matches at the top level, so {@code **}{@code /*.log} matches {@code x.log} too.
 * One definition for the config roots' includes and excludes and for a pair's drift ignore list.
 */
public final class PathGlobs {

    private final List<String> globs;
    private final List<PathMatcher> matchers;

    private PathGlobs(List<String> globs, List<PathMatcher> matchers) {
        this.globs = List.copyOf(globs);
        this.matchers = List.copyOf(matchers);
    }

    /** @throws IllegalArgumentException naming the first glob that is blank, absolute, leaves the home or does not parse */
    public static PathGlobs of(List<String> globs) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            if (glob == null || glob.isBlank() || glob.startsWith("/") || glob.contains("..")) {
                throw new IllegalArgumentException("globs are relative to the home and stay inside it: " + glob);
            }
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                if (glob.startsWith("**/")) {
                    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a glob: " + glob + " (" + e.getMessage() + ")");
            }
        }
        return new PathGlobs(globs, matchers);
    }

    public boolean matches(String relative) {
        Path path = Path.of(relative);
        return matchers.stream().anyMatch(m -> m.matches(path));
    }

    public List<String> globs() {
        return globs;
    }
}
