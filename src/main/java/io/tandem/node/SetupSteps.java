package io.tandem.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@link SetupCommand} on the node it is on: the agent locally, the SSH adapter remotely, both through this
 * class so the argument vectors are the same everywhere. Every value was checked when the command was built; here it
 * becomes argument-vector words (never a shell string). The outcome's {@code argv} is {@link #shown} (the hacluster
 * password replaced), so it may be journaled and audited.
 */
public final class SetupSteps {

    /** Stands for the hacluster password in every argument vector that leaves the node's runner. */
    public static final String PASSWORD_SHOWN = "<hacluster password>";
    /** Where the resources are built before the push (pcsd's own directory: root's, on every pcs node). */
    static final String CIB_FILE = "/var/lib/pcsd/tandem-setup-cib.xml";

    /** Puts a file's bytes at a path on the node, as root: what the gate agent and the DRBD file need. */
    @FunctionalInterface
    public interface Upload {
        /** Runs {@code install -D -m MODE <content> PATH}; the result is judged by the caller. */
        CommandResult install(byte[] content, String mode, String path, Duration timeout) throws NodeAccessException;
    }

    /**
     * What the node knows itself, never taken from the request.
     *
     * @param serviceUnit NFO's unit as the node's configuration names it
     */
    public record Node(String serviceUnit) {
    }

    private SetupSteps() {
    }

    /**
     * Runs the command; a non-zero exit is in the outcome (the caller stops there), the first failing part of a
     * multi-part command (the CIB push) ends it.
     */
    public static NodeOperations.Outcome run(ToolRunner tools, Upload upload, Node node, SetupCommand command, Duration timeout)
            throws NodeAccessException {
        if (command instanceof SetupCommand.CibPush push) {
            return push(tools, push, timeout);
        }
        if (command instanceof SetupCommand.Gate gate) {
            return NodeOperations.gate(tools, gate.change(), timeout);
        }
        if (command instanceof SetupCommand.GateAgentFile gate && gate.install()) {
            return NodeOperations.Outcome.of(List.of("install", "-D", "-m", "0755", "<tandem-gate " + GateAgent.version() + ">",
                    GateAgent.INSTALLED_PATH), upload.install(GateAgent.script().getBytes(StandardCharsets.UTF_8), "0755",
                    GateAgent.INSTALLED_PATH, timeout));
        }
        if (command instanceof SetupCommand.DrbdFile file && file.text() != null) {
            NodeOperations.Outcome written = NodeOperations.Outcome.of(List.of("install", "-D", "-m", "0644", "<resource file>",
                    file.path()), upload.install(file.text().getBytes(StandardCharsets.UTF_8), "0644", file.path(), timeout));
            return written.succeeded() ? one(tools, List.of("drbdadm", "dump", file.resource()), timeout) : written;
        }
        if (command instanceof SetupCommand.HostAuth auth) {
            return one(scrubbing(tools, auth.password()), argv(command, node), timeout);
        }
        return one(tools, argv(command, node), timeout);
    }

    /**
     * The runner with the password taken out of whatever comes back: sudo's refusal quotes the whole command line
     * ("Sorry, user ... is not allowed to execute '/usr/sbin/pcs host auth ... -p ...'"), and that text would otherwise
     * reach the journal as the step's error.
     */
    static ToolRunner scrubbing(ToolRunner tools, String secret) {
        return (argv, timeout) -> {
            CommandResult result;
            try {
                result = tools.run(argv, timeout);
            } catch (NodeAccessException e) {
                throw scrubbed(e, secret);
            }
            return new CommandResult(result.exitCode(), scrub(result.stdout(), secret), scrub(result.stderr(), secret),
                    result.truncated());
        };
    }

    private static NodeAccessException scrubbed(NodeAccessException e, String secret) {
        String message = e.getMessage();
        if (message == null || !message.contains(secret)) {
            return e;
        }
        String clean = scrub(message, secret); // the cause may quote it too: dropped
        if (e instanceof NodeAccessException.PermissionDenied) {
            return new NodeAccessException.PermissionDenied(clean, null);
        }
        if (e instanceof NodeAccessException.ToolMissing) {
            return new NodeAccessException.ToolMissing(clean, null);
        }
        if (e instanceof NodeAccessException.TimedOut) {
            return new NodeAccessException.TimedOut(clean, null);
        }
        if (e instanceof NodeAccessException.Unreachable) {
            return new NodeAccessException.Unreachable(clean, null);
        }
        return new NodeAccessException.BadAnswer(clean, null);
    }

    private static String scrub(String text, String secret) {
        return text == null ? null : text.replace(secret, PASSWORD_SHOWN);
    }

    /** The argument vector of a single-command {@link SetupCommand}, the password included (for the runner only). */
    static List<String> argv(SetupCommand command, Node node) {
        if (command instanceof SetupCommand.HostAuth auth) {
            List<String> argv = new ArrayList<>(List.of("pcs", "host", "auth"));
            hosts(argv, auth.hosts());
            argv.addAll(List.of("-u", "hacluster", "-p", auth.password()));
            return argv;
        }
        if (command instanceof SetupCommand.HostDeauth deauth) {
            return concat(List.of("pcs", "host", "deauth"), deauth.nodes());
        }
        if (command instanceof SetupCommand.ClusterSetup setup) {
            List<String> argv = new ArrayList<>(List.of("pcs", "cluster", "setup", setup.name()));
            hosts(argv, setup.hosts());
            argv.addAll(List.of("transport", "knet", "totem", "token=" + setup.tokenMs(), "--start", "--wait=120"));
            return argv;
        }
        if (command instanceof SetupCommand.ClusterAll all) {
            return switch (all.verb()) {
                case START -> List.of("pcs", "cluster", "start", "--all", "--wait=120");
                case STOP -> List.of("pcs", "cluster", "stop", "--all");
                case DESTROY -> List.of("pcs", "cluster", "destroy", "--all");
            };
        }
        if (command instanceof SetupCommand.Pcs pcs) {
            return concat(List.of("pcs"), pcs.args());
        }
        if (command instanceof SetupCommand.NfoUnit unit) {
            return List.of("systemctl", unit.action().name().toLowerCase(java.util.Locale.ROOT), requireUnit(node.serviceUnit()));
        }
        if (command instanceof SetupCommand.GateAgentFile) {
            return List.of("rm", "-f", "--", GateAgent.INSTALLED_PATH);
        }
        if (command instanceof SetupCommand.DrbdFile file) {
            return List.of("rm", "-f", "--", file.path());
        }
        if (command instanceof SetupCommand.Drbd drbd) {
            return concat(concat(List.of("drbdadm"), drbd.verb().words), List.of(drbd.resource()));
        }
        if (command instanceof SetupCommand.Mkfs mkfs) {
            return List.of("mkfs.ext4", "-F", "-L", "nfo", mkfs.device());
        }
        if (command instanceof SetupCommand.MountPoint mount) {
            return mount.create() ? List.of("mkdir", "-p", "--", mount.path()) : List.of("rmdir", "--", mount.path());
        }
        throw new IllegalArgumentException("not a single command: " + command.describe());
    }

    /** The argument vector as it may be shown: the password replaced. */
    public static List<String> shown(List<String> argv) {
        List<String> shown = new ArrayList<>(argv);
        for (int i = 0; i + 1 < shown.size(); i++) {
            if (shown.get(0).equals("pcs") && shown.get(i).equals("-p")) {
                shown.set(i + 1, PASSWORD_SHOWN);
            }
        }
        return shown;
    }

    private static NodeOperations.Outcome push(ToolRunner tools, SetupCommand.CibPush push, Duration timeout)
            throws NodeAccessException {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("pcs", "cluster", "cib", CIB_FILE));
        push.changes().forEach(c -> commands.add(concat(List.of("pcs", "-f", CIB_FILE), c)));
        commands.add(List.of("pcs", "cluster", "cib-push", CIB_FILE, "--config"));
        StringBuilder said = new StringBuilder();
        try {
            for (List<String> argv : commands) {
                NodeOperations.Outcome outcome = one(tools, argv, timeout);
                if (!outcome.succeeded()) {
                    return outcome; // the live CIB is untouched unless the push itself ran
                }
                if (outcome.stdout() != null && !outcome.stdout().isBlank()) {
                    said.append(outcome.stdout().strip()).append('\n');
                }
            }
        } finally {
            tools.run(List.of("rm", "-f", "--", CIB_FILE), timeout);
        }
        return new NodeOperations.Outcome(List.of("pcs", "cluster", "cib-push", CIB_FILE, "--config"), 0,
                "Pushed " + push.changes().size() + " changes in one transaction.\n" + said, "");
    }

    private static NodeOperations.Outcome one(ToolRunner tools, List<String> argv, Duration timeout) throws NodeAccessException {
        return NodeOperations.Outcome.of(shown(argv), tools.run(argv, timeout));
    }

    private static String requireUnit(String unit) {
        if (unit == null || !unit.matches("[A-Za-z0-9:_.@-]{1,255}") || unit.startsWith("-")) {
            throw new IllegalArgumentException("NFO's service unit is not configured on this node: " + unit);
        }
        return unit;
    }

    private static void hosts(List<String> argv, List<SetupCommand.Host> hosts) {
        hosts.forEach(h -> argv.addAll(List.of(h.name(), "addr=" + h.address())));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
