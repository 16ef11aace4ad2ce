package io.tandem.access;

import java.util.ArrayList;
import java.util.List;

import io.tandem.agent.AgentPackage;

/**
 * The commands that install, upgrade and remove the Tandem agent on a node over SSH: the same files in the same
 * places as the .deb ({@link AgentPackage}), each command run as root (the SSH user, or {@code sudo -n} when the node
 * is registered with sudo). Values from the registry (address, NFO home, unit) only ever travel as separate
 * arguments; the shell scripts below are constants.
 */
public final class AgentHostCommands {

    /** Upgrade keeps the running jar here until the new one answers. */
    public static final String PREVIOUS_JAR = AgentPackage.JAR + ".previous";

    /**
     * Reads in one round trip what an install depends on, as key=value lines ({@link HostProbe#parse}). $1 the NFO
     * home, $2 NFO's unit, $3.. the agent's paths that must not exist yet. Always exits 0: every answer is a line.
     */
    static final String PROBE = """
            home="$1"; unit="$2"; shift 2
            echo "uid=$(id -u)"
            for f in "$@"; do if [ -e "$f" ]; then echo "present=$f"; fi; done
            if getent passwd tandem-agent >/dev/null 2>&1; then echo "present=user tandem-agent"; fi
            if [ -d "$home" ]; then echo "nfo-home=yes"; else echo "nfo-home=no"; fi
            systemctl show "$unit" -p LoadState,ActiveState 2>/dev/null | grep -E '^(LoadState|ActiveState)=' | sed 's/^/unit-/'
            echo "java=$(/usr/bin/java -version 2>&1 | head -n 1)"
            echo "disk-usr=$(df -Pk /usr/share 2>/dev/null | awk 'NR==2 {print $4}')"
            echo "disk-var=$(df -Pk /var/lib 2>/dev/null | awk 'NR==2 {print $4}')"
            for t in sudo visudo useradd sha256sum; do
              if command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ]; then echo "tool=$t"; fi
            done
            echo "os=$(. /etc/os-release 2>/dev/null; echo "$ID $ID_LIKE")"
            exit 0
            """;

    /**
     * Writes stdin to $1 with mode $2 through a temporary name beside it, so a reader sees the old file or the whole
     * new one; with $3 = visudo the new file must pass {@code visudo -cf} before it replaces anything (sudo ignores
     * names with a dot in /etc/sudoers.d, so the temporary file is never read as a rule).
     */
    static final String WRITE = """
            umask 077
            new="$1.tandem-new"
            if ! { cat >"$new" && chmod "$2" "$new"; }; then rm -f "$new"; exit 1; fi
            if [ "$3" = visudo ] && ! visudo -cf "$new"; then rm -f "$new"; exit 1; fi
            mv -f "$new" "$1"
            """;

    /** The packages' postinst, as the packages run it: the system user and the 0700 state directory. */
    static final String SETUP = ". \"$1\" && tandem_agent_setup";

    /** The packages' purge (postrm): the state directory, then the user and group if they exist. $1 dir, $2 user. */
    static final String PURGE = """
            rm -rf -- "$1"
            if getent passwd "$2" >/dev/null 2>&1; then userdel "$2" || exit 1; fi
            if getent group "$2" >/dev/null 2>&1; then groupdel "$2" 2>/dev/null || true; fi
            exit 0
            """;

    /** Stops and disables the unit if it is there; fails only when the agent still runs afterwards. */
    static final String STOP = """
            systemctl disable --now "$1" >/dev/null 2>&1
            if systemctl is-active --quiet "$1" 2>/dev/null; then echo "$1 is still running" >&2; exit 1; fi
            exit 0
            """;

    private AgentHostCommands() {
    }

    public static HostCommand probe(NodeTarget node) {
        return script("Read what the agent's installation needs", PROBE, node.nfoHome(), node.serviceUnit(),
                AgentPackage.JAR, AgentPackage.UNIT, AgentPackage.SUDOERS, AgentPackage.STATE_DIR);
    }

    public static HostCommand makeAgentHome() {
        return HostCommand.of("Create " + AgentPackage.HOME,
                List.of("install", "-d", "-m", "0755", "-o", "root", "-g", "root", AgentPackage.HOME));
    }

    /** {@code sha256sum} of one file; the answer's first word is the hash ({@link #sha256Of}). */
    public static HostCommand sha256(String path) {
        return HostCommand.of("Hash " + path, List.of("sha256sum", "--", absolute(path)));
    }

    public static String sha256Of(String sha256sumOutput) {
        String first = sha256sumOutput == null ? "" : sha256sumOutput.strip().split("\\s+", 2)[0];
        if (!first.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256sum did not print a hash: " + sha256sumOutput);
        }
        return first;
    }

    /** Puts an uploaded jar in place as root:root 0644 ({@code install} writes a new file, then renames it). */
    public static HostCommand installJar(String uploaded) {
        return HostCommand.of("Install the agent jar as " + AgentPackage.JAR,
                List.of("install", "-m", "0644", "-o", "root", "-g", "root", absolute(uploaded), AgentPackage.JAR));
    }

    public static HostCommand keepPreviousJar() {
        return HostCommand.of("Keep the running jar as " + PREVIOUS_JAR, List.of("cp", "-p", AgentPackage.JAR, PREVIOUS_JAR));
    }

    public static HostCommand restorePreviousJar() {
        return HostCommand.of("Put the previous jar back", List.of("mv", "-f", PREVIOUS_JAR, AgentPackage.JAR));
    }

    public static HostCommand remove(String... paths) {
        List<String> argv = new ArrayList<>(List.of("rm", "-f", "--"));
        for (String path : paths) {
            argv.add(absolute(path));
        }
        return HostCommand.of("Remove " + String.join(", ", paths), argv);
    }

    public static HostCommand writeSetupScript() {
        return write(AgentPackage.SETUP_SCRIPT, "0644", AgentPackage.setupScript(), false);
    }

    public static HostCommand createUser() {
        return script("Create the system user " + AgentPackage.USER + " and " + AgentPackage.STATE_DIR, SETUP,
                AgentPackage.SETUP_SCRIPT);
    }

    public static HostCommand installSudoers() {
        return write(AgentPackage.SUDOERS, "0440", AgentPackage.sudoers(), true);
    }

    public static HostCommand installUnit() {
        return write(AgentPackage.UNIT, "0644", AgentPackage.unit(), false);
    }

    public static HostCommand systemctl(String... words) {
        List<String> argv = new ArrayList<>(List.of("systemctl"));
        argv.addAll(List.of(words));
        return HostCommand.of("systemctl " + String.join(" ", words), argv);
    }

    /**
     * {@code agent init} as the agent's user, with the node's registered NFO home, unit, flow ports and agent port, and
     * the address the console reaches it at in the certificate. Its output holds the token.
     */
    public static HostCommand init(NodeTarget node) {
        List<String> argv = new ArrayList<>(List.of("sudo", "-n", "-u", AgentPackage.USER, "--",
                AgentPackage.JAVA, "-jar", AgentPackage.JAR, "agent", "init", "--state-dir", AgentPackage.STATE_DIR,
                "--sudo", "--host", node.address(), "--nfo-home", node.nfoHome(), "--nfo-service-unit", node.serviceUnit(),
                "--listen-port", String.valueOf(node.agentPort())));
        node.flowPorts().stream().sorted().forEach(port -> argv.addAll(List.of("--flow-port", String.valueOf(port))));
        return HostCommand.secret("agent init as " + AgentPackage.USER, argv);
    }

    public static HostCommand stop() {
        return script("Stop and disable " + AgentPackage.UNIT_NAME, STOP, AgentPackage.UNIT_NAME);
    }

    /** The unit, the sudoers drop-in and the agent's directory (jar, previous jar, setup script). */
    public static HostCommand removeFiles() {
        return HostCommand.of("Remove the agent's unit, sudoers drop-in and files",
                List.of("rm", "-rf", "--", AgentPackage.UNIT, AgentPackage.SUDOERS, AgentPackage.HOME));
    }

    public static HostCommand purge() {
        return script("Remove " + AgentPackage.STATE_DIR + " and the user " + AgentPackage.USER, PURGE,
                AgentPackage.STATE_DIR, AgentPackage.USER);
    }

    private static HostCommand write(String path, String mode, String content, boolean visudo) {
        return HostCommand.withInput("Write " + path + (visudo ? " (checked with visudo -cf)" : ""),
                List.of("sh", "-c", WRITE, "sh", path, mode, visudo ? "visudo" : "-"), content);
    }

    private static HostCommand script(String purpose, String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        for (String arg : args) {
            argv.add(java.util.Objects.requireNonNull(arg, purpose + ": an argument is missing"));
        }
        return HostCommand.of(purpose, argv);
    }

    /** Every path given here is one of ours or an upload's: absolute, so it can never read as an option. */
    private static String absolute(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute, was " + path);
        }
        return path;
    }
}
