package io.tandem.lab.nfo;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

import io.tandem.lab.exporter.ExportersCommand;
import io.tandem.node.GateDestination;
import io.tandem.pacemaker.ClusterCommand;

/**
 * How to run one lab NFO node.
 *
 * @param nodeName the name written into every forwarded syslog line (the SIEM counts by it); a host name
 * @param home the node's NFO_HOME: configuration under {@code server/etc}, templates under {@code data},
 *        status under {@code run}
 * @param listen where NetFlow/IPFIX arrives (UDP); port 0 picks a free one
 * @param output where the syslog lines go
 * @param statusPort a loopback TCP port serving the status JSON, 0 for a free one, -1 for none
 * @param gate the simulated firewall gate consulted before each send
 */
public record LabNfoConfig(String nodeName, Path home, InetSocketAddress listen, Output output, int statusPort,
        OutputGateSim gate, Clock clock) {

    public static final int NO_STATUS_PORT = -1;

    public LabNfoConfig {
        if (nodeName == null || !ClusterCommand.NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("node name must be a host name: " + nodeName);
        }
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(clock, "clock");
        if (statusPort < NO_STATUS_PORT || statusPort > 65535) {
            throw new IllegalArgumentException("status port out of range: " + statusPort);
        }
    }

    /** The same node listening elsewhere: a restart keeps the port it first bound. */
    public LabNfoConfig withListen(InetSocketAddress address) {
        return new LabNfoConfig(nodeName, home, address, output, statusPort, gate, clock);
    }

    /**
     * Where NFO sends its syslog lines. The address must be resolved: the gate matches IP literals, exactly as
     * nft does (see {@link GateDestination}).
     */
    public record Output(InetSocketAddress address, GateDestination.Transport transport) {

        public Output {
            if (address == null || address.isUnresolved()) {
                throw new IllegalArgumentException("the output needs a resolved address");
            }
            Objects.requireNonNull(transport, "transport");
        }

        /** {@code HOST:PORT}, {@code HOST:PORT/udp} or {@code HOST:PORT/tcp}; UDP by default. */
        public static Output parse(String text) {
            GateDestination.Transport transport = GateDestination.Transport.UDP;
            String hostPort = text;
            int slash = text.lastIndexOf('/');
            if (slash > 0) {
                transport = switch (text.substring(slash + 1).toLowerCase(Locale.ROOT)) {
                    case "udp" -> GateDestination.Transport.UDP;
                    case "tcp" -> GateDestination.Transport.TCP;
                    default -> throw new IllegalArgumentException("output transport must be udp or tcp: " + text);
                };
                hostPort = text.substring(0, slash);
            }
            return new Output(ExportersCommand.destination(hostPort), transport);
        }

        /** The destination as the gate's drop rule names it. */
        public GateDestination gateDestination() {
            return GateDestination.of(address.getAddress().getHostAddress(), transport, address.getPort());
        }

        @Override
        public String toString() {
            return address.getAddress().getHostAddress() + ":" + address.getPort() + "/"
                    + transport.name().toLowerCase(Locale.ROOT);
        }
    }
}
