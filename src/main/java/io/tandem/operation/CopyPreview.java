package io.tandem.operation;

import java.util.List;

import io.tandem.monitor.ConfigDrift;
import io.tandem.monitor.FileDiffView;

/**
 * What a configuration copy would do to its target, read from both nodes when the preflight was asked for: the files
 * it would write, each with its diff, and everything it leaves alone. The operator may choose a subset of
 * {@link #changes} to copy.
 *
 * @param changes the files the copy would write on the target (content differs, or only the source has them)
 * @param identical how many files both nodes already hold alike (not sent)
 * @param onlyOnTarget files only the target has: left alone, never deleted
 * @param ignored differing files matched by the pair's ignore list: left alone
 * @param tooLarge files too large to hash: the copy refuses to start while there are any
 * @param truncated a node lists more files than its manifest limit, so files past it were not compared
 * @param restart what the copy does to NFO on the target, said before it happens
 * @param unavailable why the nodes' files could not be compared now (then the lists are empty); null when read
 */
public record CopyPreview(String source, String target, List<Change> changes, int identical, List<String> onlyOnTarget,
                          List<String> ignored, List<String> tooLarge, boolean truncated, String restart,
                          String unavailable) {

    /** Only so many changed files are read and diffed for a preview; the rest are listed with their kind. */
    public static final int MAX_DIFFS = 20;

    /** @param diff the file on both nodes side by side; null past {@link #MAX_DIFFS} files */
    public record Change(String path, ConfigDrift.Difference difference, FileDiffView diff) {
    }

    public CopyPreview {
        changes = List.copyOf(changes);
        onlyOnTarget = List.copyOf(onlyOnTarget);
        ignored = List.copyOf(ignored);
        tooLarge = List.copyOf(tooLarge);
    }

    static CopyPreview unavailable(String source, String target, String restart, String why) {
        return new CopyPreview(source, target, List.of(), 0, List.of(), List.of(), List.of(), false, restart, why);
    }
}
