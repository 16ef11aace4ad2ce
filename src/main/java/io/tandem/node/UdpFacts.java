package io.tandem.node;

import java.util.Collection;
import java.util.List;

/**
 * What the kernel says about NFO's flow input: the UDP sockets bound to the configured input ports, and the
 * system-wide UDP counters.
 *
 * @param sockets sockets bound to one of the configured ports, IPv4 first, each in file order
 * @param udp4 the IPv4 counters
 * @param udp6 the IPv6 counters, or null when the node has no IPv6 ({@code /proc/net/snmp6} absent)
 */
public record UdpFacts(List<UdpSocket> sockets, UdpCounters udp4, UdpCounters udp6) {

    public UdpFacts {
        sockets = List.copyOf(sockets);
    }

    /** The configured ports nothing is bound to: NFO is not receiving there. */
    public List<Integer> portsWithoutSocket(Collection<Integer> ports) {
        return ports.stream().distinct().sorted()
                .filter(port -> sockets.stream().noneMatch(socket -> socket.localPort() == port)).toList();
    }

    public long socketDrops() {
        return sockets.stream().mapToLong(UdpSocket::drops).sum();
    }
}
