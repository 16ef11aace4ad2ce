package io.tandem.node;

import java.util.Optional;

/**
 * The gate's OCF agent as installed on a node ({@link GateAgent#INSTALLED_PATH}).
 *
 * @param installed whether the file exists
 * @param version the version its {@code # tandem-gate-version:} line declares, or null (not installed, or a copy
 *        from before versions)
 */
public record GateAgentFacts(boolean installed, String version) {

    public static final GateAgentFacts ABSENT = new GateAgentFacts(false, null);

    /** From the installed file's text, or empty when there is no such file. */
    public static GateAgentFacts of(Optional<String> installedText) {
        return installedText.map(text -> new GateAgentFacts(true, GateAgent.versionOf(text).orElse(null))).orElse(ABSENT);
    }
}
