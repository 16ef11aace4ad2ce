package io.tandem.monitor;

import java.util.List;

import io.tandem.node.config.TextDiff;

/**
 * One file on both nodes as the API sends it and the pages render its side-by-side table: the drift view's file
 * and the copy preview's changed files share this shape (and the one template fragment that draws it).
 *
 * @param diff in order, {@code row} entries (a line on the left, the right or both) and {@code fold} entries (that
 *        many unchanged lines left out); empty unless the verdict is TEXT_DIFFERS
 */
public record FileDiffView(String path, ConfigDrift.Side first, ConfigDrift.Side second, ConfigDrift.Verdict verdict,
        boolean ignored, boolean exact, int changedRows, List<DiffPart> diff) {

    /** {@code type} is {@code row} or {@code fold}; {@code change} is SAME, CHANGED, ONLY_LEFT or ONLY_RIGHT. */
    public record DiffPart(String type, TextDiff.Change change, Integer leftLine, String left, Integer rightLine,
            String right, Integer lines) {

        static DiffPart of(TextDiff.Part part) {
            if (part instanceof TextDiff.Row r) {
                return new DiffPart("row", r.change(), r.leftLine(), r.left(), r.rightLine(), r.right(), null);
            }
            return new DiffPart("fold", null, null, null, null, null, ((TextDiff.Fold) part).lines());
        }

        public boolean folded() {
            return "fold".equals(type);
        }
    }

    public FileDiffView {
        diff = List.copyOf(diff);
    }

    public static FileDiffView of(ConfigDrift.FileDrift file) {
        TextDiff.SideBySide sideBySide = file.diff();
        return new FileDiffView(file.path(), file.first(), file.second(), file.verdict(), file.ignored(),
                sideBySide == null || sideBySide.exact(), sideBySide == null ? 0 : sideBySide.changedRows(),
                sideBySide == null ? List.of() : sideBySide.parts().stream().map(DiffPart::of).toList());
    }
}
