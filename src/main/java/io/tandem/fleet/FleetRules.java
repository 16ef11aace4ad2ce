package io.tandem.fleet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.tandem.console.Rejected;
import io.tandem.console.Rejected.Violation;
import io.tandem.node.config.PathGlobs;

/**
 * Checks an admin's cluster description and fills in defaults. Collects every problem at once, each
 * named by its field path ({@code nodes[1].address}), so the form shows all of them together.
 */
final class FleetRules {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern CONTROL_EXCEPT_NEWLINE = Pattern.compile("[\\p{Cntrl}&&[^\\n\\r\\t]]");
    /** Pacemaker ids are XML IDs. */
    private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern UNIX_USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\-]{1,128}");
    private static final Pattern AGENT_TOKEN = Pattern.compile("[\\x21-\\x7E]{16,512}");
    private static final int MAX_GLOBS = 50;
    private static final int MAX_FLOW_PORTS = 16;
    private static final int MAX_CREDENTIAL = 16_384;

    private final List<Violation> violations = new ArrayList<>();

    private FleetRules() {
    }

    /** The spec with defaults applied, or {@link Rejected} listing every problem found. */
    static ClusterSpec normalize(ClusterSpec spec) {
        FleetRules rules = new FleetRules();
        ClusterSpec normalized = rules.cluster(spec);
        if (!rules.violations.isEmpty()) {
            throw Rejected.invalid("invalid-cluster", rules.violations);
        }
        return normalized;
    }

    /**
     * The mode and resource names an adoption saves (the other fields of the result are null), or {@link Rejected}
     * naming each field under {@code mapping.}. A blank name keeps {@code current}'s.
     */
    static ClusterSpec adopted(ClusterSpec given, ClusterView current) {
        FleetRules rules = new FleetRules();
        if (given.mode() == null) {
            rules.fail("mapping.mode", "Choose the mode: HOT or COLD.");
        }
        String nfo = rules.resource("mapping.nfoResource", given.nfoResource(), current.nfoResource());
        String vip = rules.resource("mapping.vipResource", given.vipResource(), current.vipResource());
        String gate = rules.resource("mapping.gateResource", given.gateResource(), current.gateResource());
        String drbd = given.mode() == ClusterMode.COLD ? rules.resource("mapping.drbdResource", given.drbdResource(),
                current.drbdResource() == null ? FleetDefaults.DRBD_RESOURCE : current.drbdResource()) : null;
        if (!rules.violations.isEmpty()) {
            throw Rejected.invalid("invalid-adoption", rules.violations);
        }
        return new ClusterSpec(null, given.mode(), null, nfo, vip, gate, drbd, null);
    }

    /** A pair's drift ignore list, stripped and without repeats, or {@link Rejected} naming the unusable glob. */
    static List<String> driftIgnore(List<String> given) {
        FleetRules rules = new FleetRules();
        List<String> globs = rules.globs("driftIgnore", given == null ? List.of() : given, List.of())
                .stream().distinct().toList();
        if (!rules.violations.isEmpty()) {
            throw Rejected.invalid("invalid-drift-ignore", rules.violations);
        }
        return globs;
    }

    private ClusterSpec cluster(ClusterSpec spec) {
        String name = strip(spec.name());
        if (name == null) {
            fail("name", "Give the pair a name.");
        } else if (name.length() > 100) {
            fail("name", "A name has at most 100 characters.");
        } else if (CONTROL.matcher(name).find()) {
            fail("name", "A name cannot contain control characters.");
        }
        if (spec.mode() == null) {
            fail("mode", "Choose the mode: HOT or COLD.");
        }
        String description = strip(spec.description());
        if (description != null && (description.length() > 1000 || CONTROL_EXCEPT_NEWLINE.matcher(description).find())) {
            fail("description", "A description has at most 1000 characters and no control characters.");
        }
        String nfo = resource("nfoResource", spec.nfoResource(), FleetDefaults.NFO_RESOURCE);
        String vip = resource("vipResource", spec.vipResource(), FleetDefaults.VIP_RESOURCE);
        String gate = resource("gateResource", spec.gateResource(), FleetDefaults.GATE_RESOURCE);
        String drbd = spec.mode() == ClusterMode.COLD
                ? resource("drbdResource", spec.drbdResource(), FleetDefaults.DRBD_RESOURCE) : null;

        List<NodeSpec> nodes = new ArrayList<>();
        if (spec.nodes() == null || spec.nodes().size() != 2) {
            fail("nodes", "A pair has exactly two nodes; " + (spec.nodes() == null ? "none" : spec.nodes().size()) + " given.");
        } else {
            for (int i = 0; i < 2; i++) {
                nodes.add(node("nodes[" + i + "].", spec.nodes().get(i) == null ? emptyNode() : spec.nodes().get(i)));
            }
            if (nodes.get(0).name() != null && nodes.get(1).name() != null
                    && nodes.get(0).name().equalsIgnoreCase(nodes.get(1).name())) {
                fail("nodes[1].name", "The two nodes need different names.");
            }
        }
        return new ClusterSpec(name, spec.mode(), description, nfo, vip, gate, drbd, nodes);
    }

    private NodeSpec node(String path, NodeSpec spec) {
        String name = strip(spec.name());
        if (name == null || !NODE_NAME.matcher(name).matches()) {
            fail(path + "name", "A node name has 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        String address = strip(spec.address());
        if (address == null || !validAddress(address)) {
            fail(path + "address", "Give a host name or an IPv4/IPv6 address.");
        }
        if (spec.access() == null) {
            fail(path + "access", "Choose how Tandem reaches the node: AGENT or SSH.");
        }
        String sshUser = orDefault(strip(spec.sshUser()), FleetDefaults.SSH_USER);
        if (!UNIX_USER.matcher(sshUser).matches()) {
            fail(path + "sshUser", "An SSH user has 1 to 32 letters, digits, '_', '.' or '-'.");
        }
        int sshPort = port(path + "sshPort", spec.sshPort(), FleetDefaults.SSH_PORT);
        int agentPort = port(path + "agentPort", spec.agentPort(), FleetDefaults.AGENT_PORT);
        String home = orDefault(strip(spec.nfoHome()), FleetDefaults.NFO_HOME);
        if (!home.startsWith("/") || home.length() > 255 || hasDotDot(home) || CONTROL.matcher(home).find()) {
            fail(path + "nfoHome", "The NFO home is an absolute path without '..', at most 255 characters.");
        }
        String unit = orDefault(strip(spec.serviceUnit()), FleetDefaults.SERVICE_UNIT);
        if (!UNIT.matcher(unit).matches()) {
            fail(path + "serviceUnit", "A systemd unit name has letters, digits and ':_.@\\-' only.");
        }
        List<String> includes = globs(path + "configIncludes", spec.configIncludes(), FleetDefaults.CONFIG_INCLUDES);
        if (includes.isEmpty()) {
            fail(path + "configIncludes", "At least one include glob is needed, e.g. server/etc/**.");
        }
        List<String> excludes = globs(path + "configExcludes", spec.configExcludes(), FleetDefaults.CONFIG_EXCLUDES);
        List<Integer> flowPorts = flowPorts(path + "flowPorts", spec.flowPorts());
        String credential = spec.credential() == null || spec.credential().isBlank() ? null : spec.credential().strip();
        if (credential != null && spec.access() != null) {
            checkCredential(path + "credential", spec.access(), credential);
        }
        return new NodeSpec(name, address, spec.access(), sshUser, sshPort, agentPort, home, unit, includes, excludes,
                flowPorts, credential, Boolean.TRUE.equals(spec.sshSudo()));
    }

    private void checkCredential(String field, AccessKind access, String credential) {
        if (credential.length() > MAX_CREDENTIAL) {
            fail(field, "A credential has at most " + MAX_CREDENTIAL + " characters.");
        } else if (access == AccessKind.SSH
                && !(credential.startsWith("-----BEGIN ") && credential.contains("PRIVATE KEY-----"))) {
            fail(field, "For SSH, paste a private key in PEM or OpenSSH format (-----BEGIN ... PRIVATE KEY-----).");
        } else if (access == AccessKind.AGENT && !AGENT_TOKEN.matcher(credential).matches()) {
            fail(field, "For the agent, paste the token printed by 'tandem agent init' (16 to 512 characters, no spaces).");
        }
    }

    private String resource(String field, String value, String fallback) {
        String id = orDefault(strip(value), fallback);
        if (!RESOURCE_ID.matcher(id).matches()) {
            fail(field, "A Pacemaker resource id starts with a letter or '_' and has letters, digits, '_', '.' or '-' (at most 128).");
        }
        return id;
    }

    private int port(String field, Integer value, int fallback) {
        int port = value == null ? fallback : value;
        if (port < 1 || port > 65535) {
            fail(field, "A port is between 1 and 65535.");
        }
        return port;
    }

    private List<String> globs(String field, List<String> given, List<String> fallback) {
        if (given == null) {
            return fallback;
        }
        List<String> globs = given.stream().map(FleetRules::strip).filter(g -> g != null).toList();
        if (globs.size() > MAX_GLOBS) {
            fail(field, "At most " + MAX_GLOBS + " globs.");
        }
        for (String glob : globs) {
            if (glob.length() > 255 || hasDotDot(glob) || CONTROL.matcher(glob).find()) {
                fail(field, "'" + shorten(glob) + "' is not a usable glob: no '..', no control characters, at most 255 characters.");
                return globs;
            }
            try {
                PathGlobs.of(List.of(glob)); // the agent and the drift judgement read globs the same way
            } catch (IllegalArgumentException e) {
                fail(field, "'" + shorten(glob) + "' is not a usable glob: it must be relative to the NFO home, like server/etc/**.");
                return globs;
            }
        }
        return globs;
    }

    private List<Integer> flowPorts(String field, List<Integer> given) {
        if (given == null) {
            return FleetDefaults.FLOW_PORTS;
        }
        if (given.isEmpty() || given.size() > MAX_FLOW_PORTS) {
            fail(field, "Give 1 to " + MAX_FLOW_PORTS + " UDP ports where NFO receives flows.");
            return given;
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer port : given) {
            if (port == null || port < 1 || port > 65535) {
                fail(field, "A flow port is between 1 and 65535.");
                break;
            }
            if (!seen.add(port)) {
                fail(field, "Port " + port + " is listed twice.");
                break;
            }
        }
        return List.copyOf(given.stream().filter(p -> p != null).toList());
    }

    private static boolean validAddress(String address) {
        if (address.length() > 253) {
            return false;
        }
        if (IPV4.matcher(address).matches()) {
            return true;
        }
        if (address.contains(":")) {
            return IPV6.matcher(address).matches() && parsesAsIpv6Literal(address);
        }
        if (address.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return false; // looks numeric but is no IPv4 address
        }
        for (String label : address.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Only a literal reaches InetAddress here (the pattern allows hex digits, ':' and '.'), so no DNS lookup happens. */
    private static boolean parsesAsIpv6Literal(String address) {
        try {
            return java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean hasDotDot(String path) {
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static NodeSpec emptyNode() {
        return new NodeSpec(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String strip(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private void fail(String field, String message) {
        violations.add(new Violation(field, message));
    }

}
