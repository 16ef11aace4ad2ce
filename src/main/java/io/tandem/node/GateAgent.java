package io.tandem.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate's OCF resource agent ({@code ocf:tandem:gate}, ADR 0002) as a product artifact: shipped in the jar as
 * {@code ocf/tandem-gate}, installed by setup on both nodes at {@link #INSTALLED_PATH}, and versioned by its
 * {@code # tandem-gate-version: X.Y} line, which the monitor compares between the nodes and with this console's copy.
 */
public final class GateAgent {

    /** Where Pacemaker finds {@code ocf:tandem:gate}. */
    public static final String INSTALLED_PATH = "/usr/lib/ocf/resource.d/tandem/gate";
    /** The Pacemaker agent name as crm_mon reports it. */
    public static final String PACEMAKER_AGENT = "ocf:tandem:gate";

    private static final String RESOURCE = "/ocf/tandem-gate";
    private static final Pattern VERSION_LINE = Pattern.compile("^# tandem-gate-version: (\\d{1,4}(?:\\.\\d{1,4}){0,3})\\s*$",
            Pattern.MULTILINE);
    private static final String SCRIPT = load();
    private static final String VERSION = versionOf(SCRIPT)
            .orElseThrow(() -> new IllegalStateException(RESOURCE + " has no '# tandem-gate-version:' line"));

    private GateAgent() {
    }

    /** The script this console ships (what setup installs). */
    public static String script() {
        return SCRIPT;
    }

    /** The version of the script this console ships. */
    public static String version() {
        return VERSION;
    }

    /** The version an installed copy declares; empty for a copy from before versions (or not the gate agent). */
    public static Optional<String> versionOf(String scriptText) {
        if (scriptText == null) {
            return Optional.empty();
        }
        Matcher m = VERSION_LINE.matcher(scriptText);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Numeric comparison of dotted versions ({@code 1.10 > 1.9}); a missing part counts as 0. Both must be versions. */
    public static int compare(String a, String b) {
        return Version.parse(a).orElseThrow().compareTo(Version.parse(b).orElseThrow());
    }

    private static String load() {
        try (InputStream in = GateAgent.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
