package io.tandem.node;

import java.time.Duration;
import java.util.Locale;

/** Durations as an operator reads them ("500 ms", "5 s", "2 min 30 s", "3 h 5 min", "2 d 4 h"), never ISO-8601 "PT5S". */
public final class Durations {

    private Durations() {
    }

    public static String words(Duration d) {
        if (d.isNegative()) {
            return "-" + words(d.negated());
        }
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        long s = d.toSeconds();
        if (s < 120) {
            return millis % 1000 == 0 ? s + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (s < 7200) {
            return d.toMinutes() + " min" + (d.toSecondsPart() == 0 ? "" : " " + d.toSecondsPart() + " s");
        }
        if (d.toDays() < 2) {
            return d.toHours() + " h" + (d.toMinutesPart() == 0 ? "" : " " + d.toMinutesPart() + " min");
        }
        return d.toDays() + " d" + (d.toHoursPart() == 0 ? "" : " " + d.toHoursPart() + " h");
    }
}
