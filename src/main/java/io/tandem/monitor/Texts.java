package io.tandem.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Number and list formatting for operator texts; fixed locale so findings read the same on every console. */
final class Texts {

    /** Details beyond this many lines are summarised: an alert must stay readable. */
    static final int MAX_LINES = 20;

    private Texts() {
    }

    static String rate(double recordsPerSecond) {
        return String.format(Locale.ROOT, "%,.0f records/s", recordsPerSecond);
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }

    static String count(long n, String singular, String plural) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
    }

    /** "2h 5m", "4m 10s", "12s": coarse, like an operator would say it. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    /** Text a node sent, fit to quote: quoted, printable ASCII only (others as '?'), at most 40 characters. */
    static String excerpt(String untrusted) {
        if (untrusted == null) {
            return "nothing";
        }
        String cut = untrusted.length() > 40 ? untrusted.substring(0, 40) : untrusted;
        StringBuilder quoted = new StringBuilder("\"");
        cut.chars().forEach(c -> quoted.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return quoted.append(untrusted.length() > 40 ? "...\" (" + untrusted.length() + " characters)" : "\"").toString();
    }

    static List<String> capped(List<String> lines) {
        if (lines.size() <= MAX_LINES) {
            return lines;
        }
        List<String> kept = new ArrayList<>(lines.subList(0, MAX_LINES));
        kept.add("... and " + (lines.size() - MAX_LINES) + " more");
        return kept;
    }
}
