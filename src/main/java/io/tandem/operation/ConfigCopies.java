package io.tandem.operation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.ConfigDrift;
import io.tandem.monitor.FileDiffView;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.ConfigScope;

/**
 * Which files a configuration copy writes and which it leaves alone, decided in one place for the preview, the
 * operator's choice of files and the copy's own first step, so the three never disagree.
 */
final class ConfigCopies {

    private final ConfigDrift drift;

    ConfigCopies(ConfigDrift drift) {
        this.drift = drift;
    }

    /** @param toCopy written on the target: content differs, or only the source has the file */
    record Split(List<String> toCopy, List<String> onlyOnTarget, List<String> tooLarge, List<String> ignored) {

        static Split of(ConfigDrift.Comparison comparison, String source) {
            boolean sourceFirst = comparison.first().equals(source);
            List<String> toCopy = new ArrayList<>();
            List<String> onlyOnTarget = new ArrayList<>();
            List<String> tooLarge = new ArrayList<>();
            for (ConfigDrift.DriftedFile file : comparison.files()) {
                switch (file.difference()) {
                    case CONTENT -> toCopy.add(file.path());
                    case ONLY_ON_FIRST -> (sourceFirst ? toCopy : onlyOnTarget).add(file.path());
                    case ONLY_ON_SECOND -> (sourceFirst ? onlyOnTarget : toCopy).add(file.path());
                    case NOT_HASHED -> tooLarge.add(file.path());
                }
            }
            return new Split(toCopy, onlyOnTarget, tooLarge,
                    comparison.ignored().stream().map(ConfigDrift.DriftedFile::path).toList());
        }

        /** The files to copy when the operator chose {@code chosen} (null: all of them). */
        List<String> chosen(List<String> chosen) {
            return chosen == null ? toCopy : toCopy.stream().filter(chosen::contains).toList();
        }
    }

    /** The copy from {@code source} to {@code target} as it would run now, with the diffs of the files it writes. */
    CopyPreview preview(ClusterView cluster, ClusterView.NodeView source, ClusterView.NodeView target) {
        String restart = "NFO on " + target.name() + " is restarted after the swap so it reads the copied files ("
                + target.serviceUnit() + "); " + source.name() + " is not touched.";
        try {
            ConfigDrift.Comparison comparison = drift.compare(cluster);
            Split split = Split.of(comparison, source.name());
            List<String> shown = split.toCopy().stream().limit(CopyPreview.MAX_DIFFS).toList();
            Map<String, FileDiffView> diffs = drift.files(cluster, shown).stream().map(FileDiffView::of)
                    .collect(Collectors.toMap(FileDiffView::path, Function.identity()));
            Map<String, ConfigDrift.Difference> kinds = comparison.files().stream()
                    .collect(Collectors.toMap(ConfigDrift.DriftedFile::path, ConfigDrift.DriftedFile::difference));
            List<CopyPreview.Change> changes = split.toCopy().stream()
                    .map(path -> new CopyPreview.Change(path, kinds.get(path), diffs.get(path))).toList();
            return new CopyPreview(source.name(), target.name(), changes, comparison.identical(), split.onlyOnTarget(),
                    split.ignored(), split.tooLarge(), comparison.truncated(), restart, null);
        } catch (NodeAccessException e) {
            return CopyPreview.unavailable(source.name(), target.name(), restart,
                    "Could not read the nodes' configuration: " + e.reason() + " — " + e.getMessage());
        } catch (ConfigRefusedException e) {
            return CopyPreview.unavailable(source.name(), target.name(), restart,
                    "A node refused to list its configuration: " + e.getMessage());
        }
    }

    /**
     * Refuses a choice the copy cannot honour, naming the path: one outside the target's configuration (absolute,
     * {@code ..}, outside its include globs), or one that is not a file this copy would write now.
     */
    void requireChoosable(ClusterView cluster, ClusterView.NodeView source, ClusterView.NodeView target, List<String> chosen)
            throws NodeAccessException, ConfigRefusedException {
        if (chosen.isEmpty()) {
            throw Rejected.invalid("no-files-chosen", "files", "Choose at least one file to copy, or leave 'files' out to copy "
                    + "every changed file.");
        }
        ConfigScope scope = scopeOf(target);
        for (String path : chosen) {
            try {
                // the console has no view of the node's disk: the path's form and the globs, the node checks links
                scope.confine(path, prefix -> ConfigScope.Kind.MISSING);
            } catch (ConfigRefusedException e) {
                throw Rejected.invalid("file-outside-configuration", "files", "'" + path + "' is outside "
                        + target.name() + "'s configuration: " + e.getMessage() + ".");
            }
        }
        Split split = Split.of(drift.compare(cluster), source.name());
        for (String path : chosen) {
            if (!split.toCopy().contains(path)) {
                throw Rejected.invalid("file-not-copied", "files", "'" + path + "' is not a file this copy would write: "
                        + (split.toCopy().isEmpty() ? "the nodes hold the same files." : "it writes "
                        + String.join(", ", split.toCopy()) + "."));
            }
        }
    }

    private static ConfigScope scopeOf(ClusterView.NodeView node) {
        Path home = node.nfoHome() == null || node.nfoHome().isBlank() ? ConfigScope.DEFAULT_HOME : Path.of(node.nfoHome());
        ConfigScope defaults = ConfigScope.nfoDefaults(home);
        List<String> includes = node.configIncludes() == null || node.configIncludes().isEmpty() ? defaults.includes()
                : node.configIncludes();
        List<String> excludes = node.configExcludes() == null ? defaults.excludes() : node.configExcludes();
        return new ConfigScope(home, includes, excludes, defaults.maxFiles(), defaults.maxHashBytes());
    }
}
