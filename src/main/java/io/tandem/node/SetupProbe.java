package io.tandem.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a node has for building an HA pair, read (never changed) with its own tools before setup: OS family, the
 * versions of the cluster tools, an existing corosync configuration, whether the peer's name resolves and its pcsd
 * answers (TCP 2224), whether the output destinations accept TCP, and for Cold the DRBD tools, module and backing
 * device. The agent runs it locally, the SSH adapter remotely, so both report the same facts; judging them (pass,
 * fail, the fix) is the console's setup module.
 */
public final class SetupProbe {

    /** Host names and IP literals that can be passed as one argument without being read as an option. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]{0,252}");
    private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9_./-]{1,200}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9_./-]{1,200}");
    /**
     * An IPv4 literal (four octets of 0-255) or an IPv6 one (hex, dots and at least one colon), never a name (a word of
     * hex letters such as "cafe" is one) or an option.
     */
    private static final Pattern IP_LITERAL = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)|(?=[0-9A-Fa-f.]*:)[0-9A-Fa-f:.]{2,45}");
    private static final List<String> TOOLS = List.of("pcs", "corosync", "pacemakerd", "nft", "crm_simulate", "curl");

    /**
     * @param peerName the peer's node name as Pacemaker will know it (must resolve here)
     * @param peerAddress the peer's address (pcsd there must answer on TCP 2224)
     * @param tcpOutputs output destinations reached over TCP, checked for a connect
     * @param drbdDevice Cold: the backing device DRBD will use, else null
     * @param vip the VIP's address (an IP literal) the pair will move between the nodes, checked to be free; null for none
     * @param mountSource Cold on storage replicated already: the device (or bind source directory) to be mounted, else null
     * @param mountPoint with {@code mountSource}: where it is mounted
     */
    public record Request(String peerName, String peerAddress, List<Endpoint> tcpOutputs, String drbdDevice, String vip,
                          String mountSource, String mountPoint) {

        public Request(String peerName, String peerAddress, List<Endpoint> tcpOutputs, String drbdDevice, String vip) {
            this(peerName, peerAddress, tcpOutputs, drbdDevice, vip, null, null);
        }

        public Request(String peerName, String peerAddress, List<Endpoint> tcpOutputs, String drbdDevice) {
            this(peerName, peerAddress, tcpOutputs, drbdDevice, null);
        }

        public Request {
            requireHost(peerName, "peerName");
            requireHost(peerAddress, "peerAddress");
            if (vip != null && !IP_LITERAL.matcher(vip).matches()) {
                throw new IllegalArgumentException("vip must be an IP address: " + vip);
            }
            tcpOutputs = List.copyOf(tcpOutputs == null ? List.of() : tcpOutputs);
            if (drbdDevice != null && (!DEVICE.matcher(drbdDevice).matches() || drbdDevice.contains(".."))) {
                throw new IllegalArgumentException("drbdDevice must be a path under /dev: " + drbdDevice);
            }
            if ((mountSource == null) != (mountPoint == null)) {
                throw new IllegalArgumentException("mountSource and mountPoint go together");
            }
            for (String path : java.util.Arrays.asList(mountSource, mountPoint)) {
                if (path != null && (!PATH.matcher(path).matches() || path.contains(".."))) {
                    throw new IllegalArgumentException("not an absolute path: " + path);
                }
            }
        }
    }

    public record Endpoint(String host, int port) {
        public Endpoint {
            requireHost(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /** One TCP connect from the node: {@code connected}, else what curl said (refused, timed out, ...). */
    public record Reach(String host, int port, boolean connected, String detail) {
    }

    /**
     * @param os {@code /etc/os-release} keys ID, ID_LIKE, VERSION_ID, PRETTY_NAME (those present)
     * @param versions each cluster tool to the first line of its version output, or null when missing
     * @param corosyncNodes the names and ring addresses in {@code /etc/corosync/corosync.conf}'s nodelist (empty without
     *        one; a distribution's sample file lists only its own placeholder, e.g. Debian's node1 at 127.0.0.1)
     * @param cibExists whether Pacemaker has a CIB on disk ({@code /var/lib/pacemaker/cib/cib.xml}): a cluster ran here
     * @param peerResolvesTo what {@code getent hosts <peer>} answers, or null when the name does not resolve
     * @param pcsdOnPeer the connect to the peer's pcsd (TCP 2224)
     * @param outputs the connects to the TCP output destinations
     * @param drbd Cold only, else null
     * @param clock the node's own clock ({@code date}) at the end of the probe, or null when unreadable
     * @param vip whether the VIP asked about is free, seen from this node; null when none was asked about
     * @param mount the replicated mount asked about; null when none was
     */
    public record Facts(Map<String, String> os, Map<String, String> versions, List<String> corosyncNodes, boolean cibExists,
                        String peerResolvesTo,
                        Reach pcsdOnPeer, List<Reach> outputs, DrbdFacts drbd, java.time.Instant clock, VipFacts vip,
                        MountFacts mount) {

        public Facts(Map<String, String> os, Map<String, String> versions, List<String> corosyncNodes, boolean cibExists,
                     String peerResolvesTo, Reach pcsdOnPeer, List<Reach> outputs, DrbdFacts drbd, java.time.Instant clock,
                     VipFacts vip) {
            this(os, versions, corosyncNodes, cibExists, peerResolvesTo, pcsdOnPeer, outputs, drbd, clock, vip, null);
        }

        public Facts(Map<String, String> os, Map<String, String> versions, List<String> corosyncNodes, boolean cibExists,
                     String peerResolvesTo, Reach pcsdOnPeer, List<Reach> outputs, DrbdFacts drbd, java.time.Instant clock) {
            this(os, versions, corosyncNodes, cibExists, peerResolvesTo, pcsdOnPeer, outputs, drbd, clock, null);
        }
    }

    /**
     * Whether the VIP is in use before the pair takes it: held by this node already ({@code ip -o addr show}), or answering
     * from elsewhere on the network ({@code ping}); an address in use would be taken from whoever has it.
     *
     * @param heldHere one of this node's interfaces has the address
     * @param answers something answered a ping to it; null when that could not be checked (no ping, or not allowed)
     * @param detail what was seen, in words
     */
    public record VipFacts(String address, boolean heldHere, Boolean answers, String detail) {

        public boolean inUse() {
            return heldHere || Boolean.TRUE.equals(answers);
        }
    }

    /**
     * @param drbdadm first line of {@code drbdadm --version}, or null when drbd-utils is missing
     * @param moduleAvailable the kernel module is loaded ({@code /proc/drbd}) or installed ({@code modinfo drbd})
     * @param deviceType what {@code stat} calls the backing device ("block special file"), or null when absent
     * @param mountedAt where the device is mounted now, or null
     */
    public record DrbdFacts(String device, String drbdadm, boolean moduleAvailable, String deviceType, String mountedAt) {
    }

    /**
     * A mount of storage replicated already, as this node has it now.
     *
     * @param sourceType what {@code stat} calls the source ("block special file", "directory"), or null when absent
     * @param mounted something is mounted at the mount point ({@code /proc/mounts})
     * @param mountedFstype the type of what is mounted there, or null
     * @param fstab the {@code /etc/fstab} line that mounts it at boot (no {@code noauto}), or null: a boot mount on both nodes
     *        would have both write the volume before Pacemaker decides
     */
    public record MountFacts(String source, String sourceType, String mountPoint, boolean mounted, String mountedFstype, String fstab) {
    }

    private final ToolRunner tools;
    private final FileSource files;
    private final Duration timeout;

    public SetupProbe(ToolRunner tools, FileSource files, Duration timeout) {
        this.tools = Objects.requireNonNull(tools, "tools");
        this.files = Objects.requireNonNull(files, "files");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public Facts probe(Request request) throws NodeAccessException {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String tool : TOOLS) {
            versions.put(tool, version(List.of(tool, tool.equals("corosync") ? "-v" : "--version")));
        }
        List<Reach> outputs = new ArrayList<>();
        for (Endpoint output : request.tcpOutputs()) {
            outputs.add(connect("telnet", output.host(), output.port(), versions.get("curl") != null));
        }
        return new Facts(osRelease(), versions, corosyncNodes(files.read("/etc/corosync/corosync.conf").orElse("")),
                tools.run(List.of("stat", "-c", "%s", "/var/lib/pacemaker/cib/cib.xml"), timeout).succeeded(),
                resolve(request.peerName()), connect("https", request.peerAddress(), 2224, versions.get("curl") != null), outputs,
                request.drbdDevice() == null ? null : drbd(request.drbdDevice()), nodeClock(),
                request.vip() == null ? null : vip(request.vip()),
                request.mountSource() == null ? null : mount(request.mountSource(), request.mountPoint()));
    }

    private MountFacts mount(String source, String mountPoint) throws NodeAccessException {
        CommandResult stat = tools.run(List.of("stat", "-L", "-c", "%F", source), timeout);
        boolean mounted = false;
        String fstype = null;
        for (String line : files.read("/proc/mounts").orElse("").split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[1].equals(mountPoint)) {
                mounted = true;
                fstype = fields[2];
            }
        }
        String fstab = null;
        for (String line : files.read("/etc/fstab").orElse("").split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (!line.strip().startsWith("#") && fields.length > 1 && fields[1].equals(mountPoint)
                    && (fields.length < 4 || !java.util.Arrays.asList(fields[3].split(",")).contains("noauto"))) {
                fstab = line.strip();
            }
        }
        return new MountFacts(source, stat.succeeded() ? stat.stdout().strip() : null, mountPoint, mounted, fstype, fstab);
    }

    private static final Duration PING_TIME = Duration.ofSeconds(5);

    private VipFacts vip(String address) throws NodeAccessException {
        boolean held = false;
        try {
            CommandResult addresses = tools.run(List.of("ip", "-o", "addr", "show"), timeout);
            held = addresses.succeeded() && Pattern.compile("\\sinet6?\\s" + Pattern.quote(address) + "/").matcher(addresses.stdout()).find();
        } catch (NodeAccessException.ToolMissing missing) {
            // the ping below still tells whether anything holds it
        }
        CommandResult ping;
        try {
            ping = tools.run(List.of("ping", "-n", "-q", "-c", "2", "-W", "1", address), PING_TIME.compareTo(timeout) > 0 ? PING_TIME : timeout);
        } catch (NodeAccessException.ToolMissing missing) {
            return new VipFacts(address, held, null, (held ? "this node has it already; " : "") + "not pinged: ping is not installed");
        }
        // ping: 0 = answered, 1 = no answer, 2 (or other) = could not ping at all (no route, not permitted)
        Boolean answers = switch (ping.exitCode()) {
            case 0 -> true;
            case 1 -> false;
            default -> null;
        };
        String detail = (held ? "this node has it already" : "no interface of this node has it") + "; "
                + (answers == null ? "ping could not run (exit " + ping.exitCode() + (ping.stderr().isBlank() ? "" : ": " + ping.firstErrorLine()) + ")"
                : answers ? "it answers ping" : "no answer to ping");
        return new VipFacts(address, held, answers, detail);
    }

    /** The node's own clock, even over SSH (where the reading side's clock would say nothing about the node). */
    private java.time.Instant nodeClock() throws NodeAccessException {
        CommandResult date = tools.run(List.of("date", "-u", "+%s.%N"), timeout);
        String text = date.stdout().strip();
        if (!date.succeeded() || !text.matches("\\d{1,12}\\.\\d{9}")) {
            return null;
        }
        String[] parts = text.split("\\.");
        return java.time.Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    private static final Pattern NODELIST_ENTRY = Pattern.compile("^\\s*(name|ring0_addr|ring1_addr)\\s*:\\s*(\\S+)\\s*$", Pattern.MULTILINE);

    static List<String> corosyncNodes(String conf) {
        int nodelist = conf.indexOf("nodelist");
        List<String> nodes = new ArrayList<>();
        if (nodelist >= 0) {
            java.util.regex.Matcher m = NODELIST_ENTRY.matcher(conf.substring(nodelist));
            while (m.find()) {
                nodes.add(m.group(2));
            }
        }
        return nodes;
    }

    private Map<String, String> osRelease() throws NodeAccessException {
        Map<String, String> os = new LinkedHashMap<>();
        Optional<String> text = files.read("/etc/os-release");
        for (String line : text.orElse("").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String key = line.substring(0, eq).strip();
                if (List.of("ID", "ID_LIKE", "VERSION_ID", "PRETTY_NAME").contains(key)) {
                    os.put(key, line.substring(eq + 1).strip().replaceAll("^\"|\"$", ""));
                }
            }
        }
        return os;
    }

    /** The first non-blank line a tool prints about its version, or null when it is not installed. */
    private String version(List<String> argv) throws NodeAccessException {
        CommandResult result;
        try {
            result = tools.run(argv, timeout);
        } catch (NodeAccessException.ToolMissing missing) {
            return null;
        }
        if (result.exitCode() == 127) {
            return null;
        }
        String text = (result.stdout() + "\n" + result.stderr()).strip();
        return text.isEmpty() ? "(no version printed, exit " + result.exitCode() + ")" : text.lines().findFirst().orElse("").strip();
    }

    private String resolve(String name) throws NodeAccessException {
        CommandResult result = tools.run(List.of("getent", "hosts", name), timeout);
        return result.succeeded() && !result.stdout().isBlank() ? result.stdout().lines().findFirst().orElse("").strip() : null;
    }

    /**
     * curl prints when the TCP connection was made ({@code time_connect}): a non-zero connect time, not the exit code,
     * tells that the port accepted (telnet:// keeps a connected session open until --max-time cuts it; pcsd speaks
     * https and answers at once; its self-signed certificate is not what is checked here).
     */
    private Reach connect(String scheme, String host, int port, boolean haveCurl) throws NodeAccessException {
        if (!haveCurl) {
            return new Reach(host, port, false, "not checked: curl is not installed on this node");
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        CommandResult result = tools.run(List.of("curl", "-k", "-s", "-o", "/dev/null", "-w", "%{time_connect}",
                "--connect-timeout", "3", "--max-time", "4", scheme + "://" + hostPart + ":" + port + (scheme.equals("https") ? "/" : "")), Duration.ofSeconds(8).compareTo(timeout) > 0 ? Duration.ofSeconds(8) : timeout);
        String connectTime = result.stdout().strip();
        boolean connected = connectTime.matches("\\d+(\\.\\d+)?") && Double.parseDouble(connectTime) > 0;
        String detail = connected ? "connected" : switch (result.exitCode()) {
            case 7 -> "refused (nothing listens, or a firewall rejects)";
            case 28 -> "timed out (no answer: a firewall drops, or the host is down)";
            case 6 -> "the name does not resolve";
            default -> "curl exited " + result.exitCode() + (result.stderr().isBlank() ? "" : ": " + result.firstErrorLine());
        };
        return new Reach(host, port, connected, detail);
    }

    private DrbdFacts drbd(String device) throws NodeAccessException {
        String drbdadm = version(List.of("drbdadm", "--version"));
        boolean module = files.read("/proc/drbd").isPresent() || moduleInstalled();
        CommandResult stat = tools.run(List.of("stat", "-L", "-c", "%F", device), timeout);
        String type = stat.succeeded() ? stat.stdout().strip() : null;
        String mountedAt = null;
        for (String line : files.read("/proc/mounts").orElse("").split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 1 && fields[0].equals(device)) {
                mountedAt = fields[1];
            }
        }
        return new DrbdFacts(device, drbdadm, module, type, mountedAt);
    }

    private boolean moduleInstalled() throws NodeAccessException {
        try {
            return tools.run(List.of("modinfo", "-F", "version", "drbd"), timeout).succeeded();
        } catch (NodeAccessException.ToolMissing missing) {
            return false;
        }
    }

    private static void requireHost(String value, String what) {
        if (value == null || !HOST.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a host name or IP address: " + value);
        }
    }
}
