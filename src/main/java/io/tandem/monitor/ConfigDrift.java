package io.tandem.monitor;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.tandem.access.NodeConnections;
import io.tandem.console.Rejected;
import io.tandem.fleet.ClusterView;
import io.tandem.node.NodeAccessException;
import io.tandem.node.config.ConfigFile;
import io.tandem.node.config.ConfigManifest;
import io.tandem.node.config.ConfigRefusedException;
import io.tandem.node.config.CopyCheck;
import io.tandem.node.config.ManifestDiff;
import io.tandem.node.config.ManifestEntry;
import io.tandem.node.config.PathGlobs;
import io.tandem.node.config.TextDiff;

/**
 * Configuration drift between the two nodes of a pair, read from the nodes now: which files differ (the pair's
 * ignore list applied), and for one file what exactly differs. The monitor judges the list; operators open the
 * per-file view to decide which side is right before copying.
 */
@Component
public class ConfigDrift {

    /** Larger files are compared by hash only: a side-by-side view of megabytes helps nobody under stress. */
    static final int MAX_DIFF_BYTES = 1024 * 1024;
    private static final int CONTEXT_LINES = 3;
    private static final int MAX_ALIGNED_EDITS = 2000;

    private final NodeConnections connections;

    ConfigDrift(NodeConnections connections) {
        this.connections = connections;
    }

    public enum Difference { CONTENT, ONLY_ON_FIRST, ONLY_ON_SECOND, NOT_HASHED }

    public record DriftedFile(String path, Difference difference) {
    }

    /**
     * @param first, second the nodes' names in the pair's order
     * @param files the differing files that count as drift
     * @param ignored differing files matched by the pair's ignore list
     * @param identical how many files both nodes hold with the same content
     * @param truncated a manifest stopped at its file limit, so files past it were not compared
     */
    public record Comparison(String first, String second, List<DriftedFile> files, List<DriftedFile> ignored,
            int identical, boolean truncated) {
        public Comparison {
            files = List.copyOf(files);
            ignored = List.copyOf(ignored);
        }

        public List<String> paths() {
            return files.stream().map(DriftedFile::path).toList();
        }
    }

    /** One node's copy of a file; {@code present} false when the node has no such file. */
    public record Side(String node, boolean present, Long size, String sha256, String mode, Instant mtime) {
        static Side of(String node, ManifestEntry entry) {
            return entry == null ? new Side(node, false, null, null, null, null)
                    : new Side(node, true, entry.size(), entry.sha256(), entry.mode(), entry.mtime());
        }
    }

    public enum Verdict {
        IDENTICAL, TEXT_DIFFERS, BINARY_DIFFERS, ONLY_ON_ONE_NODE,
        /** Larger than {@link #MAX_DIFF_BYTES} on at least one node: hashes and sizes only. */
        TOO_LARGE_TO_SHOW
    }

    /** @param diff the side-by-side lines, for text files present on both nodes; null otherwise */
    public record FileDrift(String path, Side first, Side second, Verdict verdict, TextDiff.SideBySide diff,
            boolean ignored) {
    }

    /** Both manifests now, compared. */
    public Comparison compare(ClusterView cluster) throws NodeAccessException, ConfigRefusedException {
        Manifests manifests = manifests(cluster);
        ManifestDiff diff = ManifestDiff.between(manifests.first(), manifests.second());
        PathGlobs ignore = PathGlobs.of(cluster.driftIgnore());
        List<DriftedFile> files = new ArrayList<>();
        List<DriftedFile> ignored = new ArrayList<>();
        List<DriftedFile> all = new ArrayList<>();
        diff.differing().forEach(p -> all.add(new DriftedFile(p, Difference.CONTENT)));
        diff.onlyInA().forEach(p -> all.add(new DriftedFile(p, Difference.ONLY_ON_FIRST)));
        diff.onlyInB().forEach(p -> all.add(new DriftedFile(p, Difference.ONLY_ON_SECOND)));
        diff.uncomparable().forEach(p -> all.add(new DriftedFile(p, Difference.NOT_HASHED)));
        all.sort(java.util.Comparator.comparing(DriftedFile::path));
        for (DriftedFile file : all) {
            (ignore.matches(file.path()) ? ignored : files).add(file);
        }
        return new Comparison(name(cluster, 0), name(cluster, 1), files, ignored, diff.same().size(),
                manifests.first().truncated() || manifests.second().truncated());
    }

    /**
     * One file on both nodes. Only files listed in at least one node's manifest can be asked for, so this never
     * becomes a way to read arbitrary paths; the nodes apply their own confinement rules on top.
     *
     * @throws Rejected NOT_FOUND when neither node lists the path
     */
    public FileDrift file(ClusterView cluster, String path) throws NodeAccessException, ConfigRefusedException {
        return file(cluster, manifests(cluster), path);
    }

    /** Several files as {@link #file} shows each, from one reading of both manifests (the copy preview's diffs). */
    public List<FileDrift> files(ClusterView cluster, List<String> paths) throws NodeAccessException, ConfigRefusedException {
        Manifests manifests = manifests(cluster);
        List<FileDrift> files = new ArrayList<>();
        for (String path : paths) {
            files.add(file(cluster, manifests, path));
        }
        return files;
    }

    private FileDrift file(ClusterView cluster, Manifests manifests, String path)
            throws NodeAccessException, ConfigRefusedException {
        ManifestEntry a = manifests.first().byPath().get(path);
        ManifestEntry b = manifests.second().byPath().get(path);
        if (a == null && b == null) {
            throw Rejected.notFound("Configuration file", "'" + path + "' on " + cluster.name());
        }
        Side first = Side.of(name(cluster, 0), a);
        Side second = Side.of(name(cluster, 1), b);
        boolean ignored = PathGlobs.of(cluster.driftIgnore()).matches(path);
        if (a == null || b == null) {
            return new FileDrift(path, first, second, Verdict.ONLY_ON_ONE_NODE, null, ignored);
        }
        if (a.size() > MAX_DIFF_BYTES || b.size() > MAX_DIFF_BYTES) {
            Verdict verdict = a.hashed() && b.hashed() && a.sha256().equals(b.sha256()) ? Verdict.IDENTICAL
                    : Verdict.TOO_LARGE_TO_SHOW;
            return new FileDrift(path, first, second, verdict, null, ignored);
        }
        ConfigFile left = connections.readFile(cluster.id(), cluster.nodes().get(0).id(), path);
        ConfigFile right = connections.readFile(cluster.id(), cluster.nodes().get(1).id(), path);
        // the files may have changed since the manifests were read: describe what was actually compared
        first = new Side(first.node(), true, (long) left.bytes().length, left.sha256(), left.mode(), left.mtime());
        second = new Side(second.node(), true, (long) right.bytes().length, right.sha256(), right.mode(), right.mtime());
        if (left.sha256().equals(right.sha256())) {
            return new FileDrift(path, first, second, Verdict.IDENTICAL, null, ignored);
        }
        Optional<String> leftText = text(left.bytes());
        Optional<String> rightText = text(right.bytes());
        if (leftText.isEmpty() || rightText.isEmpty()) {
            return new FileDrift(path, first, second, Verdict.BINARY_DIFFERS, null, ignored);
        }
        TextDiff.SideBySide diff = TextDiff.sideBySide(TextDiff.lines(leftText.get()), TextDiff.lines(rightText.get()),
                CONTEXT_LINES, MAX_ALIGNED_EDITS);
        return new FileDrift(path, first, second, Verdict.TEXT_DIFFERS, diff, ignored);
    }

    /** Text means valid UTF-8 without NUL; anything else is shown by hash, never as mojibake. */
    static Optional<String> text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private record Manifests(ConfigManifest first, ConfigManifest second) {
    }

    private Manifests manifests(ClusterView cluster) throws NodeAccessException, ConfigRefusedException {
        CopyCheck.Manifests both = CopyCheck.both(() -> connections.manifest(cluster.id(), cluster.nodes().get(0).id()),
                () -> connections.manifest(cluster.id(), cluster.nodes().get(1).id()));
        return new Manifests(both.first(), both.second());
    }

    private static String name(ClusterView cluster, int position) {
        return cluster.nodes().get(position).name();
    }
}
