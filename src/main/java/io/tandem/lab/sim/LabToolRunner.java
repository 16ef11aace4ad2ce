package io.tandem.lab.sim;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tandem.lab.nfo.OutputGateSim;
import io.tandem.node.CommandResult;
import io.tandem.node.GateDestination;
import io.tandem.node.NodeAccessException;
import io.tandem.node.OutputGate;
import io.tandem.node.ToolRunner;
import io.tandem.pacemaker.ClusterCommand;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One simulated node's tools, so the real agent code and parsers run over the simulation unchanged. It answers
 * exactly: {@code systemctl show <unit> -p ...} and {@code systemctl start|stop|restart <unit>};
 * {@link OutputGate#listCommand()}, {@link OutputGate#openCommand()} and {@link OutputGate#blockCommand};
 * {@code crm_mon --one-shot --output-as=xml}; {@code cibadmin --query [--scope constraints|configuration]}; every
 * {@link ClusterCommand#argv()}; and on Cold pairs {@code drbdsetup status --json --verbose --statistics}.
 * Anything else is {@link NodeAccessException.ToolMissing}; every call to a crashed node is
 * {@link NodeAccessException.Unreachable}.
 */
public final class LabToolRunner implements ToolRunner {

    public static final List<String> CRM_MON = List.of("crm_mon", "--one-shot", "--output-as=xml");
    public static final List<String> CIB = List.of("cibadmin", "--query");
    public static final List<String> CIB_CONSTRAINTS = List.of("cibadmin", "--query", "--scope", "constraints");
    public static final List<String> CIB_CONFIGURATION = List.of("cibadmin", "--query", "--scope", "configuration");
    public static final List<String> DRBD_STATUS = List.of("drbdsetup", "status", "--json", "--verbose", "--statistics");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter SYSTEMD_TIME = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern GATE_RULE = Pattern.compile("add rule inet tandem output (ip|ip6) daddr (\\S+) "
            + "(udp|tcp) dport (\\d{1,5}) counter drop comment \"(tandem-gate|tandem-hold until \\d{1,12})\"");

    private final SimulatedPair pair;
    private final String node;

    public LabToolRunner(SimulatedPair pair, String node) {
        this.pair = pair;
        this.node = node;
        pair.node(node); // refuses a node the pair does not have
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) throws NodeAccessException {
        if (argv == null || argv.isEmpty()) {
            throw missing(List.of());
        }
        synchronized (pair) {
            if (!pair.online(node)) {
                throw new NodeAccessException.Unreachable(node + " is down (simulated crash)", null);
            }
            return switch (argv.get(0)) {
                case "systemctl" -> systemctl(argv);
                case "nft" -> nft(argv);
                case "crm_mon" -> answer(argv.equals(CRM_MON), argv, () -> PacemakerXml.crmMon(pair));
                case "cibadmin" -> argv.equals(CIB) ? ok(PacemakerXml.cib(pair))
                        : argv.equals(CIB_CONFIGURATION) ? ok(PacemakerXml.configuration(pair))
                        : answer(argv.equals(CIB_CONSTRAINTS), argv, () -> PacemakerXml.constraints(pair));
                case "pcs" -> pair.run(pcs(argv));
                case "drbdsetup" -> answer(argv.equals(DRBD_STATUS) && pair.spec().mode() == PairSpec.Mode.COLD, argv,
                        () -> pair.drbd().statusJson(node, pair.activeOrNull(), pair.onlineNodes()));
                default -> throw missing(argv);
            };
        }
    }

    private CommandResult systemctl(List<String> argv) throws NodeAccessException {
        String unit = pair.spec().unit();
        SimulatedPair.SimNode simNode = pair.node(node);
        if (argv.size() == 5 && argv.get(1).equals("show") && argv.get(3).equals("-p")) {
            return ok(show(argv.get(2).equals(unit) || argv.get(2).equals(unit + ".service") ? simNode.unit : null,
                    argv.get(4)));
        }
        if (argv.size() != 3 || !List.of("start", "stop", "restart").contains(argv.get(1))) {
            throw missing(argv);
        }
        if (!argv.get(2).equals(unit) && !argv.get(2).equals(unit + ".service")) {
            return new CommandResult(5, "", "Failed to " + argv.get(1) + " " + argv.get(2) + ".service: Unit "
                    + argv.get(2) + ".service not found.\n", false);
        }
        return pair.serviceControl(node, argv.get(1));
    }

    /** {@code KEY=value} lines for the asked properties, as systemctl prints them; an unknown unit is not-found. */
    private static String show(SimulatedPair.Unit unit, String properties) {
        StringBuilder out = new StringBuilder();
        for (String property : properties.split(",")) {
            String value = switch (property) {
                case "LoadState" -> unit == null ? "not-found" : "loaded";
                case "ActiveState" -> unit == null ? "inactive" : unit.activeState();
                case "SubState" -> unit == null ? "dead" : unit.subState();
                case "MainPID" -> unit == null ? "0" : String.valueOf(unit.mainPid());
                case "ActiveEnterTimestamp" -> unit == null || unit.since() == null ? ""
                        : SYSTEMD_TIME.format(unit.since());
                case "ExecMainStatus" -> unit == null ? "0" : String.valueOf(unit.execMainStatus());
                // Pacemaker starts the simulated NFO; its unit does not start at boot, as setup leaves it
                case "UnitFileState" -> unit == null ? "" : "disabled";
                default -> null;
            };
            if (value != null) {
                out.append(property).append('=').append(value).append('\n');
            }
        }
        return out.toString();
    }

    private CommandResult nft(List<String> argv) throws NodeAccessException {
        OutputGateSim gate = pair.node(node).nfo.gate();
        if (argv.equals(OutputGate.listCommand())) {
            return ok(nftJson(gate));
        }
        if (argv.equals(OutputGate.openCommand())) {
            gate.open();
            return ok("");
        }
        List<GateDestination> destinations = blockedDestinations(argv);
        if (!destinations.isEmpty() && OutputGate.blockCommand(destinations).equals(argv)) {
            gate.block(destinations);
            return ok("");
        }
        java.util.Optional<java.time.Instant> until = destinations.isEmpty() ? java.util.Optional.empty() : holdDeadline(argv);
        if (until.isPresent()
                && OutputGate.holdCommand(destinations, until.get()).equals(argv)) {
            gate.hold(destinations, until.get());
            return ok("");
        }
        throw missing(argv);
    }

    /** The deadline of a hold script's first rule (the whole script is then compared with what holdCommand writes). */
    private static java.util.Optional<java.time.Instant> holdDeadline(List<String> argv) {
        for (String statement : argv.get(1).split("; ")) {
            Matcher m = GATE_RULE.matcher(statement);
            if (m.matches()) {
                return OutputGate.holdDeadline(m.group(5));
            }
        }
        return java.util.Optional.empty();
    }

    /** The destinations of a block or hold script's rules; the caller compares the whole script with what we write. */
    private static List<GateDestination> blockedDestinations(List<String> argv) {
        if (argv.size() != 2) {
            return List.of();
        }
        List<GateDestination> destinations = new ArrayList<>();
        for (String statement : argv.get(1).split("; ")) {
            Matcher m = GATE_RULE.matcher(statement);
            if (m.matches()) {
                try {
                    destinations.add(new GateDestination(m.group(1), m.group(2),
                            GateDestination.Transport.valueOf(m.group(3).toUpperCase(Locale.ROOT)),
                            Integer.parseInt(m.group(4))));
                } catch (IllegalArgumentException e) {
                    return List.of();
                }
            }
        }
        return destinations;
    }

    /** Our table in libnftables' JSON shape (as nft 1.0.6 prints it; see the recorded samples in the tests). */
    static String nftJson(OutputGateSim gate) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode items = root.putArray("nftables");
        ObjectNode meta = items.addObject().putObject("metainfo");
        meta.put("version", "1.0.6");
        meta.put("release_name", "Lester Gooch #5");
        meta.put("json_schema_version", 1);
        ObjectNode table = items.addObject().putObject("table");
        table.put("family", OutputGate.FAMILY);
        table.put("name", OutputGate.TABLE);
        table.put("handle", 1);
        ObjectNode chain = items.addObject().putObject("chain");
        chain.put("family", OutputGate.FAMILY);
        chain.put("table", OutputGate.TABLE);
        chain.put("name", OutputGate.CHAIN);
        chain.put("handle", 1);
        chain.put("type", "filter");
        chain.put("hook", "output");
        chain.put("prio", 0);
        chain.put("policy", "accept");
        int handle = 2;
        for (OutputGateSim.Rule rule : gate.rules()) {
            ObjectNode r = items.addObject().putObject("rule");
            r.put("family", OutputGate.FAMILY);
            r.put("table", OutputGate.TABLE);
            r.put("chain", OutputGate.CHAIN);
            r.put("handle", handle++);
            r.put("comment", gate.heldUntil() == null ? OutputGate.COMMENT : OutputGate.holdComment(gate.heldUntil()));
            ArrayNode expr = r.putArray("expr");
            GateDestination d = rule.destination();
            match(expr, d.family(), "daddr").put("right", d.address());
            match(expr, d.transport().nft(), "dport").put("right", d.port());
            ObjectNode counter = expr.addObject().putObject("counter");
            counter.put("packets", rule.packets());
            counter.put("bytes", rule.bytes());
            expr.addObject().putNull("drop");
        }
        return JSON.writeValueAsString(root);
    }

    private static ObjectNode match(ArrayNode expr, String protocol, String field) {
        ObjectNode match = expr.addObject().putObject("match");
        match.put("op", "==");
        ObjectNode payload = match.putObject("left").putObject("payload");
        payload.put("protocol", protocol);
        payload.put("field", field);
        return match;
    }

    /** Rebuilds the typed command from argv and accepts it only if it prints back the same argv. */
    private ClusterCommand pcs(List<String> argv) throws NodeAccessException {
        ClusterCommand command = null;
        try {
            if (argv.size() >= 4 && argv.get(1).equals("resource")) {
                String rsc = argv.get(3);
                String node = argv.size() == 5 ? argv.get(4) : argv.size() == 6 ? argv.get(5) : null;
                command = switch (argv.get(2)) {
                    case "move" -> new ClusterCommand.Move(rsc, node);
                    case "move-with-constraint" -> new ClusterCommand.MoveWithConstraint(rsc, node);
                    case "clear" -> new ClusterCommand.Clear(rsc, node);
                    case "ban" -> new ClusterCommand.Ban(rsc, node);
                    case "cleanup" -> new ClusterCommand.Cleanup(rsc, node);
                    case "restart" -> new ClusterCommand.Restart(rsc, node);
                    default -> null;
                };
            } else if (argv.size() == 4 && argv.get(1).equals("node")) {
                command = switch (argv.get(2)) {
                    case "standby" -> new ClusterCommand.Standby(argv.get(3));
                    case "unstandby" -> new ClusterCommand.Unstandby(argv.get(3));
                    default -> null;
                };
            }
        } catch (IllegalArgumentException e) {
            throw missing(argv);
        }
        if (command == null || !command.argv().equals(argv)) {
            throw missing(argv);
        }
        return command;
    }

    private interface Output {
        String text();
    }

    private CommandResult answer(boolean known, List<String> argv, Output output)
            throws NodeAccessException {
        if (!known) {
            throw missing(argv);
        }
        return ok(output.text());
    }

    private static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "", false);
    }

    private NodeAccessException.ToolMissing missing(List<String> argv) {
        return new NodeAccessException.ToolMissing("the lab node " + node + " does not simulate: "
                + String.join(" ", argv.stream().limit(8).map(a -> a.length() > 60 ? a.substring(0, 60) + "..." : a)
                .toList()), null);
    }
}
