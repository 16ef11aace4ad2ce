package io.tandem.node.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts laid out side by side, the way an operator compares the same file on two nodes.
 * Myers' algorithm (the one {@code diff} and git use) over the lines between the common head and tail, so a
 * one-line change in a large file stays cheap. When the files differ in more than {@code maxEdits} lines the
 * differing middle is shown as one replaced block instead of an exact alignment: the operator sees every line,
 * only the pairing is coarser, and a hostile pair of large files cannot take quadratic time or memory.
 */
public final class TextDiff {

    /** How a row of the side-by-side view relates its two sides. */
    public enum Change { SAME, CHANGED, ONLY_LEFT, ONLY_RIGHT }

    /** A shown {@link Row} or a {@link Fold} of unchanged lines. */
    public sealed interface Part permits Row, Fold {
        default boolean folded() {
            return this instanceof Fold;
        }
    }

    /**
     * One row: a line on the left, on the right, or both. Line numbers are 1-based; null where that side has no
     * line in this row.
     */
    public record Row(Change change, Integer leftLine, String left, Integer rightLine, String right) implements Part {
    }

    /** Unchanged lines folded away between two shown parts of the diff. */
    public record Fold(int lines) implements Part {
    }

    /**
     * @param exact false when the files were too different to align line by line (see the class comment)
     */
    public record SideBySide(List<Part> parts, int changedRows, boolean exact) {
        public SideBySide {
            parts = List.copyOf(parts);
        }

        public boolean identical() {
            return changedRows == 0;
        }
    }

    private TextDiff() {
    }

    /**
     * @param context unchanged lines kept around each change; longer unchanged runs become a {@link Fold}
     * @param maxEdits beyond this many inserted plus deleted lines the middle is not aligned exactly
     */
    public static SideBySide sideBySide(List<String> left, List<String> right, int context, int maxEdits) {
        int head = 0;
        while (head < left.size() && head < right.size() && left.get(head).equals(right.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < left.size() - head && tail < right.size() - head
                && left.get(left.size() - 1 - tail).equals(right.get(right.size() - 1 - tail))) {
            tail++;
        }
        List<String> x = left.subList(head, left.size() - tail);
        List<String> y = right.subList(head, right.size() - tail);
        List<Op> script = myers(x, y, maxEdits);
        boolean exact = script != null;
        if (!exact) {
            script = replaceAll(x.size(), y.size());
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            rows.add(new Row(Change.SAME, i + 1, left.get(i), i + 1, right.get(i)));
        }
        pair(script, x, y, head, rows);
        for (int i = tail; i > 0; i--) {
            int l = left.size() - i;
            int r = right.size() - i;
            rows.add(new Row(Change.SAME, l + 1, left.get(l), r + 1, right.get(r)));
        }
        return fold(rows, context, exact);
    }

    /** Splits text into lines the way editors number them: a final newline does not start an empty line. */
    public static List<String> lines(String text) {
        return text.lines().toList();
    }

    private enum OpKind { KEEP, DELETE, INSERT }

    private record Op(OpKind kind, int x, int y) {
    }

    /**
     * Myers' O((N+M)D) shortest edit script; null when it needs more than {@code maxEdits} edits. For the way back
     * it keeps, per step d, only the 2d+3 diagonals that step could read, so memory is O(D²), not O((N+M)D).
     */
    private static List<Op> myers(List<String> a, List<String> b, int maxEdits) {
        int n = a.size();
        int m = b.size();
        int max = Math.min(n + m, maxEdits);
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        for (int d = 0; d <= max; d++) {
            trace.add(java.util.Arrays.copyOfRange(v, offset - d - 1, offset + d + 2));
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])
                        ? v[offset + k + 1] : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    return backtrack(trace, n, m, d);
                }
            }
        }
        return null;
    }

    private static List<Op> backtrack(List<int[]> trace, int n, int m, int found) {
        List<Op> ops = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] v = trace.get(d);
            int base = d + 1; // v[base + k] is diagonal k at the start of step d
            int k = x - y;
            int prevK = k == -d || (k != d && v[base + k - 1] < v[base + k + 1]) ? k + 1 : k - 1;
            int prevX = v[base + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                ops.add(new Op(OpKind.KEEP, --x, --y));
            }
            if (x == prevX) {
                ops.add(new Op(OpKind.INSERT, x, --y));
            } else {
                ops.add(new Op(OpKind.DELETE, --x, y));
            }
        }
        while (x > 0 && y > 0) {
            ops.add(new Op(OpKind.KEEP, --x, --y));
        }
        java.util.Collections.reverse(ops);
        return ops;
    }

    /** Deletions followed by insertions become CHANGED rows side by side, the rest stay one-sided. */
    private static void pair(List<Op> script, List<String> x, List<String> y, int base, List<Row> rows) {
        int i = 0;
        while (i < script.size()) {
            Op op = script.get(i);
            if (op.kind() == OpKind.KEEP) {
                rows.add(new Row(Change.SAME, base + op.x() + 1, x.get(op.x()), base + op.y() + 1, y.get(op.y())));
                i++;
                continue;
            }
            List<Op> deletes = new ArrayList<>();
            List<Op> inserts = new ArrayList<>();
            while (i < script.size() && script.get(i).kind() != OpKind.KEEP) {
                (script.get(i).kind() == OpKind.DELETE ? deletes : inserts).add(script.get(i));
                i++;
            }
            int both = Math.min(deletes.size(), inserts.size());
            for (int j = 0; j < Math.max(deletes.size(), inserts.size()); j++) {
                Op d = j < deletes.size() ? deletes.get(j) : null;
                Op in = j < inserts.size() ? inserts.get(j) : null;
                Change change = j < both ? Change.CHANGED : (d != null ? Change.ONLY_LEFT : Change.ONLY_RIGHT);
                rows.add(new Row(change, d == null ? null : base + d.x() + 1, d == null ? null : x.get(d.x()),
                        in == null ? null : base + in.y() + 1, in == null ? null : y.get(in.y())));
            }
        }
    }

    /** Too different to align cheaply: the whole middle as deleted on the left and inserted on the right. */
    private static List<Op> replaceAll(int deleted, int inserted) {
        List<Op> script = new ArrayList<>();
        for (int i = 0; i < deleted; i++) {
            script.add(new Op(OpKind.DELETE, i, 0));
        }
        for (int j = 0; j < inserted; j++) {
            script.add(new Op(OpKind.INSERT, 0, j));
        }
        return script;
    }

    private static SideBySide fold(List<Row> rows, int context, boolean exact) {
        boolean[] keep = new boolean[rows.size()];
        int changed = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).change() != Change.SAME) {
                changed++;
                for (int j = Math.max(0, i - context); j <= Math.min(rows.size() - 1, i + context); j++) {
                    keep[j] = true;
                }
            }
        }
        List<Part> parts = new ArrayList<>();
        int folded = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (keep[i]) {
                if (folded > 0) {
                    parts.add(new Fold(folded));
                    folded = 0;
                }
                parts.add(rows.get(i));
            } else {
                folded++;
            }
        }
        if (folded > 0) {
            parts.add(new Fold(folded));
        }
        return new SideBySide(parts, changed, exact);
    }
}
