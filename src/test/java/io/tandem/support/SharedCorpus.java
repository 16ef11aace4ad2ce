package io.tandem.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared real-world corpus, read in place from {@code ../shared/corpus} (or where the {@code tandem.corpus} system
 * property says: a git worktree lies elsewhere); tests skip when it is absent.
 */
public final class SharedCorpus {

    public static final Path ROOT = Path.of(System.getProperty("tandem.corpus", Path.of("..", "shared", "corpus").toString()));

    private SharedCorpus() {
    }

    public static Path root() {
        assumeTrue(Files.isDirectory(ROOT), "shared corpus not found at " + ROOT.toAbsolutePath());
        return ROOT;
    }

    public static String read(String relative) {
        Path file = root().resolve(relative);
        assumeTrue(Files.isRegularFile(file), "corpus file missing: " + relative);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
