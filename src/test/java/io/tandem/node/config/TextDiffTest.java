package io.tandem.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tandem.node.config.TextDiff.Change;
import io.tandem.node.config.TextDiff.Fold;
import io.tandem.node.config.TextDiff.Row;
import io.tandem.node.config.TextDiff.SideBySide;

class TextDiffTest {

    @Test
    void aChangedSettingShowsBesideItsCounterpartWithLineNumbers() {
        List<String> a = List.of("# NFO server", "syslog.host=10.0.0.5", "syslog.port=514", "threads=8");
        List<String> b = List.of("# NFO server", "syslog.host=10.0.0.9", "syslog.port=514", "threads=8", "debug=true");

        SideBySide diff = TextDiff.sideBySide(a, b, 3, 1000);

        assertThat(diff.exact()).isTrue();
        assertThat(diff.changedRows()).isEqualTo(2);
        assertThat(rows(diff)).contains(
                new Row(Change.CHANGED, 2, "syslog.host=10.0.0.5", 2, "syslog.host=10.0.0.9"),
                new Row(Change.ONLY_RIGHT, null, null, 5, "debug=true"));
    }

    @Test
    void longUnchangedStretchesAreFoldedAroundTheChanges() {
        List<String> a = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            a.add("line " + i);
        }
        List<String> b = new ArrayList<>(a);
        b.set(49, "line 50 changed");

        SideBySide diff = TextDiff.sideBySide(a, b, 2, 1000);

        assertThat(diff.parts()).hasSize(7);
        assertThat(diff.parts().get(0)).isEqualTo(new Fold(47));
        assertThat(diff.parts().get(3)).isEqualTo(new Row(Change.CHANGED, 50, "line 50", 50, "line 50 changed"));
        assertThat(diff.parts().get(6)).isEqualTo(new Fold(48));
    }

    @Test
    void identicalFilesHaveNoChangedRows() {
        SideBySide diff = TextDiff.sideBySide(List.of("a", "b"), List.of("a", "b"), 3, 10);
        assertThat(diff.identical()).isTrue();
        assertThat(diff.parts()).containsExactly(new Fold(2));
    }

    /** Whatever the inputs, each side reads back exactly, and the exact diff is as small as the LCS allows. */
    @Test
    void randomTextsReadBackAndTheExactDiffIsMinimal() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            List<String> a = randomLines(random);
            List<String> b = randomLines(random);
            SideBySide diff = TextDiff.sideBySide(a, b, Integer.MAX_VALUE / 4, 1000);
            if (diff.identical()) {
                assertThat(a).isEqualTo(b);
                continue;
            }

            assertThat(side(diff, true)).as("left of %s / %s", a, b).isEqualTo(a);
            assertThat(side(diff, false)).as("right of %s / %s", a, b).isEqualTo(b);
            long edits = rows(diff).stream().mapToLong(r -> switch (r.change()) {
                case SAME -> 0;
                case CHANGED -> 2;
                case ONLY_LEFT, ONLY_RIGHT -> 1;
            }).sum();
            assertThat(edits).as("edits for %s / %s", a, b).isEqualTo(a.size() + b.size() - 2L * lcs(a, b));
        }
    }

    @Test
    void filesTooDifferentToAlignStillShowEveryLine() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            a.add("left " + i);
            b.add("right " + i);
        }
        a.add("common tail");
        b.add("common tail");

        SideBySide diff = TextDiff.sideBySide(a, b, 1, 50);

        assertThat(diff.exact()).isFalse();
        assertThat(diff.changedRows()).isEqualTo(500);
        assertThat(side(diff, true)).isEqualTo(a);
        assertThat(side(diff, false)).isEqualTo(b);
    }

    private static List<Row> rows(SideBySide diff) {
        return diff.parts().stream().filter(p -> p instanceof Row).map(Row.class::cast).toList();
    }

    private static List<String> side(SideBySide diff, boolean left) {
        return rows(diff).stream().map(r -> left ? r.left() : r.right()).filter(s -> s != null).toList();
    }

    private static List<String> randomLines(Random random) {
        List<String> lines = new ArrayList<>();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            lines.add(String.valueOf((char) ('a' + random.nextInt(4))));
        }
        return lines;
    }

    private static int lcs(List<String> a, List<String> b) {
        int[][] t = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                t[i][j] = a.get(i).equals(b.get(j)) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
            }
        }
        return t[0][0];
    }
}
