package io.tandem.node;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Gathers {@link NodeFacts} from a node's own tools and files. The agent builds it over a
 * {@link LocalToolRunner} and {@link FileSource#local()}; the SSH adapter over its remote runner and
 * {@link FileSource#viaTool}. Each part can be read on its own, so one missing tool (say, nft) does not hide
 * the others; {@link #snapshot()} wants them all.
 */
public final class NodeFactsCollector {

    /**
     * @param service how NFO is controlled on this node
     * @param inputPorts NFO's configured flow input ports (UDP)
     * @param timeout the limit for each command
     */
    public record Settings(ServiceControl service, Set<Integer> inputPorts, Duration timeout) {
        public Settings {
            Objects.requireNonNull(service, "service");
            inputPorts = Set.copyOf(inputPorts);
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    private final ToolRunner tools;
    private final FileSource files;
    private final Clock clock;
    private final Settings settings;

    public NodeFactsCollector(ToolRunner tools, FileSource files, Clock clock, Settings settings) {
        this.tools = Objects.requireNonNull(tools, "tools");
        this.files = Objects.requireNonNull(files, "files");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public NodeFacts snapshot() throws NodeAccessException {
        HostFacts host = host();
        return new NodeFacts(host, service(), udp(), gate(), clock.instant());
    }

    public HostFacts host() throws NodeAccessException {
        return HostFacts.parse(required("/proc/sys/kernel/hostname"), required("/proc/uptime"),
                required("/proc/sys/kernel/osrelease"), clock.instant());
    }

    public ServiceState service() throws NodeAccessException {
        ServiceControl control = settings.service();
        CommandResult result = tools.run(control.showCommand(), settings.timeout());
        if (!control.isSystemd()) {
            return ServiceStateParser.fromStatusExit(result);
        }
        if (!result.succeeded()) {
            throw new NodeAccessException.BadAnswer("systemctl show exited " + result.exitCode() + ": "
                    + result.firstErrorLine(), null);
        }
        return ServiceStateParser.fromSystemctlShow(result.stdout());
    }

    public UdpFacts udp() throws NodeAccessException {
        Set<Integer> ports = settings.inputPorts();
        List<UdpSocket> sockets = new ArrayList<>(ProcNetUdp.sockets(required("/proc/net/udp"), "udp", ports));
        var udp6 = files.read("/proc/net/udp6");
        if (udp6.isPresent()) {
            sockets.addAll(ProcNetUdp.sockets(udp6.get(), "udp6", ports));
        }
        var snmp6 = files.read("/proc/net/snmp6");
        return new UdpFacts(sockets, ProcNetUdp.counters(required("/proc/net/snmp")),
                snmp6.isPresent() ? ProcNetUdp.counters6(snmp6.get()) : null);
    }

    public GateState gate() throws NodeAccessException {
        return OutputGate.read(tools.run(OutputGate.listCommand(), settings.timeout()));
    }

    /** The gate OCF agent installed on the node (read, never run). */
    public GateAgentFacts gateAgent() throws NodeAccessException {
        return GateAgentFacts.of(files.read(GateAgent.INSTALLED_PATH));
    }

    private String required(String path) throws NodeAccessException {
        return files.read(path).orElseThrow(() -> new NodeAccessException.BadAnswer(path + " does not exist", null));
    }
}
