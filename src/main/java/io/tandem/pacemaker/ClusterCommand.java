package io.tandem.pacemaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The closed set of {@code pcs} (0.11) actions Tandem may run on a cluster, each producing an argument vector,
 * never a shell string. Names are checked twice: for syntax when a command is constructed (so no record can hold a
 * name that could be read as an option or a shell word), and against the cluster's {@link ClusterInventory} by
 * {@link #parse} or {@link #checkAgainst} before it runs.
 */
public sealed interface ClusterCommand permits ClusterCommand.Move, ClusterCommand.MoveWithConstraint, ClusterCommand.Clear, ClusterCommand.Ban,
        ClusterCommand.Standby, ClusterCommand.Unstandby, ClusterCommand.Cleanup, ClusterCommand.Restart,
        ClusterCommand.Enable, ClusterCommand.Disable, ClusterCommand.Maintenance {

    /**
     * Pacemaker ids are XML IDs (NCName). We accept the ASCII subset and refuse ':' (clone instance suffixes are
     * not valid targets): a leading letter or '_' means a name can never be taken for an option.
     */
    Pattern RESOURCE_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");

    /** Node names are host names (RFC 1123 allows a leading digit) or ids of that shape; never a leading '-'. */
    Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}");

    /** The argument vector to execute, starting with {@code pcs}. */
    List<String> argv();

    /** The verb as the agent's HTTP API spells it. */
    String verb();

    /** The resource acted on, or null for node commands. */
    String resource();

    /** The node acted on, or null when the command applies cluster-wide. */
    String node();

    default void checkAgainst(ClusterInventory inventory) throws CommandRejectedException {
        if (resource() != null && !inventory.resourceIds().contains(resource())) {
            throw new CommandRejectedException(CommandRejectedException.Reason.UNKNOWN_RESOURCE,
                    "the cluster has no resource named '" + resource() + "'");
        }
        if (node() != null && !inventory.nodeNames().contains(node())) {
            throw new CommandRejectedException(CommandRejectedException.Reason.UNKNOWN_NODE,
                    "the cluster has no node named '" + node() + "'");
        }
    }

    /**
     * Builds a command from the agent API's verb and arguments and checks it against the cluster. Blank
     * arguments count as absent.
     */
    static ClusterCommand parse(String verb, String resource, String node, ClusterInventory inventory)
            throws CommandRejectedException {
        String rsc = blankToNull(resource);
        String target = blankToNull(node);
        checkSyntax(rsc, RESOURCE_ID, "resource");
        checkSyntax(target, NODE_NAME, "node");
        ClusterCommand command = switch (verb == null ? "" : verb.strip().toLowerCase(Locale.ROOT)) {
            case "move" -> new Move(require(rsc, "resource", verb), target);
            case "move-with-constraint" -> new MoveWithConstraint(require(rsc, "resource", verb), require(target, "node", verb));
            case "clear" -> new Clear(require(rsc, "resource", verb), target);
            case "ban" -> new Ban(require(rsc, "resource", verb), require(target, "node", verb));
            case "standby" -> {
                forbidResource(rsc, verb);
                yield new Standby(require(target, "node", verb));
            }
            case "unstandby" -> {
                forbidResource(rsc, verb);
                yield new Unstandby(require(target, "node", verb));
            }
            case "cleanup" -> new Cleanup(require(rsc, "resource", verb), target);
            case "restart" -> new Restart(require(rsc, "resource", verb), target);
            case "enable" -> {
                forbidNode(target, verb);
                yield new Enable(require(rsc, "resource", verb));
            }
            case "disable" -> {
                forbidNode(target, verb);
                yield new Disable(require(rsc, "resource", verb));
            }
            case "maintenance-on", "maintenance-off" -> {
                forbidResource(rsc, verb);
                forbidNode(target, verb);
                yield new Maintenance(verb.strip().equalsIgnoreCase("maintenance-on"));
            }
            default -> throw new CommandRejectedException(CommandRejectedException.Reason.UNKNOWN_VERB,
                    "unknown cluster command '" + printable(verb) + "'; allowed: move, move-with-constraint, clear, ban, standby, "
                            + "unstandby, cleanup, restart, enable, disable, maintenance-on, maintenance-off");
        };
        command.checkAgainst(inventory);
        return command;
    }

    /** {@code pcs resource move <rsc> [node]}; pcs 0.11 removes its temporary constraint unless the move fails. */
    record Move(String resource, String node) implements ClusterCommand {
        public Move {
            resource = validResource(resource);
            node = validOptionalNode(node);
        }

        @Override
        public List<String> argv() {
            return withOptional(List.of("pcs", "resource", "move", resource), node);
        }

        @Override
        public String verb() {
            return "move";
        }
    }

    /**
     * {@code pcs resource move-with-constraint <rsc> <node>}: writes {@code cli-prefer-<rsc>} and returns, without the
     * simulation before and the wait after that {@code pcs resource move} adds (seconds, under load tens of seconds).
     * The constraint stays until {@code pcs resource clear}: only for a caller that waits for the move itself and
     * clears it whatever happened (the switchover, whose gates are both open until Pacemaker acts).
     */
    record MoveWithConstraint(String resource, String node) implements ClusterCommand {
        public MoveWithConstraint {
            resource = validResource(resource);
            node = validNode(node);
        }

        @Override
        public List<String> argv() {
            return List.of("pcs", "resource", "move-with-constraint", resource, node);
        }

        @Override
        public String verb() {
            return "move-with-constraint";
        }
    }

    /** {@code pcs resource clear <rsc> [node]}: removes cli-prefer/cli-ban constraints left by move or ban. */
    record Clear(String resource, String node) implements ClusterCommand {
        public Clear {
            resource = validResource(resource);
            node = validOptionalNode(node);
        }

        @Override
        public List<String> argv() {
            return withOptional(List.of("pcs", "resource", "clear", resource), node);
        }

        @Override
        public String verb() {
            return "clear";
        }
    }

    /** {@code pcs resource ban <rsc> <node>}. */
    record Ban(String resource, String node) implements ClusterCommand {
        public Ban {
            resource = validResource(resource);
            node = validNode(node);
        }

        @Override
        public List<String> argv() {
            return List.of("pcs", "resource", "ban", resource, node);
        }

        @Override
        public String verb() {
            return "ban";
        }
    }

    /** {@code pcs node standby <node>}. */
    record Standby(String node) implements ClusterCommand {
        public Standby {
            node = validNode(node);
        }

        @Override
        public List<String> argv() {
            return List.of("pcs", "node", "standby", node);
        }

        @Override
        public String verb() {
            return "standby";
        }

        @Override
        public String resource() {
            return null;
        }
    }

    /** {@code pcs node unstandby <node>}. */
    record Unstandby(String node) implements ClusterCommand {
        public Unstandby {
            node = validNode(node);
        }

        @Override
        public List<String> argv() {
            return List.of("pcs", "node", "unstandby", node);
        }

        @Override
        public String verb() {
            return "unstandby";
        }

        @Override
        public String resource() {
            return null;
        }
    }

    /** {@code pcs resource cleanup <rsc> [--node <node>]}: forgets failures so the resource may run again. */
    record Cleanup(String resource, String node) implements ClusterCommand {
        public Cleanup {
            resource = validResource(resource);
            node = validOptionalNode(node);
        }

        @Override
        public List<String> argv() {
            List<String> argv = new ArrayList<>(List.of("pcs", "resource", "cleanup", resource));
            if (node != null) {
                argv.add("--node");
                argv.add(node);
            }
            return List.copyOf(argv);
        }

        @Override
        public String verb() {
            return "cleanup";
        }
    }

    /** {@code pcs resource restart <rsc> [node]}. */
    record Restart(String resource, String node) implements ClusterCommand {
        public Restart {
            resource = validResource(resource);
            node = validOptionalNode(node);
        }

        @Override
        public List<String> argv() {
            return withOptional(List.of("pcs", "resource", "restart", resource), node);
        }

        @Override
        public String verb() {
            return "restart";
        }
    }

    /** {@code pcs resource enable <rsc>}: lets Pacemaker start the resource again (target-role no longer Stopped). */
    record Enable(String resource) implements ClusterCommand {
        public Enable {
            resource = validResource(resource);
        }

        @Override
        public List<String> argv() {
            return List.of("pcs", "resource", "enable", resource);
        }

        @Override
        public String verb() {
            return "enable";
        }

        @Override
        public String node() {
            return null;
        }
    }

    /** {@code pcs resource disable <rsc>}: Pacemaker stops the resource everywhere (meta target-role=Stopped). */
    record Disable(String resource) implements ClusterCommand {
        public Disable {
            resource = validResource(resource);
        }

        @Override
        public List<String> argv() {
            return List.of("pcs", "resource", "disable", resource);
        }

        @Override
        public String verb() {
            return "disable";
        }

        @Override
        public String node() {
            return null;
        }
    }

    /**
     * {@code pcs property set maintenance-mode=true|false}: the whole cluster; while on, Pacemaker neither monitors,
     * starts, stops nor moves anything.
     */
    record Maintenance(boolean on) implements ClusterCommand {
        @Override
        public List<String> argv() {
            return List.of("pcs", "property", "set", "maintenance-mode=" + on);
        }

        @Override
        public String verb() {
            return on ? "maintenance-on" : "maintenance-off";
        }

        @Override
        public String resource() {
            return null;
        }

        @Override
        public String node() {
            return null;
        }
    }

    /**
     * Whether the command only edits the CIB, so {@code pcs -f <copy>} can apply it to a copy for crm_simulate to
     * preview. Cleanup asks the controller to forget history and restart does its work live: neither runs on a copy.
     */
    default boolean editsCib() {
        return !(this instanceof Cleanup || this instanceof Restart);
    }

    // ---- validation shared by the records; records may be built directly, so they validate themselves ----

    private static String validResource(String resource) {
        if (resource == null || !RESOURCE_ID.matcher(resource).matches()) {
            throw new IllegalArgumentException("not a valid Pacemaker resource id: " + printable(resource));
        }
        return resource;
    }

    private static String validNode(String node) {
        if (node == null || !NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("not a valid node name: " + printable(node));
        }
        return node;
    }

    private static String validOptionalNode(String node) {
        return node == null ? null : validNode(node);
    }

    private static List<String> withOptional(List<String> argv, String last) {
        if (last == null) {
            return argv;
        }
        List<String> all = new ArrayList<>(argv);
        all.add(last);
        return List.copyOf(all);
    }

    private static void checkSyntax(String value, Pattern pattern, String what) throws CommandRejectedException {
        if (value != null && !pattern.matcher(value).matches()) {
            throw new CommandRejectedException(CommandRejectedException.Reason.INVALID_NAME,
                    "'" + printable(value) + "' is not a valid " + what + " name");
        }
    }

    private static String require(String value, String what, String verb) throws CommandRejectedException {
        if (value == null) {
            throw new CommandRejectedException(CommandRejectedException.Reason.MISSING_ARGUMENT,
                    verb.strip() + " needs a " + what);
        }
        return value;
    }

    private static void forbidNode(String node, String verb) throws CommandRejectedException {
        if (node != null) {
            throw new CommandRejectedException(CommandRejectedException.Reason.UNEXPECTED_ARGUMENT,
                    verb.strip() + " acts on every node and takes no node");
        }
    }

    private static void forbidResource(String resource, String verb) throws CommandRejectedException {
        if (resource != null) {
            throw new CommandRejectedException(CommandRejectedException.Reason.UNEXPECTED_ARGUMENT,
                    verb.strip() + " acts on a node and takes no resource");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Echoing attacker input into logs and error pages: keep it short and without control characters. */
    private static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String cleaned = value.codePoints().limit(80)
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return value.length() > 80 ? cleaned + "..." : cleaned;
    }
}
