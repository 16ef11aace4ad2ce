package io.tandem.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How two manifests differ, by path and content hash: drift between the nodes, and the files a copy must send.
 * Each list is sorted by path. Mode and mtime are not compared: copies change mtime, and modes are reported as
 * they are in the entries for the UI to show.
 *
 * @param differing present in both with different content
 * @param uncomparable present in both but at least one side was too large to hash (and the sizes are equal;
 *        different sizes are {@code differing})
 */
public record ManifestDiff(List<String> onlyInA, List<String> onlyInB, List<String> differing,
        List<String> uncomparable, List<String> same) {

    public ManifestDiff {
        onlyInA = List.copyOf(onlyInA);
        onlyInB = List.copyOf(onlyInB);
        differing = List.copyOf(differing);
        uncomparable = List.copyOf(uncomparable);
        same = List.copyOf(same);
    }

    public static ManifestDiff between(ConfigManifest a, ConfigManifest b) {
        Map<String, ManifestEntry> left = a.byPath();
        Map<String, ManifestEntry> right = b.byPath();
        TreeSet<String> paths = new TreeSet<>(left.keySet());
        paths.addAll(right.keySet());
        List<String> onlyA = new ArrayList<>();
        List<String> onlyB = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        List<String> uncomparable = new ArrayList<>();
        List<String> same = new ArrayList<>();
        for (String path : paths) {
            ManifestEntry x = left.get(path);
            ManifestEntry y = right.get(path);
            if (y == null) {
                onlyA.add(path);
            } else if (x == null) {
                onlyB.add(path);
            } else if (x.size() != y.size()) {
                differing.add(path);
            } else if (!x.hashed() || !y.hashed()) {
                uncomparable.add(path);
            } else if (x.sha256().equals(y.sha256())) {
                same.add(path);
            } else {
                differing.add(path);
            }
        }
        return new ManifestDiff(onlyA, onlyB, differing, uncomparable, same);
    }

    public boolean identical() {
        return onlyInA.isEmpty() && onlyInB.isEmpty() && differing.isEmpty() && uncomparable.isEmpty();
    }
}
