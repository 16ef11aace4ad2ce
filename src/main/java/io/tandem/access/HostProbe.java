package io.tandem.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link AgentHostCommands#probe} found on a node, before the agent is installed there.
 *
 * @param present the agent's paths (and user) that exist already: an earlier install or the package
 * @param java the first line {@code /usr/bin/java -version} printed (the unit starts that java), or what the shell said
 * @param freeUsrKib free space where the jar goes, -1 when unknown
 * @param freeVarKib free space where the agent's state goes, -1 when unknown
 * @param os {@code ID ID_LIKE} from /etc/os-release, for the JRE's install command
 */
public record HostProbe(int uid, List<String> present, boolean nfoHomeExists, String unitLoadState, String unitActiveState,
                        String java, long freeUsrKib, long freeVarKib, Set<String> tools, String os) {

    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");

    public HostProbe {
        present = List.copyOf(present);
        tools = Set.copyOf(tools);
    }

    /** The Java feature release /usr/bin/java reports (8 for "1.8.0_…", 17 for "17.0.9"), empty when there is none. */
    public OptionalInt javaMajor() {
        Matcher m = JAVA_VERSION.matcher(java);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(2))) : OptionalInt.empty();
    }

    /** The package manager's command that installs a Java 17 runtime here. */
    public String javaInstallCommand() {
        String family = " " + os.toLowerCase(Locale.ROOT) + " ";
        if (family.contains(" debian ") || family.contains(" ubuntu ")) {
            return "apt-get install -y openjdk-17-jre-headless";
        }
        if (family.contains(" suse ") || family.contains(" sles ") || family.contains(" opensuse")) {
            return "zypper install -y java-17-openjdk-headless";
        }
        if (family.contains(" rhel ") || family.contains(" fedora ") || family.contains(" centos ")) {
            return "dnf install -y java-17-openjdk-headless";
        }
        return "install a Java 17 (or newer) runtime so that /usr/bin/java runs it";
    }

    public static HostProbe parse(String output) {
        int uid = -1;
        List<String> present = new ArrayList<>();
        boolean home = false;
        String load = "";
        String active = "";
        String java = "";
        long usr = -1;
        long var = -1;
        Set<String> tools = new LinkedHashSet<>();
        String os = "";
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            switch (line.substring(0, eq)) {
                case "uid" -> uid = (int) Math.min(number(value, -1), Integer.MAX_VALUE);
                case "present" -> present.add(value);
                case "nfo-home" -> home = value.equals("yes");
                case "unit-LoadState" -> load = value;
                case "unit-ActiveState" -> active = value;
                case "java" -> java = value;
                case "disk-usr" -> usr = number(value, -1);
                case "disk-var" -> var = number(value, -1);
                case "tool" -> tools.add(value);
                case "os" -> os = value;
                default -> { } // a later console's key: ignored
            }
        }
        if (uid < 0) {
            throw new IllegalArgumentException("the node's answer has no uid= line: not the probe's output");
        }
        return new HostProbe(uid, present, home, load, active, java, usr, var, tools, os);
    }

    private static long number(String text, long fallback) {
        return text.matches("\\d{1,18}") ? Long.parseLong(text) : fallback;
    }
}
