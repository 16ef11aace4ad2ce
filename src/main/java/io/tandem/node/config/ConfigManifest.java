package io.tandem.node.config;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configuration file under the NFO home, sorted by path. Symbolic links are never followed, whether they
 * point inside the home or out of it: they are listed in {@link #skipped()} instead, so the operator sees them
 * but Tandem never copies through one (copying a link's target would turn a link into a file on the peer).
 *
 * @param skipped paths matched by the globs but not listed as files, each with the reason
 * @param truncated the scope's file limit was reached; the list is incomplete
 */
public record ConfigManifest(List<ManifestEntry> files, List<Skipped> skipped, boolean truncated) {

    public enum SkipReason { SYMLINK, NOT_A_REGULAR_FILE, UNREADABLE }

    public record Skipped(String path, SkipReason reason) {
    }

    public ConfigManifest {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }

    public Map<String, ManifestEntry> byPath() {
        return files.stream().collect(Collectors.toMap(ManifestEntry::path, Function.identity()));
    }

    /** Walks the home once. Directories are entered only when they are real directories (not links). */
    public static ConfigManifest scan(ConfigScope scope) throws ConfigRefusedException {
        return scan(scope, null);
    }

    /** As {@link #scan(ConfigScope)}, taking the hashes of unchanged files from {@code cache} (null: hash them all). */
    public static ConfigManifest scan(ConfigScope scope, ManifestCache cache) throws ConfigRefusedException {
        Path home;
        try {
            home = scope.home().toRealPath();
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.NOT_FOUND, scope.home().toString(),
                    "the NFO home does not exist", e);
        }
        Builder builder = new Builder(scope);
        try {
            Files.walkFileTree(home, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.equals(home.resolve(ConfigScope.STATE_DIR)) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String relative = relative(home, file);
                    if (!builder.wants(relative)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) {
                        builder.skip(relative, SkipReason.SYMLINK);
                    } else if (!attrs.isRegularFile()) {
                        builder.skip(relative, SkipReason.NOT_A_REGULAR_FILE);
                    } else if (builder.full()) {
                        return FileVisitResult.TERMINATE;
                    } else {
                        try {
                            builder.add(entry(relative, file, scope.maxHashBytes(), cache));
                        } catch (IOException e) {
                            builder.skip(relative, SkipReason.UNREADABLE);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    String relative = relative(home, file);
                    if (builder.wants(relative)) {
                        builder.skip(relative, SkipReason.UNREADABLE);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ConfigRefusedException(ConfigRefusal.IO_ERROR, null, "cannot walk the NFO home", e);
        }
        return builder.build();
    }

    /**
     * Collects what a walk of the home saw into a manifest with the scope's rules (globs, our own area, the file
     * limit): the agent's local walk and the agentless adapter's remote listing both go through it, so a file is in
     * or out of the manifest for the same reasons on either transport.
     */
    public static final class Builder {
        private final ConfigScope.Matcher matcher;
        private final int maxFiles;
        private final List<ManifestEntry> files = new ArrayList<>();
        private final List<Skipped> skipped = new ArrayList<>();
        private boolean truncated;

        public Builder(ConfigScope scope) {
            this.matcher = scope.matcher();
            this.maxFiles = scope.maxFiles();
        }

        /** Whether a relative, {@code /}-separated path belongs to the configuration. */
        public boolean wants(String relative) {
            return matcher.matches(relative);
        }

        /**
         * True once the file limit is reached; the manifest is then marked truncated. Ask before hashing the next
         * file, so a huge tree costs no more than the limit.
         */
        public boolean full() {
            if (files.size() >= maxFiles) {
                truncated = true;
            }
            return truncated;
        }

        public void skip(String relative, SkipReason reason) {
            skipped.add(new Skipped(relative, reason));
        }

        public void add(ManifestEntry entry) {
            if (!full()) {
                files.add(entry);
            }
        }

        /** The walk itself was cut short (e.g. the listing exceeded what the transport carries). */
        public void incomplete() {
            truncated = true;
        }

        public ConfigManifest build() {
            List<ManifestEntry> sortedFiles = new ArrayList<>(files);
            sortedFiles.sort(Comparator.comparing(ManifestEntry::path));
            List<Skipped> sortedSkipped = new ArrayList<>(skipped);
            sortedSkipped.sort(Comparator.comparing(Skipped::path));
            return new ConfigManifest(sortedFiles, sortedSkipped, truncated);
        }
    }

    static ManifestEntry entry(String relative, Path file, long maxHashBytes, ManifestCache cache) throws IOException {
        PosixFileAttributes attrs = SafeFiles.attributes(file);
        String sha = attrs.size() > maxHashBytes ? null : cache == null ? SafeFiles.sha256(file) : cache.sha256(file);
        return new ManifestEntry(relative, attrs.size(), SafeFiles.mode(attrs.permissions()),
                attrs.lastModifiedTime().toInstant(), sha, attrs.owner().getName(), attrs.group().getName());
    }

    private static String relative(Path home, Path file) {
        return home.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }
}
