package io.tandem.monitor;

import java.util.List;

/**
 * Whether the pair keeps its output, with correct data, if {@code lostNode} disappears now.
 *
 * @param reason one line: who carries the output afterwards, or the first thing that stops it
 * @param blockers the findings that stop it, worst first
 */
public record Survival(String lostNode, boolean survives, String reason, List<Finding> blockers) {

    public Survival {
        blockers = List.copyOf(blockers);
    }

    /** "Can survive losing nfo-a: no — passive lacks 3 templates (1,200 records/s would be dropped)". */
    public String line() {
        return "Can survive losing " + lostNode + ": " + (survives ? "yes" : "no") + " — " + reason;
    }
}
